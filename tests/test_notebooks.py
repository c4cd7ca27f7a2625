"""Executes every notebook headless in a fresh Rust kernel, in order, and checks its shape.

Select one with `make test NB=07` (or `pytest tests -k 07`). Times are measured after the
warm-up compile. Every notebook is written to a budget of NB_BUDGET seconds (default 60, warm,
on 2 cores, quiet machine); the timing table flags a notebook over it, so creep shows before it
fails anything. A notebook fails only past NB_TIME_LIMIT seconds (default twice the budget), so a
busy machine never fails a notebook that meets its budget.

The runner executes a clean copy of each notebook: a student's saved outputs do not matter. That
the committed notebooks carry no outputs is checked in CI only (CI=true), where it belongs.
"""

from __future__ import annotations

import os
import re

import nbformat
import pytest

from conftest import NOTEBOOK_PATHS
from locks import drift, read
from nbrunner import BUDGET, BUILD, LIMIT, ROOT, check_shape, execute


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=[p.stem for p in NOTEBOOK_PATHS])
def test_notebook(path, slot, warm, timings):
    result, nb = execute(path, slot, out_dir=BUILD / "executed", notebook_limit=LIMIT)
    result.budget = BUDGET
    timings.append(result)
    if result.failure:
        pytest.fail(result.failure, pytrace=False)
    problems = check_shape(nb, path.name[:2])
    if problems:
        pytest.fail(f"{path.stem} is not a complete lesson yet:\n  - " + "\n  - ".join(problems), pytrace=False)


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=[p.stem for p in NOTEBOOK_PATHS])
def test_notebook_source_is_well_formed(path):
    """Notebooks carry the Rust kernelspec and load the crate by relative path."""
    assert re.fullmatch(r"\d\d-[a-z0-9-]+\.ipynb", path.name), f"{path.name}: name must be NN-slug.ipynb"
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.get("kernelspec", {}).get("name") == "rust", f"{path.name}: kernelspec must be 'rust'"
    # A JSON escape slip turns "\\approx" into BEL + "pprox", "\\frac" into FF + "rac", "\\beta" into BS + "eta".
    control = [(i, hex(ord(ch))) for i, c in enumerate(nb.cells) for ch in c.source if ord(ch) < 32 and ch not in "\n\t"]
    assert not control, f"{path.name}: control characters (cell, code) {control}: an escape slip such as \\a in \\approx?"
    deps = [c.source for c in nb.cells if c.cell_type == "code" and ":dep course" in c.source]
    assert deps and 'path = "../support-crate"' in deps[0], f"{path.name}: load the crate with :dep course = {{ path = \"../support-crate\" }}"


@pytest.mark.skipif(os.environ.get("CI", "").lower() not in ("1", "true", "yes"), reason="checked in CI (CI=true): a student's saved outputs are fine")
@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=[p.stem for p in NOTEBOOK_PATHS])
def test_committed_notebook_has_no_outputs(path):
    """The repository keeps notebooks without outputs (the executed copies live in build/executed)."""
    nb = nbformat.read(path, as_version=4)
    with_outputs = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and (c.outputs or c.execution_count)]
    assert not with_outputs, f"{path.name}: cells {with_outputs} keep outputs; clear them before committing"


def test_notebook_numbers_are_unique():
    numbers = [p.name[:2] for p in NOTEBOOK_PATHS]
    assert len(numbers) == len(set(numbers)), f"duplicate notebook numbers: {numbers}"


def test_kernels_compiled_the_workspace_versions(slot, warm):
    """After the notebooks ran in it, the kernel's build folder locks exactly the versions of the
    committed Cargo.lock for every crate both graphs share (see tests/test_locks.py)."""
    lock = slot.path / "Cargo.lock"
    assert lock.exists(), f"{lock} is missing: the kernel did not build in its slot"
    kernel, workspace = read(lock), read(ROOT / "Cargo.lock")
    assert "course" in kernel and len(kernel.keys() & workspace.keys()) > 20
    assert drift(workspace, kernel) == {}, "the kernel compiled other versions than the workspace lock (workspace, kernel)"
