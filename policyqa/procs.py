"""Start a helper server (Chroma, llama.cpp) as a child process and wait until it answers."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(cmd: list[str], ready_url: str, timeout: float = 60.0) -> subprocess.Popen:
    """Run `cmd`; return once `ready_url` answers. Raises RuntimeError (and stops the process)
    if it does not within `timeout` seconds."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            stdin=subprocess.DEVNULL)
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{cmd[0]} exited with code {proc.returncode} before it was ready")
        try:
            urllib.request.urlopen(ready_url, timeout=1)
            return proc
        except OSError:
            time.sleep(0.25)
    stop(proc)
    raise RuntimeError(f"{cmd[0]} did not answer at {ready_url} within {timeout:.0f} s")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
