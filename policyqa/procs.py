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


def start_server(cmd: list[str], ready_url: str, timeout: float = 60.0,
                 env: dict | None = None) -> subprocess.Popen:
    """Run `cmd` (with environment `env`, default this process's); return once `ready_url`
    answers. Raises RuntimeError (and stops the process) if it does not within `timeout` s."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            stdin=subprocess.DEVNULL, env=env)
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


class Postgres:
    """A throw-away PostgreSQL cluster on a loopback port (tests and benchmarks), from Debian's
    `postgresql` package: initdb into a temporary folder, pg_ctl start, trust login for the
    superuser `policyqa` on 127.0.0.1 only. As root, the server runs as the `postgres` user
    (PostgreSQL refuses to run as root)."""

    def __init__(self, port: int | None = None):
        import os
        import tempfile

        self.bin = postgres_bin()
        if self.bin is None:
            raise RuntimeError("PostgreSQL is not installed (Debian: apt-get install postgresql)")
        self.port = port or free_port()
        self.folder = tempfile.mkdtemp(prefix="policyqa-pg-")
        self.data = os.path.join(self.folder, "data")
        self._as: list[str] = []
        if os.geteuid() == 0:
            import pwd
            import shutil

            user = "postgres" if _has_user("postgres") else "nobody"
            entry = pwd.getpwnam(user)
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)
            runuser = shutil.which("runuser")
            self._as = [runuser, "-u", user, "--"] if runuser else ["su", user, "-s", "/bin/sh", "-c"]
        self._run([f"{self.bin}/initdb", "-D", self.data, "-U", "policyqa", "--auth=trust",
                   "-E", "UTF8", "--locale=C.UTF-8"])
        self.start()
        self.url = f"postgresql://policyqa@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        import os

        self._run([f"{self.bin}/pg_ctl", "-D", self.data, "-l", os.path.join(self.folder, "log"),
                   "-w", "-t", "60", "-o", f"-h 127.0.0.1 -p {self.port} -k {self.folder} "
                   "-c fsync=off -c max_connections=200", "start"])

    def halt(self) -> None:
        """Stop the server, keeping its data (start() brings it back)."""
        self._run([f"{self.bin}/pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop"])

    def _run(self, cmd: list[str]) -> None:
        import shlex

        if self._as and self._as[0] == "su":
            cmd = [*self._as, shlex.join(cmd)]
        else:
            cmd = [*self._as, *cmd]
        out = subprocess.run(cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL)
        if out.returncode != 0:
            raise RuntimeError(f"{cmd[len(self._as)]} failed: {(out.stderr or out.stdout).strip()[:400]}")

    def create_database(self, name: str) -> str:
        """A new empty database; its URL."""
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url.rsplit("/", 1)[0] + f"/{name}"

    def drop_database(self, name: str) -> None:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        import shutil

        try:
            self.halt()
        except RuntimeError:
            pass  # already stopped
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def postgres_bin() -> str | None:
    """The folder of PostgreSQL's server programs (the newest Debian version), or None."""
    import glob
    import os
    import shutil

    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                      key=lambda p: int(p.split("/")[-3]) if p.split("/")[-3].isdigit() else 0)
    if versions:
        return os.path.dirname(versions[-1])
    found = shutil.which("initdb")
    return os.path.dirname(found) if found and shutil.which("pg_ctl") else None


def _has_user(name: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False
