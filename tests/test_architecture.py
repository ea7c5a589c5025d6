"""One-way dependency: `permanence.core` never imports Qt or `permanence.ui`."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import permanence.core


def test_core_imports_no_qt() -> None:
    modules = [
        info.name
        for info in pkgutil.walk_packages(permanence.core.__path__, "permanence.core.")
        if ".migrations" not in info.name
    ]
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "prefixes = ('PySide6', 'shiboken6', 'permanence.ui')\n"
        "bad = sorted(m for m in sys.modules if m.startswith(prefixes))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "", f"Qt/UI importé par le cœur : {result.stdout}"
    assert len(modules) > 10
