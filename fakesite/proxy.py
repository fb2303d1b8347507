"""A TCP proxy on 127.0.0.1 that a test or benchmark controls, in front of a database server.

    with TcpProxy("127.0.0.1", 5432) as proxy:   # proxy.port: where to point the client
        proxy.freeze()   # connections stay open and nothing more is passed on (a server that hangs)
        proxy.thaw()
        proxy.cut()      # open connections are closed and new ones refused (a server that went away)
        proxy.restore()
"""

from __future__ import annotations

import select
import socket
import threading
import time
from types import TracebackType


class TcpProxy:
    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.1)
        self.port: int = self.listener.getsockname()[1]
        self.frozen = False
        self.refusing = False
        self.running = True
        self.connections: list[socket.socket] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def freeze(self) -> None:
        self.frozen = True

    def thaw(self) -> None:
        self.frozen = False

    def cut(self) -> None:
        self.refusing = True
        with self.lock:
            for connection in self.connections:
                connection.close()
            self.connections.clear()

    def restore(self) -> None:
        self.refusing = False

    def close(self) -> None:
        self.running = False
        self.cut()
        self.listener.close()

    def __enter__(self) -> TcpProxy:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    def _accept(self) -> None:
        while self.running:
            try:
                client, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:  # closed
                return
            if self.refusing:
                client.close()
                continue
            try:
                server = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.connections += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while self.running:
                if self.frozen:  # what was sent waits in the kernel's buffers, unanswered
                    time.sleep(0.02)
                    continue
                if not select.select([source], [], [], 0.1)[0]:
                    continue
                data = source.recv(65536)
                if not data:
                    break
                sink.sendall(data)
        except (OSError, ValueError):  # closed by cut() or by the other side
            pass
        finally:
            for end in (source, sink):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
