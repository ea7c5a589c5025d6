"""The packaging files: desktop entry, AppStream metadata, PyInstaller spec and app icon.

Fast checks only: nothing here runs PyInstaller (`make bundle` does). The external
validators run when they are installed (`apt-get install desktop-file-utils appstream`).
"""

from __future__ import annotations

import ast
import configparser
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import permanence

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
APP_ID = "fr.permanence.Permanence"
DESKTOP_FILE = PACKAGING / f"{APP_ID}.desktop"
METAINFO_FILE = PACKAGING / f"{APP_ID}.metainfo.xml"
SPEC_FILE = PACKAGING / "permanence.spec"
ICON_FILE = ROOT / "resources" / "icons" / f"{APP_ID}.svg"
MIGRATIONS = ROOT / "desktop" / "permanence" / "core" / "db" / "migrations"

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SVG_NS = "{http://www.w3.org/2000/svg}"


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(DESKTOP_FILE, encoding="utf-8")
    return parser["Desktop Entry"]


def metainfo() -> ET.Element:
    return ET.parse(METAINFO_FILE).getroot()


def run_validator(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


# --- Desktop entry ----------------------------------------------------------------------


def test_desktop_entry_has_the_required_keys() -> None:
    entry = desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Exec"] == "permanence"
    assert entry["Icon"] == APP_ID
    assert entry["Terminal"] == "false"
    categories = entry["Categories"].split(";")
    assert categories[-1] == "", "la liste des catégories doit finir par « ; »"
    assert {"Office", "ContactManagement"} <= set(categories)


def test_desktop_entry_is_in_french_with_an_english_fallback() -> None:
    entry = desktop_entry()
    for key in ("Name", "GenericName", "Comment", "Keywords"):
        assert entry.get(key), f"{key} (anglais, par défaut) manque"
        assert entry.get(f"{key}[fr]"), f"{key}[fr] manque"
    assert entry["Name[fr]"] == "Permanence"
    assert entry["GenericName[fr]"] == "Permanence téléphonique"
    assert "cabinets" in entry["Comment[fr]"]
    keywords = entry["Keywords[fr]"].split(";")
    assert keywords[-1] == ""
    assert {"téléphone", "rendez-vous", "consignes"} <= set(keywords)


def test_desktop_file_name_is_the_one_the_app_announces() -> None:
    source = (ROOT / "desktop" / "permanence" / "ui" / "app.py").read_text(encoding="utf-8")
    assert f'setDesktopFileName("{APP_ID}")' in source


# --- AppStream metadata -----------------------------------------------------------------


def test_metainfo_identifies_the_application() -> None:
    root = metainfo()
    assert root.tag == "component"
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == DESKTOP_FILE.stem == APP_ID
    assert root.findtext("metadata_license") == "CC0-1.0"
    assert root.findtext("project_license") == "GPL-3.0-or-later"
    launchable = root.find("launchable")
    assert launchable is not None
    assert launchable.get("type") == "desktop-id"
    assert launchable.text == DESKTOP_FILE.name
    rating = root.find("content_rating")
    assert rating is not None
    assert rating.get("type") == "oars-1.1"


def test_metainfo_speaks_french_with_an_english_default() -> None:
    root = metainfo()
    for tag in ("name", "summary"):
        default = [e for e in root.findall(tag) if e.get(XML_LANG) is None]
        french = [e for e in root.findall(tag) if e.get(XML_LANG) == "fr"]
        assert len(default) == 1, f"<{tag}> sans langue (anglais) manque"
        assert len(french) == 1, f'<{tag} xml:lang="fr"> manque'
    paragraphs = root.findall("description/p")
    assert any(p.get(XML_LANG) is None for p in paragraphs)
    assert any(p.get(XML_LANG) == "fr" and "télésecrétaire" in (p.text or "") for p in paragraphs)


def test_metainfo_release_is_the_package_version() -> None:
    releases = metainfo().findall("releases/release")
    assert releases, "aucune <release>"
    newest = releases[0]
    assert newest.get("version") == permanence.__version__
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", newest.get("date", ""))
    assert releases[-1].get("version") == "0.1.0"
    assert releases[-1].get("date") == "2026-11-23"


def test_metainfo_screenshots_are_absolute_urls() -> None:
    # AppStream wants an https:// image; a path into the repository is not valid.
    for image in metainfo().iter("image"):
        assert (image.text or "").strip().startswith("https://")


# --- PyInstaller spec -------------------------------------------------------------------


def test_spec_is_python_and_bundles_resources_and_migrations() -> None:
    source = SPEC_FILE.read_text(encoding="utf-8")
    ast.parse(source, filename=str(SPEC_FILE))
    assert '(str(ROOT / "resources"), "resources")' in source
    assert 'subdir="core/db/migrations"' in source
    assert "include_py_files=True" in source
    assert 'collect_submodules("permanence"' in source
    assert 'name="permanence"' in source
    assert "console=True" in source
    assert "COLLECT(" in source, "le bundle doit être un dossier (one-folder)"


def test_migrations_the_spec_collects_are_there() -> None:
    assert (MIGRATIONS / "env.py").is_file()
    assert (MIGRATIONS / "script.py.mako").is_file()
    assert list((MIGRATIONS / "versions").glob("*.py"))


# --- Icon -------------------------------------------------------------------------------


def test_icon_is_a_square_svg_named_after_the_app() -> None:
    assert ICON_FILE.is_file(), f"icône absente : {ICON_FILE}"
    root = ET.parse(ICON_FILE).getroot()
    assert root.tag == f"{SVG_NS}svg"
    view_box = [float(value) for value in root.get("viewBox", "").replace(",", " ").split()]
    assert len(view_box) == 4, "l'icône doit avoir un viewBox"
    assert view_box[2] == view_box[3] > 0


# --- External validators (when installed) -----------------------------------------------


def test_desktop_file_validate() -> None:
    tool = shutil.which("desktop-file-validate")
    if tool is None:
        pytest.skip("desktop-file-validate absent (paquet desktop-file-utils)")
    result = run_validator(tool, str(DESKTOP_FILE))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in result.stdout + result.stderr


def test_appstreamcli_validate() -> None:
    tool = shutil.which("appstreamcli")
    if tool is None:
        pytest.skip("appstreamcli absent (paquet appstream)")
    result = run_validator(tool, "validate", "--no-net", str(METAINFO_FILE))
    assert result.returncode == 0, result.stdout + result.stderr
