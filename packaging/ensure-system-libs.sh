#!/bin/sh
# Qt needs a few system libraries that a bare Debian/Ubuntu may lack. Check by starting a
# real offscreen QApplication; install what is missing when we are root with apt, else say
# the exact command to run.
PY="${1:-python3}"
PKGS="libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0 fonts-dejavu-core"
XCB_PKGS="libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxkbcommon-x11-0 libxcb-shape0 libxcb-randr0 libxcb-render-util0 libxcb-image0 libxcb-xinerama0"

check() {
  # Offscreen always (tests, --screenshot); the real platform too when there is a display
  # (make run), since xcb needs libraries of its own (Qt's message names the wrong one).
  QT_QPA_PLATFORM=offscreen "$PY" - <<'PYEOF' >/dev/null 2>&1 || return 1
from PySide6.QtWidgets import QApplication
app = QApplication([])
PYEOF
  if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
    "$PY" - <<'PYEOF' >/dev/null 2>&1 || return 1
from PySide6.QtWidgets import QApplication
app = QApplication([])
PYEOF
  fi
  return 0
}

if check; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installation des bibliothèques système nécessaires à Qt…"
  apt-get update -qq >/dev/null && \
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $PKGS $XCB_PKGS >/dev/null
  check && exit 0
fi
echo "Qt ne démarre pas : des bibliothèques système manquent. Installez-les avec :" >&2
echo "  sudo apt-get install $PKGS $XCB_PKGS" >&2
exit 1
