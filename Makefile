# The course's commands. `make lab` and `make test` install whatever is missing first.
#
#   make lab                 JupyterLab on notebooks/ (localhost, with a token; LAB_ARGS=… for more)
#   make test                crate tests, runner tests, every notebook headless + timing table
#   make test NB=07          only notebook 07 (any pytest -k expression works)
#   make bench               interactive-speed measurements and training vs PyTorch (build/bench.json)
#   make bench WHAT=training only the training steps vs PyTorch (WHAT=kernels: only vs NumPy)
#   make student             the student edition (solution cells emptied) in build/student/
#   make setup               only the installs (idempotent, quiet when nothing is missing)
#   make clean               remove build/ (kernel build folders, executed notebooks, reports)
#
# COURSE_ENV=/path/to/conda/env uses an environment made from environment.yml instead of .venv.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
ENV_DIR := $(if $(COURSE_ENV),$(COURSE_ENV),$(CURDIR)/.venv)
PY := $(ENV_DIR)/bin/python
# Only the course's kernel spec (in the environment) is seen, never a user-level "rust" kernel.
export JUPYTER_PATH := $(ENV_DIR)/share/jupyter
export JUPYTER_PREFER_ENV_PATH := 1
NB ?=
PYTEST_ARGS ?=
LAB_ARGS ?=
WHAT ?= all
# PyTorch (for make bench only) lives in an environment of its own: make lab never needs it.
BENCH_ENV := $(CURDIR)/.venv-bench
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: setup lab test test-crate test-notebooks bench student clean

setup:
	@bash tools/setup.sh

lab: setup
	$(ENV_DIR)/bin/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.root_dir=notebooks --no-browser $(ALLOW_ROOT) $(LAB_ARGS)

test: setup test-crate test-notebooks

test-crate: setup
	cargo test --workspace --locked
	cargo test --release --locked --manifest-path nn-engine/Cargo.toml --target-dir nn-engine/target

test-notebooks: setup
	$(PY) -m pytest tests $(if $(NB),-k "$(NB)",) $(PYTEST_ARGS)

bench: setup
	@$(PY) -c 'import numpy' 2>/dev/null || $(PY) -m pip install --quiet --disable-pip-version-check -r benches/requirements.txt
	@$(BENCH_ENV)/bin/python -c 'import torch' 2>/dev/null || { \
	  echo "bench: installing PyTorch into .venv-bench (benches/requirements-torch.txt, once; several GB)"; \
	  python3 -m venv $(BENCH_ENV) && $(BENCH_ENV)/bin/python -m pip install --quiet --disable-pip-version-check -r benches/requirements-torch.txt; }
	COURSE_BENCH_PYTHON=$(BENCH_ENV)/bin/python $(PY) tools/bench.py $(WHAT)

student: setup
	$(PY) tests/student_edition.py build/student

clean:
	rm -rf build
