"""Writes the student edition of every notebook (solution cells emptied, outputs cleared).

Usage: python tests/student_edition.py OUT_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

from nbrunner import NOTEBOOKS, strip_solutions


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb")):
        nbformat.write(strip_solutions(nbformat.read(path, as_version=4)), out / path.name)
        print(f"wrote {out / path.name}")
    # The student edition must still find the support crate at ../support-crate.
    link = out.parent / "support-crate"
    if not link.exists():
        link.symlink_to(NOTEBOOKS.parent / "support-crate")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python tests/student_edition.py OUT_DIR")
    main(Path(sys.argv[1]).resolve())
