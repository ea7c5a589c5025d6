"""Screen pop: time from `permanence call --from … --to …` to the call card shown.

Two cases: Permanence already running (the usual one: the softphone runs the command on
every incoming call) and no instance running (the command starts the app). No budget in
DESIGN.md; the answer should come well within the first ring (about 1 s).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

RUNS = 5
FROM, TO = "06 12 34 56 78", "04 78 60 12 34"


def _env(runtime: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(
        QT_QPA_PLATFORM="offscreen",
        XDG_RUNTIME_DIR=runtime,
        PERMANENCE_STARTUP_T0=repr(time.time()),
    )
    return env


def _wait_for(process: subprocess.Popen[str], event: str, timeout: float = 60) -> float:
    assert process.stderr is not None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        parts = line.split()
        if len(parts) == 3 and parts[:2] == ["startup", event]:
            return float(parts[2])
        if not line and process.poll() is not None:
            break
    raise RuntimeError(f"l'application n'a pas signalé « {event} »")


def _running_case(python: str) -> float:
    with tempfile.TemporaryDirectory() as runtime:
        os.chmod(runtime, 0o700)
        env = _env(runtime)
        app = subprocess.Popen(
            [python, "-m", "permanence", "--demo"], env=env, stderr=subprocess.PIPE, text=True
        )
        try:
            _wait_for(app, "data_ready")
            sent = time.time()
            subprocess.run(
                [python, "-m", "permanence", "call", "--from", FROM, "--to", TO],
                env=env,
                check=True,
                timeout=60,
            )
            shown_since_t0 = _wait_for(app, "call_shown")
            return float(env["PERMANENCE_STARTUP_T0"]) + shown_since_t0 - sent
        finally:
            app.terminate()
            app.wait(timeout=30)


def _cold_case(python: str) -> float:
    with tempfile.TemporaryDirectory() as runtime:
        os.chmod(runtime, 0o700)
        env = _env(runtime)
        app = subprocess.Popen(
            [python, "-m", "permanence", "--demo", "call", "--from", FROM, "--to", TO],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            return _wait_for(app, "call_shown")
        finally:
            app.terminate()
            app.wait(timeout=30)


def main() -> None:
    python = sys.executable
    running = [_running_case(python) for _ in range(RUNS)]
    cold = [_cold_case(python) for _ in range(RUNS)]
    print(f"Fiche d'appel après « permanence call » (médiane de {RUNS}) :")
    print(
        f"  Permanence déjà ouverte : {statistics.median(running) * 1000:6.0f} ms"
        f"  (max {max(running) * 1000:.0f} ms)"
    )
    print(
        f"  Permanence fermée       : {statistics.median(cold) * 1000:6.0f} ms"
        f"  (max {max(cold) * 1000:.0f} ms)"
    )
    print("  pas de budget dans DESIGN.md ; objectif : avant la fin de la première sonnerie (~1 s)")


if __name__ == "__main__":
    main()
