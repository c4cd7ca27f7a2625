"""Renumbers the notebooks, mechanically, in one pass: `python tools/renumber.py OLD:NEW ...`.

Every pair moves notebook OLD to number NEW; the pairs must form a permutation of the numbers in
use (new notebooks appended at the end with temporary numbers are moved into place this way).
What is rewritten, each in a single substitution so that no number is mapped twice:
- the files `notebooks/OLD-slug.ipynb` and `support-crate/src/exercises/nbOLD.rs` (git mv);
- `nbOLD` (exercise modules), `OLD-slug` (file names and paths), "notebook(s) OLD[, MM and KK]",
  "Exercise(s) OLD.k[, MM.j]" and the check labels `"OLD.k"` in the exercise modules;
- each notebook's title "# OLD — …", the README's table (rows re-sorted) and the cross-reference
  test's ALIASES (keys re-sorted), and the order of `pub mod nbNN;` in exercises/mod.rs.
Prose that names a notebook by its number alone ("as in 21") is not found: grep for it after, and
check tests/test_crossrefs.py, whose expected messages ("notebook(s) 23") follow the real aliases.
Numbers in code are not found either (the capstone's `(30..=35)`, the range of Part V): grep the
notebooks for `..=` ranges near "notebook".
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
EXERCISES = ROOT / "support-crate" / "src" / "exercises"


def parse(argv: list[str]) -> dict[str, str]:
    mapping = {}
    for arg in argv:
        old, _, new = arg.partition(":")
        if not (re.fullmatch(r"\d\d", old) and re.fullmatch(r"\d\d", new)):
            sys.exit(f"renumber: each argument is OLD:NEW with two-digit numbers, got {arg!r}")
        mapping[old] = new
    present = {p.name[:2] for p in NOTEBOOKS.glob("[0-9][0-9]-*.ipynb")}
    for old in mapping:
        if old not in present:
            sys.exit(f"renumber: no notebook {old} to move")
    full = {nn: mapping.get(nn, nn) for nn in present}
    if len(set(full.values())) != len(full):
        sys.exit(f"renumber: the new numbers collide: {sorted(full.values())}")
    return full


def main() -> None:
    full = parse(sys.argv[1:])
    m = lambda nn: full.get(nn, nn)  # noqa: E731
    slugs = {p.stem[3:]: p.stem[:2] for p in NOTEBOOKS.glob("[0-9][0-9]-*.ipynb")}

    slug_re = re.compile(r"\b(\d\d)-(" + "|".join(sorted(map(re.escape, slugs), key=len, reverse=True)) + r")\b")
    nb_re = re.compile(r"\bnb(\d\d)\b")
    num_list = r"\d\d(?:\s*(?:[–—-]|,|and|or|to)\s*\d\d(?![\d.]))*"
    ref_re = re.compile(r"\b([Nn]otebooks?\s+)(" + num_list + r")(?![\d.]\d)")
    label = r"\d\d\.\d+"
    ex_re = re.compile(r"\b([Ee]xercises?\s+|Ex\.\s+)(" + label + r"(?:\s*(?:[–—-]|,|and|or|to)\s*" + label + r")*)")
    lit_re = re.compile(r"\"(\d\d)\.(\d+)\"")
    title_re = re.compile(r"(\"# )(\d\d)( — )")

    def slug_sub(mo):
        nn, slug = mo.group(1), mo.group(2)
        return f"{m(nn)}-{slug}" if slugs.get(slug) == nn else mo.group(0)

    def rewrite(text: str, path: Path) -> str:
        text = slug_re.sub(slug_sub, text)
        text = nb_re.sub(lambda mo: f"nb{m(mo.group(1))}", text)
        text = ref_re.sub(lambda mo: mo.group(1) + re.sub(r"\d\d", lambda d: m(d.group(0)), mo.group(2)), text)
        text = ex_re.sub(lambda mo: mo.group(1) + re.sub(r"(\d\d)(\.\d+)", lambda d: m(d.group(1)) + d.group(2), mo.group(2)), text)
        if path.suffix == ".rs" and EXERCISES in path.parents:
            text = lit_re.sub(lambda mo: f"\"{m(mo.group(1))}.{mo.group(2)}\"", text)
        if path.suffix == ".ipynb":
            text = title_re.sub(lambda mo: mo.group(1) + m(mo.group(2)) + mo.group(3), text, count=1)
        return text

    files = [*NOTEBOOKS.glob("*.ipynb"), ROOT / "README.md", *(ROOT / "tests").glob("*.py"), *(ROOT / "tools").glob("*.py")]
    for crate in ("support-crate", "nn-engine"):
        files += [p for p in (ROOT / crate).rglob("*.rs") if "target" not in p.parts]
    keep = {Path(__file__).resolve()}
    files = [p for p in files if p.resolve() not in keep]
    for path in files:
        old = path.read_text()
        if path.name == "test_crossrefs.py":
            # The checker's own test uses made-up titles, not the real notebooks: leave it.
            head, sep, rest = old.partition("def test_the_checker_on_known_sentences")
            body, sep2, tail = rest.partition("\n\n\ndef ")
            new = rewrite(head, path) + sep + body + sep2 + rewrite(tail, path)
        else:
            new = rewrite(old, path)
        if new != old:
            path.write_text(new)

    sort_readme()
    sort_aliases(m)
    sort_mods()

    # Move the files through temporary names, so that no rename overwrites another file.
    moves = []
    for p in NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"):
        if m(p.name[:2]) != p.name[:2]:
            moves.append((p, NOTEBOOKS / f"{m(p.name[:2])}{p.name[2:]}"))
    for p in EXERCISES.glob("nb[0-9][0-9].rs"):
        if m(p.stem[2:]) != p.stem[2:]:
            moves.append((p, EXERCISES / f"nb{m(p.stem[2:])}.rs"))
    for src, _ in moves:
        git("mv", str(src), str(src) + ".renumber")
    for src, dst in moves:
        git("mv", str(src) + ".renumber", str(dst))
    print(f"renumber: {len(moves)} files moved, {len(files)} files rewritten where needed")


def git(*args: str) -> None:
    subprocess.run(["git", *args], cwd=ROOT, check=True)


def sort_readme() -> None:
    path = ROOT / "README.md"
    lines = path.read_text().split("\n")
    rows = [i for i, line in enumerate(lines) if re.match(r"\| \d\d \| \[", line)]
    if not rows:
        return
    # The number column follows each row's (already rewritten) link; then the rows are re-sorted.
    for i in rows:
        link = re.search(r"\(notebooks/(\d\d)-", lines[i])
        if link:
            lines[i] = f"| {link.group(1)} |" + lines[i].split("|", 2)[2]
    for i, line in zip(rows, sorted((lines[i] for i in rows), key=lambda line: line[2:4])):
        lines[i] = line
    path.write_text("\n".join(lines))


def sort_aliases(m) -> None:
    path = ROOT / "tests" / "crossrefs.py"
    text = path.read_text()
    start = text.index("ALIASES = {") + len("ALIASES = {\n")
    end = text.index("}", start)
    entries = [re.sub(r'^(\s*")(\d\d)(":)', lambda mo: mo.group(1) + m(mo.group(2)) + mo.group(3), line) for line in text[start:end].split("\n") if line.strip()]
    entries.sort(key=lambda line: line.strip()[:4])
    text = text[:start] + "\n".join(entries) + "\n" + text[end:]
    path.write_text(text)


def sort_mods() -> None:
    path = EXERCISES / "mod.rs"
    lines = path.read_text().split("\n")
    idx = [i for i, line in enumerate(lines) if re.fullmatch(r"pub mod nb\d\d;", line)]
    for i, line in zip(idx, sorted(lines[i] for i in idx)):
        lines[i] = line
    path.write_text("\n".join(lines))


if __name__ == "__main__":
    main()
