"""Timing marks for the benchmarks (silent unless PERMANENCE_STARTUP_T0 is set)."""

from __future__ import annotations

import os
import sys
import time
from typing import Any


def enabled() -> bool:
    return bool(os.environ.get("PERMANENCE_STARTUP_T0"))


def report(event: str) -> None:
    """Print `startup <event> <seconds since the launcher's PERMANENCE_STARTUP_T0>`."""
    origin = os.environ.get("PERMANENCE_STARTUP_T0")
    if origin:
        print(f"startup {event} {time.time() - float(origin):.4f}", file=sys.stderr, flush=True)


class LoopWatch:
    """Longest wait of a Python slot on the GUI thread while watched (benchmarks only).

    A 10 ms timer notes how late each of its ticks comes: what a key press would wait for
    while the workspace opens on a worker thread (both need the GIL). `stop()` reports it
    as `startup gui_max_stall <seconds>`.
    """

    INTERVAL_MS = 10

    def __init__(self) -> None:
        self._timer: Any = None
        self._last = 0.0
        self.max_stall = 0.0

    def start(self) -> None:
        if not enabled():
            return
        from PySide6.QtCore import Qt, QTimer

        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(self.INTERVAL_MS)
        self._timer.timeout.connect(self._tick)
        self._last = time.perf_counter()
        self._timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.max_stall = max(self.max_stall, now - self._last - self.INTERVAL_MS / 1000)
        self._last = now

    def stop(self) -> None:
        if self._timer is None:
            return
        self._tick()
        self._timer.stop()
        self._timer = None
        print(f"startup gui_max_stall {self.max_stall:.4f}", file=sys.stderr, flush=True)
