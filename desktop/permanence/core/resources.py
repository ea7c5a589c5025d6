"""Where the data the app ships (`resources/`) lives, from a checkout, a wheel or a bundle."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

import permanence


@cache
def resources_dir() -> Path:
    """The `resources/` folder: bundled copy first, then the source checkout."""
    candidates: list[Path] = []
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        candidates.append(Path(frozen_root) / "resources")
    package_dir = Path(permanence.__file__).resolve().parent
    candidates.append(package_dir / "_resources")  # installed wheel (force-include)
    candidates.append(package_dir.parents[1] / "resources")  # source checkout
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        "Dossier des ressources introuvable (cherché : " + ", ".join(map(str, candidates)) + ")"
    )


def resource_path(*parts: str) -> Path:
    """Path of a file or folder under `resources/`, e.g. `resource_path("triage")`."""
    return resources_dir().joinpath(*parts)
