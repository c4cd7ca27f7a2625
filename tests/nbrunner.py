"""Headless execution of the course notebooks on the Rust kernel, and the checks on their shape.

The Rust kernel (evcxr) reports a panicking cell as a success: it prints the panic to stderr and
replies "ok". So a notebook fails here on any of
  - an error reply (a compile error, or an error returned with `?`),
  - "panicked at" in a cell's stderr,
  - an exercise check that is "not yet correct" (printed to stderr by `Feedback`),
  - a cell or the whole notebook going over its time limit,
  - the kernel dying,
and the message names the cell, shows its source and the kernel's text without ANSI codes.

`check_shape` reads an executed notebook and names what is missing for it to be a real lesson:
a title cell with goals, seed topics and references; at least two figures, each with a title;
at least three cells that assert mathematics; at least two exercises whose check functions
passed, and their reference solutions (cells tagged `solution`).
"""

from __future__ import annotations

import copy
import fcntl
import json
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionComplete, CellExecutionError, CellTimeoutError, DeadKernelError
from nbclient.util import ensure_async

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
BUILD = ROOT / "build"

ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")
PANIC = re.compile(r"panicked at")
NOT_YET = re.compile(r"exercise \S+ not yet correct")
DEP_LINE = re.compile(r"^\s*:dep\s.*$", re.M)
# The time a notebook is written to (warm, 2 cores, quiet machine), and the limit that fails it.
BUDGET = float(os.environ.get("NB_BUDGET", "60"))
LIMIT = float(os.environ.get("NB_TIME_LIMIT", str(2 * BUDGET)))


def strip_ansi(text: str) -> str:
    return ANSI.sub("", text)


class NotebookFailure(Exception):
    """A notebook did not run cleanly; the message says where and why."""


@dataclass
class CellTime:
    index: int
    seconds: float
    source: str
    end: float = 0.0  # time.monotonic() when the cell finished


@dataclass
class RunResult:
    name: str
    seconds: float = 0.0
    started: float = 0.0  # time.monotonic() before the kernel was started
    cells: list[CellTime] = field(default_factory=list)
    failure: str | None = None
    executed: Path | None = None
    budget: float | None = None  # the notebook's written budget, if it has one

    @property
    def over_budget(self) -> bool:
        return self.budget is not None and self.seconds > self.budget

    def to_json(self) -> dict:
        return {
            "notebook": self.name,
            "seconds": round(self.seconds, 3),
            "budget_seconds": self.budget,
            "over_budget": self.over_budget,
            "passed": self.failure is None,
            "cells": [
                {"index": c.index, "seconds": round(c.seconds, 3), "source": c.source} for c in self.cells
            ],
        }


class BuildSlot:
    """A persistent evcxr build folder held under an exclusive lock (never two kernels at once).

    Kernels started with this slot's `env()` reuse what earlier kernels compiled there, so the
    support crate is built once per slot, not once per notebook.
    """

    def __init__(self, path: Path):
        self.path = path
        self._lock = None

    @classmethod
    def free_in(cls, pool: Path, n_slots: int = 8) -> "BuildSlot":
        """The first slot of `pool` that no kernel holds, locked (tools/evcxr-kernel uses the same
        pool and locks, so JupyterLab kernels and test runs share compiled artifacts safely)."""
        pool.mkdir(parents=True, exist_ok=True)
        for i in range(n_slots):
            slot = cls(pool / f"slot-{i}")
            if slot._try_lock():
                return slot
        raise RuntimeError(f"all {n_slots} build slots in {pool} are held by running kernels")

    def _try_lock(self) -> bool:
        self.path.mkdir(parents=True, exist_ok=True)
        lock = open(self.path.parent / f"{self.path.name}.lock", "w")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.close()
            return False
        self._lock = lock
        return True

    def __enter__(self) -> "BuildSlot":
        if self._lock is None and not self._try_lock():
            raise RuntimeError(f"build slot {self.path} is held by another kernel")
        return self

    def __exit__(self, *exc) -> None:
        if self._lock:
            fcntl.flock(self._lock, fcntl.LOCK_UN)
            self._lock.close()
            self._lock = None

    def env(self) -> dict:
        env = dict(os.environ)
        env["EVCXR_TMPDIR"] = str(self.path)
        env["RUST_BACKTRACE"] = "0"  # the panic message is what matters; backtraces are noise
        return env


def _cell_text(cell) -> tuple[str, str]:
    """(stderr text, error text) of an executed code cell, without ANSI codes."""
    stderr, errors = [], []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream" and out.get("name") == "stderr":
            stderr.append(out.get("text", ""))
        elif out.get("output_type") == "error":
            errors.append(f"{out.get('ename', '')}: {out.get('evalue', '')}")
            errors.extend(out.get("traceback", []))
    return strip_ansi("".join(stderr)), strip_ansi("\n".join(errors))


def _describe(name: str, index: int, cell, why: str, text: str) -> str:
    source = cell.get("source", "")
    lines = source.splitlines()
    shown = "\n".join("    " + line for line in lines[:25])
    if len(lines) > 25:
        shown += f"\n    … ({len(lines) - 25} more lines)"
    text = text.strip()
    if len(text) > 4000:
        text = text[:4000] + "\n… (cut)"
    body = "\n".join("    " + line for line in text.splitlines())
    return f"{name}: cell {index} {why}\n  source:\n{shown}\n  kernel said:\n{body}"


class _Client(NotebookClient):
    """nbclient with per-cell timing, a whole-notebook deadline and the panic checks."""

    def __init__(self, nb, name: str, cell_limit: float, notebook_limit: float | None, **kw):
        self._name = name
        self._cell_limit = cell_limit
        self._notebook_limit = notebook_limit
        self._deadline = None
        self._started = {}
        self._msg_cells: dict[str, int] = {}
        self._late: set[int] = set()
        self._flush_index = len(nb.cells) - 1
        self._flushed = False
        self.cell_times: list[CellTime] = []
        super().__init__(
            nb,
            timeout_func=self._timeout,
            on_cell_start=self._on_start,
            on_cell_executed=self._on_executed,
            **kw,
        )

    def _timeout(self, _cell) -> int:
        if self._deadline is None:
            return int(self._cell_limit)
        remaining = self._deadline - time.monotonic()
        return max(1, int(min(self._cell_limit, remaining) + 1))

    def _on_start(self, cell, cell_index):
        if self._deadline is None and self._notebook_limit is not None:
            self._deadline = time.monotonic() + self._notebook_limit
        self._started[cell_index] = time.monotonic()

    def _on_executed(self, cell, cell_index, execute_reply):
        seconds = time.monotonic() - self._started.get(cell_index, time.monotonic())
        first_line = cell.source.splitlines()[0] if cell.source else ""
        self.cell_times.append(CellTime(cell_index, seconds, first_line, time.monotonic()))
        # Late stderr of an earlier cell (see _async_poll_output_msg) first, then this cell's.
        for i in sorted(self._late):
            self._check_stderr(i, self.nb.cells[i])
        self._late.clear()
        self._check_stderr(cell_index, cell)

    def _check_stderr(self, cell_index, cell):
        stderr, _ = _cell_text(cell)
        if PANIC.search(stderr):
            raise NotebookFailure(_describe(self._name, cell_index, cell, "panicked", stderr))
        if NOT_YET.search(stderr):
            raise NotebookFailure(
                _describe(self._name, cell_index, cell, "has an exercise check that did not pass", stderr)
            )

    async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):
        """nbclient's loop, except that stderr which evcxr delivers after a cell went idle (the
        child process's stderr is forwarded by a thread, unsynchronized with the cell's end) is
        kept with the cell it belongs to and checked, not dropped: a late panic still fails.
        The runner's last cell writes FLUSH to stderr; its arrival means all earlier stderr has
        arrived (one pipe, in order), so that cell waits for it."""
        self._msg_cells[parent_msg_id] = cell_index
        done, deadline = False, None
        while not (done and (self._flushed or cell_index != self._flush_index)):
            timeout = None if deadline is None else max(0.0, deadline - time.monotonic())
            try:
                msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=timeout))
            except Exception:  # queue.Empty: the marker never came; nothing more to wait for
                return
            pid = msg["parent_header"].get("msg_id")
            is_stderr = msg["msg_type"] == "stream" and msg["content"].get("name") == "stderr"
            if is_stderr and FLUSH in msg["content"]["text"]:
                self._flushed = True
                rest = msg["content"]["text"].replace(FLUSH + "\n", "").replace(FLUSH, "")
                if not rest:
                    continue
                msg["content"]["text"] = rest
            if pid == parent_msg_id:
                if done:
                    continue
                try:
                    self.process_message(msg, cell, cell_index)
                except CellExecutionComplete:
                    done, deadline = True, time.monotonic() + 10.0
            elif pid in self._msg_cells and is_stderr:
                i = self._msg_cells[pid]
                self.nb.cells[i].outputs.append(nbformat.v4.new_output("stream", name="stderr", text=msg["content"]["text"]))
                self._late.add(i)


FLUSH = "(runner: end of the kernel's output)"


def execute(
    path: Path,
    slot: BuildSlot,
    out_dir: Path | None = None,
    cell_limit: float = 600.0,
    notebook_limit: float | None = LIMIT,
    kernel_name: str = "rust",
    cwd: Path | None = None,
) -> tuple[RunResult, nbformat.NotebookNode]:
    """Runs `path` in a fresh kernel whose build folder is `slot`; returns timing and the
    executed notebook. Raises NotebookFailure with a readable message on any failure (the
    executed copy, up to the failing cell, is still written to `out_dir`). The kernel runs in
    `cwd` (default: the notebook's folder), against which relative `:dep` paths resolve."""
    nb = clean_copy(nbformat.read(path, as_version=4))
    name = path.stem
    # A last, empty cell: while it runs, late stderr of the real last cell still arrives and is
    # checked. It is removed again before the notebook is returned.
    nb.cells.append(nbformat.v4.new_code_cell(f'eprintln!("{FLUSH}");'))
    client = _Client(
        nb,
        name,
        cell_limit=cell_limit,
        notebook_limit=notebook_limit,
        kernel_name=kernel_name,
        allow_errors=False,
        startup_timeout=120,
        resources={"metadata": {"path": str(cwd or path.parent)}},
    )
    result = RunResult(name)
    start = result.started = time.monotonic()
    try:
        client.execute(env=slot.env())
    except NotebookFailure as e:
        result.failure = str(e)
    except CellTimeoutError:
        done = {t.index for t in client.cell_times}
        index = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code" and i not in done)
        elapsed = time.monotonic() - start
        if notebook_limit is not None and elapsed >= notebook_limit:
            why = f"took the notebook over its time limit of {notebook_limit:.0f} s (at {elapsed:.0f} s)"
        else:
            why = f"went over the cell time limit of {cell_limit:.0f} s"
        result.failure = _describe(name, index, nb.cells[index], why, "(no reply before the deadline)")
    except DeadKernelError as e:
        result.failure = f"{name}: the kernel died: {strip_ansi(str(e))}"
    except CellExecutionError:
        bad = next(
            (
                (i, c)
                for i, c in enumerate(nb.cells)
                if c.cell_type == "code" and any(o.get("output_type") == "error" for o in c.get("outputs", []))
            ),
            None,
        )
        if bad is None:
            result.failure = f"{name}: a cell failed but no error output was recorded"
        else:
            i, c = bad
            result.failure = _describe(name, i, c, "failed (error reply)", _cell_text(c)[1])
    result.seconds = time.monotonic() - start
    flush = len(nb.cells) - 1
    nb.cells.pop()
    result.cells = [t for t in client.cell_times if t.index != flush]
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        result.executed = out_dir / path.name
        nbformat.write(nb, result.executed)
    return result, nb


def clean_copy(nb):
    """`nb` without outputs or execution counts: what a run starts from, whatever was saved."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return nb


def dep_lines(paths: list[Path]) -> list[str]:
    """Every distinct `:dep` line of the notebooks, in first-seen order."""
    seen: list[str] = []
    for p in paths:
        nb = nbformat.read(p, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                for line in DEP_LINE.findall(cell.source):
                    if line.strip() not in seen:
                        seen.append(line.strip())
    return seen


def warm_up(paths: list[Path], slot: BuildSlot, limit: float = 1800.0) -> float:
    """Compiles every dependency the notebooks load, in `slot`, the way a kernel does, so that
    the notebooks' own time limits measure warm runs. Returns the seconds it took."""
    deps = dep_lines(paths)
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "rust", "display_name": "Rust (course)", "language": "rust"}
    cells = [nbformat.v4.new_code_cell(d) for d in deps]
    if any("course" in d for d in deps):
        cells.append(
            nbformat.v4.new_code_cell(
                "use course::prelude::*;\n"
                'let fig = Plot::new("warm-up").line(&linspace(0.0, 1.0, 3), &[0.0, 1.0, 0.0], "").render();\n'
                "fig.title().len()"
            )
        )
    nb.cells = cells
    staged = BUILD / "warm-up.ipynb"
    staged.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, staged)
    # Run from notebooks/ so that relative `:dep` paths resolve as they do for the notebooks.
    result, _ = execute(staged, slot, out_dir=None, cell_limit=limit, notebook_limit=None, cwd=NOTEBOOKS)
    if result.failure:
        raise NotebookFailure("warm-up (compiling the notebooks' dependencies) failed:\n" + result.failure)
    return result.seconds


# --------------------------------------------------------------------------------------------
# Shape checks
# --------------------------------------------------------------------------------------------

GOALS = re.compile(r"(?im)^#+\s*(learning\s+)?goals\b")
REFERENCES = re.compile(r"(?im)^#+\s*references\b")
SEED = re.compile(r"(?i)\bseed\b")
ASSERTION = re.compile(r"\b(check::\w+\s*\(|assert(_eq|_ne)?!\s*\()")
EXERCISE = re.compile(r"\bexercises::nb(\d\d)::(check_\w+)\s*\(")
SVG_TITLE = re.compile(r"<title>\s*([^<]*?)\s*</title>")


def figures(nb) -> list[str]:
    """The titles of the figures in the outputs ('' for a figure without a title)."""
    titles = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if "image/svg+xml" in data:
                svg = data["image/svg+xml"]
                svg = "".join(svg) if isinstance(svg, list) else svg
                m = SVG_TITLE.search(svg)
                titles.append(m.group(1) if m else "")
            elif "image/png" in data:
                titles.append("")
    return titles


def check_shape(nb, number: str) -> list[str]:
    """What the executed notebook `nb` (number `NN`) lacks to count as a lesson, as sentences."""
    problems = []
    cells = nb.cells
    first = cells[0] if cells else None
    if first is None or first.cell_type != "markdown" or not first.source.lstrip().startswith("# "):
        problems.append("the first cell must be a Markdown title cell starting with '# '")
    else:
        for pattern, what in ((GOALS, "a 'Goals' heading"), (REFERENCES, "a 'References' heading"), (SEED, "the seed topics it covers")):
            if not pattern.search(first.source):
                problems.append(f"the title cell lacks {what}")

    titles = figures(nb)
    if len(titles) < 2:
        problems.append(f"needs at least 2 figures in its outputs, has {len(titles)}")
    untitled = sum(1 for t in titles if not t)
    if untitled:
        problems.append(f"{untitled} figure(s) without a title (use course::plot, which writes <title>)")

    code = [c for c in cells if c.cell_type == "code"]
    asserting = [c for c in code if ASSERTION.search(c.source)]
    if len(asserting) < 3:
        problems.append(f"needs at least 3 cells that assert mathematics (check::… or assert!), has {len(asserting)}")

    checked = {}
    for c in code:
        for nn, fn in EXERCISE.findall(c.source):
            if nn != number:
                problems.append(f"calls exercises::nb{nn}::{fn}, but this is notebook {number}")
                continue
            text = "".join(
                json.dumps(o.get("data", {}), ensure_ascii=False) + o.get("text", "") for o in c.get("outputs", [])
            )
            checked[fn] = checked.get(fn, False) or ("✅" in text)
    if len(checked) < 2:
        problems.append(f"needs at least 2 exercises checked by exercises::nb{number}::check_…, has {len(checked)}")
    failed = sorted(fn for fn, ok in checked.items() if not ok)
    if failed:
        problems.append("exercise checks without a passing (✅) output: " + ", ".join(failed))
    solutions = [c for c in cells if "solution" in c.get("metadata", {}).get("tags", [])]
    if len(solutions) < 2:
        problems.append(f"needs reference solutions in cells tagged 'solution' (at least 2), has {len(solutions)}")
    return problems


def strip_solutions(nb):
    """The student edition: solution cells emptied down to a prompt, outputs cleared."""
    nb = clean_copy(nb)
    for cell in nb.cells:
        if "solution" in cell.get("metadata", {}).get("tags", []):
            cell.source = "// Your solution here: replace todo!() and run the check in the next cell.\ntodo!()"
    return nb
