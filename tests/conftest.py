"""Session fixtures for the notebook runner: a locked build slot, a warm-up compile, timings."""

from __future__ import annotations

import json
import os
import time

import pytest

from nbrunner import BUDGET, BUILD, LIMIT, NOTEBOOKS, BuildSlot, warm_up

NOTEBOOK_PATHS = sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
TIMINGS_JSON = BUILD / "timings.json"

_timings: list = []
_warmup: dict = {}


@pytest.fixture(scope="session")
def slot():
    """One persistent evcxr build folder, held for the whole run (notebooks run one at a time)."""
    s = BuildSlot.free_in(BUILD / "evcxr-slots")
    with s:
        yield s


@pytest.fixture(scope="session")
def warm(slot):
    """Compiles the notebooks' dependencies once, so each notebook's time limit measures a warm run."""
    _warmup["seconds"] = warm_up(NOTEBOOK_PATHS, slot)
    return _warmup["seconds"]


@pytest.fixture(scope="session")
def timings():
    return _timings


def pytest_sessionfinish(session, exitstatus):
    if not _timings and not _warmup:
        return
    BUILD.mkdir(parents=True, exist_ok=True)
    report = {
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {"cores": os.cpu_count()},
        "budget_seconds": BUDGET,
        "limit_seconds": LIMIT,
        "warm_up_seconds": round(_warmup.get("seconds", 0.0), 3),
        "notebooks": [r.to_json() for r in _timings],
    }
    TIMINGS_JSON.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")


def pytest_terminal_summary(terminalreporter):
    if not _timings:
        return
    tr = terminalreporter
    tr.section("notebook timings")
    tr.write_line(f"machine: {os.cpu_count()} cores; warm-up (compiling dependencies): {_warmup.get('seconds', 0.0):.1f} s")
    tr.write_line(f"budget: {BUDGET:.0f} s per notebook (warm, quiet machine); a notebook fails only past {LIMIT:.0f} s")
    tr.write_line(f"{'notebook':<44} {'total s':>8} {'cells':>6} {'slowest cell':>13}  status")
    for r in _timings:
        slowest = max(r.cells, key=lambda c: c.seconds, default=None)
        slow = f"{slowest.seconds:6.2f} (#{slowest.index})" if slowest else "-"
        status = "FAILED" if r.failure is not None else "ok"
        if r.over_budget:
            status += f", OVER BUDGET (+{r.seconds - r.budget:.1f} s)"
        tr.write_line(f"{r.name:<44} {r.seconds:8.1f} {len(r.cells):6d} {slow:>13}  {status}")
    total = sum(r.seconds for r in _timings)
    tr.write_line(f"{'all notebooks':<44} {total:8.1f}")
    if _timings:
        slowest_nb = max(_timings, key=lambda r: r.seconds)
        over = [r.name for r in _timings if r.over_budget]
        tr.write_line(f"slowest: {slowest_nb.name} ({slowest_nb.seconds:.1f} s); over budget: {', '.join(over) if over else 'none'}")
    tr.write_line("per cell (seconds, in order):")
    for r in _timings:
        tr.write_line(f"  {r.name}: " + " ".join(f"{c.seconds:.2f}" for c in r.cells))
    tr.write_line(f"report: {TIMINGS_JSON.relative_to(BUILD.parent)}")
