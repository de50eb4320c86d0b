"""Web safety for the UI: security headers and CSP, a Host check against DNS rebinding, login throttling."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterable

# Gradio's front end needs inline styles, inline scripts and eval (the `js` hook runs through
# `new Function`); everything else is same-origin only, and no page may frame the UI.
CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "media-src 'self' data: blob:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]
_HEADER_NAMES = frozenset(k for k, _ in HEADERS)
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
WILDCARD_BINDS = ("0.0.0.0", "::", "")


def allowed_hosts(bind: str, extra: Iterable[str] = ()) -> set[str]:
    """Host names the UI answers to: loopback names, the bound address (unless a wildcard),
    and whatever the administrator lists (POLICYQA_ALLOWED_HOSTS)."""
    hosts = {h.lower() for h in LOOPBACK_NAMES}
    if bind not in WILDCARD_BINDS:
        hosts.add(bind.strip("[]").lower())
    hosts |= {h.strip().strip("[]").lower() for h in extra if h.strip()}
    return hosts


def host_name(header: str) -> str:
    """'example.org:7860' -> 'example.org'; '[::1]:7860' -> '::1'."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:header.find("]")] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


class LoginThrottle:
    """After `max_failures` failed logins from one client within `window` seconds, that client
    is refused (HTTP 429) for `lockout` seconds, even with the right password."""

    def __init__(self, max_failures: int = 5, window: float = 600.0, lockout: float = 300.0,
                 clock=time.monotonic):
        self.max_failures, self.window, self.lockout, self.clock = max_failures, window, lockout, clock
        self._failures: dict[str, list[float]] = {}
        self._locked_until: dict[str, float] = {}
        self._lock = threading.Lock()

    def retry_after(self, client: str) -> float:
        with self._lock:
            until = self._locked_until.get(client, 0.0)
            return max(0.0, until - self.clock())

    def failed(self, client: str) -> None:
        now = self.clock()
        with self._lock:
            recent = [t for t in self._failures.get(client, []) if now - t < self.window] + [now]
            self._failures[client] = recent
            if len(recent) >= self.max_failures:
                self._locked_until[client] = now + self.lockout
                self._failures[client] = []

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._failures.pop(client, None)


class SecurityMiddleware:
    """Pure ASGI (streams pass through untouched): reject unknown Host headers, throttle failed
    logins, add the security headers to every HTTP response."""

    def __init__(self, app, hosts: set[str], throttle: LoginThrottle | None = None):
        self.app, self.hosts, self.throttle = app, hosts, throttle or LoginThrottle()

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        host = host_name(headers.get(b"host", b"").decode("latin-1"))
        if host not in self.hosts:
            return await _plain(scope, send, 400, f"Host '{host}' is not allowed (set POLICYQA_ALLOWED_HOSTS)")
        login = scope["type"] == "http" and scope["method"] == "POST" and \
            scope["path"].rstrip("/").endswith("/login")
        client = (scope.get("client") or ("?", 0))[0]
        if login:
            wait = self.throttle.retry_after(client)
            if wait > 0:
                return await _plain(scope, send, 429, "Too many failed logins; try again later",
                                    retry_after=int(wait) + 1)
        status = {}

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                message = dict(message)
                message["headers"] = [h for h in message.get("headers", [])
                                      if h[0].lower() not in _HEADER_NAMES] + HEADERS
            await send(message)

        await self.app(scope, receive, send_with_headers)
        if login and "code" in status:
            if status["code"] in (400, 401, 403):
                self.throttle.failed(client)
            elif status["code"] < 300:
                self.throttle.succeeded(client)


async def _plain(scope, send, code: int, text: str, retry_after: int | None = None):
    if scope["type"] == "websocket":
        await send({"type": "websocket.close", "code": 1008})
        return
    body = json.dumps({"detail": text}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if retry_after is not None:
        headers.append((b"retry-after", str(retry_after).encode()))
    await send({"type": "http.response.start", "status": code, "headers": headers + HEADERS})
    await send({"type": "http.response.body", "body": body})
