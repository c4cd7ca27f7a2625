"""One set of versions: the kernels, the crate's tests and the nn engine compile the same crates.

The kernel's build folder (a crate of its own, outside the workspace) starts from a copy of the
committed Cargo.lock (tools/evcxr-kernel); without it, cargo would resolve the newest
semver-compatible releases there, and a new release of a dependency could change a notebook's
random stream while every crate test stayed green.
"""

from __future__ import annotations

from locks import drift, lock_versions, missing_versions, read
from nbrunner import ROOT

LOCK = """# comment
version = 4

[[package]]
name = "rand"
version = "{rand}"
source = "registry+https://example.invalid"
dependencies = [
 "rand_core",
]

[[package]]
name = "rand_core"
version = "0.10.1"

[[package]]
name = "{extra}"
version = "1.0.0"
"""


def test_lock_reading_and_drift_on_known_locks():
    a = lock_versions(LOCK.format(rand="0.10.3", extra="ctx"))
    b = lock_versions(LOCK.format(rand="0.10.4", extra="course"))
    assert a == {"rand": {"0.10.3"}, "rand_core": {"0.10.1"}, "ctx": {"1.0.0"}}
    assert drift(a, b) == {"rand": (["0.10.3"], ["0.10.4"])}  # crates in one graph only don't count
    assert drift(a, a) == {}
    bigger = {**a, "rand": {"0.10.3", "0.8.5"}}
    assert drift(a, bigger) == {"rand": (["0.10.3"], ["0.10.3", "0.8.5"])}
    assert missing_versions(a, bigger) == {}
    assert missing_versions(a, b) == {"rand": (["0.10.3"], ["0.10.4"])}


def test_every_kernel_starts_from_the_workspace_lock(tmp_path):
    """tools/evcxr-kernel puts the committed lock into the kernel's build folder, whatever was there."""
    import os
    import subprocess

    (tmp_path / "Cargo.lock").write_text(LOCK.format(rand="0.10.4", extra="ctx"))
    env = dict(os.environ, EVCXR_TMPDIR=str(tmp_path))
    out = subprocess.run([str(ROOT / "tools" / "evcxr-kernel"), "true"], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "Cargo.lock").read_text() == (ROOT / "Cargo.lock").read_text()


def test_the_nn_engine_locks_the_workspace_versions():
    """The engine (its own workspace, with burn's larger graph) compiles the course crate too: every
    crate the two share must include the workspace's version (burn may add older ones)."""
    workspace, engine = read(ROOT / "Cargo.lock"), read(ROOT / "nn-engine" / "Cargo.lock")
    assert len(workspace.keys() & engine.keys()) > 20  # ndarray, rand, nalgebra, plotters and theirs
    assert missing_versions(workspace, engine) == {}, "nn-engine/Cargo.lock lacks these workspace versions"
