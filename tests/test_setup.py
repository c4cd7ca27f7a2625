"""Set-up checks the Rust toolchain first, and every file states the same minimum Rust."""

from __future__ import annotations

import glob
import os
import re
import subprocess
from pathlib import Path

import pytest

from nbrunner import ROOT

SETUP = ROOT / "tools" / "setup.sh"


def setup_minimum() -> str:
    m = re.search(r'^RUST_MIN="(\d+\.\d+)"$', SETUP.read_text(), re.M)
    assert m, "tools/setup.sh must set RUST_MIN=\"X.Y\""
    return m.group(1)


def fake_rustc(tmp_path: Path, version_line: str) -> dict:
    """An environment whose `rustc --version` prints `version_line`."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    rustc = bin_dir / "rustc"
    rustc.write_text(f"#!/bin/sh\necho '{version_line}'\n")
    rustc.chmod(0o755)
    return dict(os.environ, PATH=f"{bin_dir}:{os.environ['PATH']}", COURSE_ENV=str(tmp_path / "no-env"))


@pytest.mark.parametrize("found", ["1.90.0", "1.9.5", "1.94.1"])
def test_too_old_rustc_stops_set_up_with_one_clear_line(tmp_path, found):
    env = fake_rustc(tmp_path, f"rustc {found} (1159e78c4 2025-09-14)")
    out = subprocess.run(["bash", str(SETUP)], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 1
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    need = setup_minimum()
    assert f"rustc {found}" in lines[0] and f">= {need}" in lines[0] and "rustup update" in lines[0], lines[0]
    assert not (tmp_path / "no-env").exists()  # stopped before installing anything


@pytest.mark.parametrize("found", ["1.95.0", "1.100.2-nightly"])
def test_new_enough_rustc_passes_the_check(tmp_path, found):
    # COURSE_ENV points at no environment, so set-up stops at the next step, with that step's error.
    env = fake_rustc(tmp_path, f"rustc {found} (abcdef012 2026-04-14)")
    out = subprocess.run(["bash", str(SETUP)], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 1 and "too old" not in out.stderr and "COURSE_ENV" in out.stderr, out.stderr


def test_rust_minimum_is_the_same_everywhere():
    need = setup_minimum()
    cargo_tomls = [ROOT / "Cargo.toml", ROOT / "nn-engine" / "Cargo.toml"]
    for toml in cargo_tomls:
        assert re.search(rf'^rust-version = "{re.escape(need)}"$', toml.read_text(), re.M), f"{toml.relative_to(ROOT)}: rust-version must be {need}"
    assert re.search(rf"^\s*- rust>={re.escape(need)}\s*$", (ROOT / "environment.yml").read_text(), re.M), f"environment.yml: rust>={need}"
    assert f"Rust (≥ {need})" in (ROOT / "README.md").read_text(), f"README.md: Rust (≥ {need})"


def test_rust_minimum_is_what_evcxr_needs():
    """The oracle: evcxr's own rust-version, from the sources cargo downloaded to build it."""
    version = re.search(r'^evcxr_version="([^"]+)"$', SETUP.read_text(), re.M).group(1)
    cargo_home = Path(os.environ.get("CARGO_HOME", Path.home() / ".cargo"))
    found = glob.glob(str(cargo_home / "registry" / "src" / "*" / f"evcxr-{version}" / "Cargo.toml"))
    if not found:
        pytest.skip(f"evcxr {version} sources are not in cargo's cache (installed elsewhere)")
    m = re.search(r'^rust-version = "([^"]+)"$', Path(found[0]).read_text(), re.M)
    assert m and m.group(1) == setup_minimum(), f"evcxr {version} needs rustc {m and m.group(1)}, setup.sh says {setup_minimum()}"
