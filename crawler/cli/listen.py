"""The socket a command's web server listens on: bound before "serving …" is printed, so a port
in use or an address that is not this machine's is a one-line error, and port 0 (any free port)
can be named in that line."""

from __future__ import annotations

import socket

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
