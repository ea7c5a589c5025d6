"""Cold start to an interactive main window on the demo workspace, vs a bare PySide6 window.

Both are started the same way (a new Python process, offscreen, same interpreter),
alternately, several times; medians are compared. Budget (DESIGN.md): ≤ 2.5 × bare.
Each mark is taken once the thing is painted and the event loop free again (the turn
after the repaint pass), for the bare window too. We print three figures for Permanence:
the window shown and usable (menus, search field, shortcuts), the demo data shown in it
(the workspace opens on a worker thread), and the longest wait of the GUI thread between
the two: a window that is shown but frozen is not interactive (DESIGN.md: no blocking
step over 50 ms on the GUI thread).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

RUNS = 7
BUDGET = 2.5
STALL_BUDGET = 0.050

BARE = """
import os, sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1280, 720)
def shown():
    print(f"startup window_shown {time.time() - float(os.environ['PERMANENCE_STARTUP_T0']):.4f}",
          file=sys.stderr, flush=True)
    app.quit()
class FirstPaint(QObject):  # as permanence.ui.app.when_painted: after the paint pass
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.UpdateRequest:
            window.removeEventFilter(self)
            QTimer.singleShot(0, shown)
        return False
watcher = FirstPaint()
window.installEventFilter(watcher)
window.show()
app.exec()
"""


def _run(args: list[str]) -> dict[str, float]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PERMANENCE_STARTUP_T0"] = repr(time.time())
    started = time.perf_counter()
    result = subprocess.run(args, env=env, capture_output=True, text=True, timeout=120)
    figures = {"exit": time.perf_counter() - started}
    if result.returncode != 0:
        raise RuntimeError(f"{args} a échoué : {result.stderr.strip()[-400:]}")
    for line in result.stderr.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "startup":
            figures[parts[1]] = float(parts[2])
    return figures


def main() -> None:
    python = sys.executable
    bare_cmd = [python, "-c", BARE]
    ours_cmd = [python, "-m", "permanence", "--demo", "--exit-when-ready"]
    _run(bare_cmd)  # warm the OS file cache and bytecode caches for both, once
    first = _run(ours_cmd)  # the very first --demo builds the demo template
    bare: list[float] = []
    shown: list[float] = []
    ready: list[float] = []
    stalls: list[float] = []
    for _ in range(RUNS):
        bare.append(_run(bare_cmd)["window_shown"])
        figures = _run(ours_cmd)
        shown.append(figures["window_shown"])
        ready.append(figures["data_ready"])
        stalls.append(figures["gui_max_stall"])
    b, s, r, w = (statistics.median(x) for x in (bare, shown, ready, stalls))
    print(f"Démarrage (médiane de {RUNS} lancements, offscreen, {Path(python).name}) :")
    print(f"  fenêtre PySide6 nue               : {b * 1000:7.0f} ms")
    print(f"  Permanence, fenêtre utilisable    : {s * 1000:7.0f} ms  ratio {s / b:4.2f}×")
    print(f"  Permanence, données de démo vues  : {r * 1000:7.0f} ms  ratio {r / b:4.2f}×")
    print(
        f"  attente max. du fil graphique, de la fenêtre aux données : {w * 1000:5.0f} ms"
        f"  (pire lancement {max(stalls) * 1000:.0f} ms)"
    )
    print(f"  (premier --demo, modèle de démo construit : {first['data_ready'] * 1000:.0f} ms)")
    verdict = "OK" if s / b <= BUDGET else "HORS BUDGET"
    print(f"  budget : fenêtre utilisable ≤ {BUDGET}× la fenêtre nue → {verdict}")
    verdict = "OK" if w <= STALL_BUDGET else "HORS BUDGET"
    print(
        f"  budget du fil graphique : aucune attente de plus de {STALL_BUDGET * 1000:.0f} ms "
        f"pendant l'ouverture → {verdict}"
    )
    print(
        f"  (données de démo vues : {r / b:4.2f}×, chargées en arrière-plan, fenêtre déjà "
        "utilisable ; pas de budget à part dans DESIGN.md)"
    )


if __name__ == "__main__":
    main()
