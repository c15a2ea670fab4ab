# Set-up, demo, tests and benchmarks. Every target creates the virtual environment first,
# so a fresh clone needs nothing but Python 3.12 (found by .ci/find-python312).

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
FILE ?=

.PHONY: venv system-deps demo sandbox test lint unit integration e2e bench clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	@if [ ! -x $(PY) ]; then python312=$$(.ci/find-python312) && $$python312 -m venv $(VENV); fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

system-deps:
	@.ci/install-system-deps

demo: venv
	$(PY) -m cbccvc_local.demo $(if $(FILE),--file "$(FILE)")

sandbox: venv
	$(PY) -m cbccvc_local.sandbox $(if $(FOLDER),--folder "$(FOLDER)")

lint: venv
	$(VENV)/bin/ruff check layers functions infra tests
	$(VENV)/bin/mypy layers/cbccvc/cbccvc infra/local/cbccvc_local
	$(VENV)/bin/cfn-lint template.yaml

unit: venv
	$(PY) -m pytest tests/unit -q

integration: venv
	$(PY) -m pytest tests/integration -q

e2e: venv
	$(PY) -m pytest tests/e2e -q

test: venv system-deps lint
	$(PY) -m pytest -q

bench: venv
	$(PY) -m pip install --quiet -e '.[dev,bench]'
	$(PY) -m cbccvc_local.bench --write

clean:
	rm -rf $(VENV) .local .pytest_cache .mypy_cache .ruff_cache
