"""One running Permanence per user: `permanence call` hands calls to it (screen pop).

The running instance listens on a QLocalServer; a second launch connects, sends one JSON
line and waits for "ok". If nobody answers, the caller starts the app itself.
"""

from __future__ import annotations

import getpass
import json
import re
import sys
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from permanence.core.paths import runtime_dir

CONNECT_TIMEOUT_MS = 500
REPLY_TIMEOUT_MS = 3000


def server_name() -> str:
    """Per-user socket (the workspace does not matter: she runs one app at a time).

    On Unix a full path in the user's runtime folder (XDG_RUNTIME_DIR, private to her);
    elsewhere a name made private by the user-access option.
    """
    if sys.platform.startswith("win"):
        user = re.sub(r"[^A-Za-z0-9_.-]", "_", getpass.getuser())
        return f"permanence-{user}"
    folder = runtime_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return str(folder / "instance.sock")


def send_to_running(message: dict[str, Any], name: str | None = None) -> bool:
    """Deliver `message` to the running instance; False when none answers."""
    socket = QLocalSocket()
    socket.connectToServer(name or server_name())
    if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
        return False
    socket.write((json.dumps(message) + "\n").encode("utf-8"))
    socket.flush()
    socket.waitForBytesWritten(REPLY_TIMEOUT_MS)  # False when already written: not an error
    answered = socket.waitForReadyRead(REPLY_TIMEOUT_MS)
    reply = bytes(socket.readAll().data()).strip() if answered else b""
    socket.disconnectFromServer()
    return reply == b"ok"


class InstanceServer(QObject):
    """Listens for messages from later launches; emits `message_received(dict)`."""

    message_received = Signal(object)

    def __init__(self, name: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name or server_name()
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._on_new_connection)
        self._buffers: dict[QLocalSocket, bytes] = {}

    def listen(self) -> bool:
        """Start listening; False when another live instance already owns the name."""
        if send_to_running({"action": "ping"}, self.name):
            return False
        QLocalServer.removeServer(self.name)  # a stale socket left by a crash
        return self._server.listen(self.name)

    def close(self) -> None:
        self._server.close()
        self._buffers.clear()

    def _on_new_connection(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            self._buffers[socket] = b""
            socket.readyRead.connect(lambda s=socket: self._on_ready_read(s))
            socket.disconnected.connect(lambda s=socket: self._forget(s))

    def _on_ready_read(self, socket: QLocalSocket) -> None:
        self._buffers[socket] = self._buffers.get(socket, b"") + bytes(socket.readAll().data())
        if b"\n" not in self._buffers[socket]:
            return
        line, _, rest = self._buffers[socket].partition(b"\n")
        self._buffers[socket] = rest
        try:
            message = json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            socket.write(b"error\n")
            return
        socket.write(b"ok\n")
        socket.flush()
        if isinstance(message, dict) and message.get("action") != "ping":
            self.message_received.emit(message)

    def _forget(self, socket: QLocalSocket) -> None:
        self._buffers.pop(socket, None)
        if shiboken6.isValid(socket):  # the server may already have deleted it on close
            socket.deleteLater()
