"""What every response and request of the dashboard's server is held to, login or not.

- Host: only the names in RECTIFY_ALLOWED_HOSTS (`rectify serve` sets it to the names the
  server is bound to, plus --allowed-hosts); any other Host header gets 400, so a page
  cannot be reached under a name an attacker controls (DNS rebinding).
- Behind HTTPS (RECTIFY_HTTPS=1, `rectify serve --https`): cookies are Secure, and the
  reverse proxy's X-Forwarded-For/-Proto/-Host/-Port are trusted (one proxy hop), so the
  client's address and scheme are the real ones.
- Framing: no other site may show our pages in a frame (clickjacking).
- Request bodies: at most MAX_CONTENT_LENGTH bytes (the largest upload a page may send).
"""

from __future__ import annotations

import os
import socket

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

_HEADERS = {
    "X-Frame-Options": "SAMEORIGIN",
    "Content-Security-Policy": "frame-ancestors 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
LOOPBACK = ("localhost", "127.0.0.1", "::1")
ANY_ADDRESS = ("0.0.0.0", "::", "")


def local_only() -> bool:
    """Whether the server listens on the loopback address only and trusts no proxy in front
    of it (`rectify serve --host 127.0.0.1` without --https, which sets RECTIFY_BIND): then
    every request comes from someone on this machine."""
    return os.environ.get("RECTIFY_BIND", "").strip("[]").lower() in LOOPBACK and not https()


def https() -> bool:
    return os.environ.get("RECTIFY_HTTPS", "") not in ("", "0")


def allowed_hosts() -> list[str] | None:
    """Host names requests may name (a leading dot: any subdomain); None: not checked."""
    value = os.environ.get("RECTIFY_ALLOWED_HOSTS")
    if value is None:
        return None
    names = [name.strip().lower() for name in value.split(",") if name.strip()]
    return None if "*" in names else names


def bound_names(host: str) -> list[str]:
    """The names a server bound to `host` is reached by: the loopback names for a loopback
    address, this machine's names and addresses for all addresses, else the host itself."""
    host = host.strip("[]").lower()
    if host in LOOPBACK:
        return list(LOOPBACK)
    if host not in ANY_ADDRESS:
        return [host]
    names = {*LOOPBACK, socket.gethostname().lower(), socket.getfqdn().lower()}
    for name in list(names):
        try:
            names |= {info[4][0] for info in socket.getaddrinfo(name, None)}
        except OSError:
            continue
    return sorted(names)


def install(server: Flask, max_request_bytes: int) -> None:
    """Host check, proxy trust, framing and body limits on the app's Flask server."""
    server.config["MAX_CONTENT_LENGTH"] = max_request_bytes
    hosts = allowed_hosts()
    if hosts is not None:
        server.config["TRUSTED_HOSTS"] = hosts
    if https():
        server.config["SESSION_COOKIE_SECURE"] = True
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=1, x_proto=1, x_host=1, x_port=1)

    @server.after_request
    def headers(response):
        for name, value in _HEADERS.items():
            response.headers.setdefault(name, value)
        return response
