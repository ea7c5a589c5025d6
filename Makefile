# The two commands a newcomer needs: `make run` and `make test`.
# Everything else (bench, bundle, lint) is here for the team.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test venv syslibs lint format typecheck imports pytest bench bundle screenshot clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || { \
	  echo "Impossible de créer l'environnement virtuel. Installez venv : sudo apt-get install python3-venv"; exit 1; }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

venv: $(STAMP)

syslibs: venv
	@sh packaging/ensure-system-libs.sh $(PY)

## Start the app on a fresh copy of the demo workspace.
run: venv syslibs
	$(VENV)/bin/permanence --demo

## Lint, types, the core/ui import rule, then the whole test suite (offscreen).
test: venv syslibs lint typecheck imports pytest

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

typecheck: venv
	$(VENV)/bin/mypy

imports: venv
	$(VENV)/bin/lint-imports

pytest: venv
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:cacheprovider

## Benchmarks: each prints its figure next to its budget from DESIGN.md.
bench: venv syslibs
	QT_QPA_PLATFORM=offscreen $(PY) -m bench

## One-folder PyInstaller bundle, started once offscreen to prove it runs.
bundle: venv syslibs
	$(PY) -m pip install --quiet "pyinstaller>=6.6"
	$(PY) -m PyInstaller --noconfirm --clean --distpath build/dist --workpath build/work packaging/permanence.spec
	QT_QPA_PLATFORM=offscreen build/dist/permanence/permanence --demo --screenshot build/bundle-check.png
	@echo "Bundle OK : build/dist/permanence/ (capture : build/bundle-check.png)"

screenshot: venv syslibs
	QT_QPA_PLATFORM=offscreen $(VENV)/bin/permanence --demo --screenshot docs/screenshot-main.png

clean:
	rm -rf build dist .pytest_cache .mypy_cache .ruff_cache
