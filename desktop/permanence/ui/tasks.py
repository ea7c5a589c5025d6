"""The one helper for background work (QThreadPool); results come back by signal.

Workers never touch a widget: `on_done` and `on_error` run on the GUI thread.
"""

from __future__ import annotations

import contextlib
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Relay(QObject):
    succeeded = Signal(object)
    failed = Signal(object, str)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._fn = fn
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._fn()
        except Exception as exc:
            self._report(self._relay.failed, exc, traceback.format_exc())
        else:
            self._report(self._relay.succeeded, result)

    @staticmethod
    def _report(signal: Any, *values: object) -> None:
        # The application may have quit while the job ran: its relay is gone, nobody waits.
        with contextlib.suppress(RuntimeError):
            signal.emit(*values)


_alive: set[_Relay] = set()


def run_in_background(
    fn: Callable[[], Any],
    *,
    on_done: Callable[[Any], None],
    on_error: Callable[[Exception], None],
    pool: QThreadPool | None = None,
) -> None:
    """Run `fn` on a worker thread; call `on_done(result)` or `on_error(exc)` on the GUI thread."""
    relay = _Relay()
    _alive.add(relay)  # keep the relay alive until the job reports

    def done(result: object) -> None:
        _alive.discard(relay)
        on_done(result)

    def failed(exc: object, _trace: str) -> None:
        _alive.discard(relay)
        on_error(exc if isinstance(exc, Exception) else RuntimeError(str(exc)))

    relay.succeeded.connect(done)
    relay.failed.connect(failed)
    (pool or QThreadPool.globalInstance()).start(_Job(fn, relay))
