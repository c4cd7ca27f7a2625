"""After `make setup`, the course needs no network: a lecture hall with bad Wi-Fi, a train, a
firewalled JupyterHub. Each test runs in a network namespace that has only loopback
(tests/netns.py); they are skipped where no namespace can be made (not root and no user
namespaces), and run in CI, which is root."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from nbrunner import NOTEBOOKS, ROOT
from netns import unshare_prefix

NETNS = unshare_prefix()
pytestmark = pytest.mark.skipif(NETNS is None, reason="no network namespace can be made here (unshare -n needs root or user namespaces)")
# A notebook that also loads and trains through the nn engine (whose no-op rebuild check runs cargo).
OFFLINE_NOTEBOOK = NOTEBOOKS / "09-training-deep-networks.ipynb"


def in_netns(*args: str, env: dict | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    cmd = [*NETNS, sys.executable, str(Path(__file__).with_name("netns.py")), *args]
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)


def test_setup_is_done_and_quiet_with_no_network():
    """`make lab` and `make test` start with set-up: once it is done, it needs no network."""
    out = in_netns("run", "bash", "tools/setup.sh", timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stderr == "", f"set-up should have found nothing missing, but said:\n{out.stderr}"


def test_a_notebook_runs_with_no_network(slot, warm):
    out = in_netns("notebook", str(slot.path), str(OFFLINE_NOTEBOOK), env=slot.env())
    last = out.stdout.strip().splitlines()[-1] if out.stdout.strip() else ""
    assert last.startswith("{"), f"no result from the offline run:\n{out.stdout}\n{out.stderr}"
    result = json.loads(last)
    assert result["interfaces"] == ["lo"]
    assert out.returncode == 0 and result["failure"] is None, result["failure"]


def test_with_nothing_cached_and_no_network_setup_says_what_to_run(tmp_path):
    env = dict(os.environ, CARGO_HOME=str(tmp_path / "empty-cargo-home"))
    rustup_home = Path.home() / ".rustup"
    if "RUSTUP_HOME" not in env and rustup_home.is_dir():
        env["RUSTUP_HOME"] = str(rustup_home)  # the toolchain itself stays where it is
    out = in_netns("run", "bash", "tools/setup.sh", env=env, timeout=120)
    assert out.returncode == 1, out.stderr
    lines = out.stderr.strip().splitlines()
    errors = [line for line in lines if line.startswith("setup: error:")]
    assert len(errors) == 1 and lines[-1] == errors[0], f"one error line, and last:\n{out.stderr}"
    assert "make setup" in errors[0] and "no network" in errors[0], errors[0]
    assert not [line for line in lines if not line.startswith("setup: ")], f"cargo's own output belongs in build/setup.log:\n{out.stderr}"
