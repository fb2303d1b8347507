"""The socket a command's web server listens on: bound before "serving …" is printed, so a port
in use or an address that is not this machine's is a one-line error, and port 0 (any free port)
can be named in that line; then the server on it, until stopped."""

from __future__ import annotations

import signal
import socket
import sys
from typing import Any

from crawler.cli.errors import CommandError


def listening_socket(host: str, port: int) -> socket.socket:
    """A TCP socket listening on ``host:port``, or CommandError saying why it cannot be."""
    try:
        family, kind, protocol, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        listener = socket.socket(family, kind, protocol)
    except OSError as error:
        raise CommandError(f"cannot serve on {host}:{port}: {error.strerror or error}") from None
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as web servers bind
        listener.bind(address)
        listener.listen(2048)
    except OSError as error:
        listener.close()
        raise CommandError(f"cannot serve on {host}:{port}: {error.strerror or error}") from None
    return listener


def base_url(listener: socket.socket) -> str:
    """``http://HOST:PORT`` of a listening socket: the port it got, for port 0."""
    host, port = listener.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def serve_until_stopped(app: Any, listener: socket.socket, **config: Any) -> None:
    """Serve the ASGI ``app`` on ``listener`` with uvicorn until Ctrl-C or SIGTERM."""
    import uvicorn  # the web stack loads for the commands that serve only

    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", **config))
    # uvicorn stops serving on SIGINT or SIGTERM, then raises the signal again for the handler it
    # found; as KeyboardInterrupt for both, stopping is the end of the job (exit 0), not a kill.
    for stop in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop, signal.default_int_handler)
    try:
        server.run(sockets=[listener])
    except KeyboardInterrupt:
        pass
    print("stopped serving", file=sys.stderr)
