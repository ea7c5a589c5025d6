"""Screen pop through a real local socket: `permanence call` hands the call over."""

from __future__ import annotations

import os
import subprocess
import sys

from pytestqt.qtbot import QtBot

from permanence.core.workspace import Workspace
from permanence.ui.main_window import MainWindow
from permanence.ui.single_instance import InstanceServer, send_to_running


def test_permanence_call_pops_the_practice_and_caller(qtbot: QtBot, demo_ws: Workspace) -> None:
    window = MainWindow(demo_ws)
    qtbot.addWidget(window)
    server = InstanceServer(parent=window)
    assert server.listen()
    server.message_received.connect(window.on_instance_message)
    window.show()
    practice = demo_ws.practices.list()[2]
    caller = next(c for c in (demo_ws.callers.get(i) for i in range(1, 40)) if c.phones)
    command = [
        sys.executable,
        "-m",
        "permanence",
        "call",
        "--from",
        caller.phones[0].replace("+33", "0"),
        "--to",
        practice.numbers[0],
    ]
    with subprocess.Popen(
        command, env=dict(os.environ), stderr=subprocess.PIPE, text=True
    ) as process:
        try:
            qtbot.waitUntil(lambda: process.poll() is not None, timeout=30_000)
        finally:
            if process.poll() is None:
                process.kill()
        errors = process.stderr.read() if process.stderr else ""
    assert process.returncode == 0, errors
    card = window.call_card
    assert card is not None and window.stack.currentWidget() is card
    assert card.practice == practice
    assert card.caller_box.caller is not None and card.caller_box.caller.id == caller.id
    server.close()


def test_second_server_refuses_and_nobody_answers_after_close(qtbot: QtBot) -> None:
    first = InstanceServer()
    assert first.listen()
    second = InstanceServer()
    received: list[object] = []
    first.message_received.connect(received.append)
    # A live instance answers pings, so a second one does not take over its socket.
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from permanence.ui.single_instance import send_to_running;"
            "import sys; sys.exit(0 if send_to_running({'action': 'call', 'from': '1', 'to': '2'})"
            " else 3)",
        ],
        env=dict(os.environ),
    )
    qtbot.waitUntil(lambda: process.poll() is not None, timeout=30_000)
    assert process.returncode == 0 and received and received[0]["from"] == "1"  # type: ignore[index]
    first.close()
    assert send_to_running({"action": "ping"}) is False
    assert second.listen()
    second.close()
