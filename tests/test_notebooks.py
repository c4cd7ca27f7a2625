"""Executes every notebook headless in a fresh Rust kernel, in order, and checks its shape.

Select one with `make test NB=07` (or `pytest tests -k 07`). The time limit of a notebook is
NB_TIME_LIMIT seconds (default 60), measured after the warm-up compile.
"""

from __future__ import annotations

import os
import re

import nbformat
import pytest

from conftest import NOTEBOOK_PATHS
from nbrunner import BUILD, check_shape, execute

LIMIT = float(os.environ.get("NB_TIME_LIMIT", "60"))


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=[p.stem for p in NOTEBOOK_PATHS])
def test_notebook(path, slot, warm, timings):
    result, nb = execute(path, slot, out_dir=BUILD / "executed", notebook_limit=LIMIT)
    timings.append(result)
    if result.failure:
        pytest.fail(result.failure, pytrace=False)
    problems = check_shape(nb, path.name[:2])
    if problems:
        pytest.fail(f"{path.stem} is not a complete lesson yet:\n  - " + "\n  - ".join(problems), pytrace=False)


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=[p.stem for p in NOTEBOOK_PATHS])
def test_notebook_source_is_clean(path):
    """Committed notebooks carry the Rust kernelspec, load the crate by relative path, and keep
    no outputs (the executed copies live in build/executed)."""
    assert re.fullmatch(r"\d\d-[a-z0-9-]+\.ipynb", path.name), f"{path.name}: name must be NN-slug.ipynb"
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.get("kernelspec", {}).get("name") == "rust", f"{path.name}: kernelspec must be 'rust'"
    with_outputs = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and (c.outputs or c.execution_count)]
    assert not with_outputs, f"{path.name}: cells {with_outputs} keep outputs; clear them before committing"
    deps = [c.source for c in nb.cells if c.cell_type == "code" and ":dep course" in c.source]
    assert deps and 'path = "../support-crate"' in deps[0], f"{path.name}: load the crate with :dep course = {{ path = \"../support-crate\" }}"


def test_notebook_numbers_are_unique():
    numbers = [p.name[:2] for p in NOTEBOOK_PATHS]
    assert len(numbers) == len(set(numbers)), f"duplicate notebook numbers: {numbers}"
