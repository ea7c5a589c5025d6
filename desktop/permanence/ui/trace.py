"""Timing marks for the benchmarks (silent unless PERMANENCE_STARTUP_T0 is set)."""

from __future__ import annotations

import os
import sys
import time


def report(event: str) -> None:
    """Print `startup <event> <seconds since the launcher's PERMANENCE_STARTUP_T0>`."""
    origin = os.environ.get("PERMANENCE_STARTUP_T0")
    if origin:
        print(f"startup {event} {time.time() - float(origin):.4f}", file=sys.stderr, flush=True)
