"""One set of versions: the kernels, the crate's tests and the nn engine compile the same crates.

The kernel's build folder is a crate of its own, outside the workspace, with a lock of its own.
Left alone, cargo would resolve the newest semver-compatible releases there (and ask the
network), and a new release of a dependency could change a notebook's random stream while every
crate test stayed green. So `make setup` vendors the locked crates and the build folders take
their crates from there (tools/setup.sh).
"""

from __future__ import annotations

import re
from pathlib import Path

from locks import drift, lock_versions, missing_versions, packages, read, versions
from nbrunner import BUILD, ROOT

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


def vendored_versions(vendor: Path) -> dict[str, set[str]]:
    """name -> versions of the crates in a `cargo vendor` directory, read from their manifests."""
    entries = []
    for manifest in vendor.glob("*/Cargo.toml"):
        text = manifest.read_text()
        package = text[text.index("[package]") :]
        entries.append({k: re.search(rf'^{k} = "([^"]+)"', package, re.M).group(1) for k in ("name", "version")})
    return versions(entries)


def test_kernel_build_folders_take_exactly_the_locked_crates():
    """`make setup` vendors the workspace's registry crates into build/vendor and points every
    kernel build folder at it (build/evcxr-slots/.cargo/config.toml): the only versions cargo can
    pick there are the locked ones, and it needs no network to pick them."""
    config = BUILD / "evcxr-slots" / ".cargo" / "config.toml"
    vendor = BUILD / "vendor"
    assert config.exists() and vendor.is_dir(), "run `make setup`"
    text = config.read_text()
    assert 'replace-with = "course-locked"' in text and f'directory = "{vendor}"' in text, text
    expected = versions(p for p in packages((ROOT / "Cargo.lock").read_text()) if p.get("source", "").startswith("registry+"))
    assert len(expected) > 20 and vendored_versions(vendor) == expected


def test_the_nn_engine_locks_the_workspace_versions():
    """The engine (its own workspace, with burn's larger graph) compiles the course crate too: every
    crate the two share must include the workspace's version (burn may add older ones)."""
    workspace, engine = read(ROOT / "Cargo.lock"), read(ROOT / "nn-engine" / "Cargo.lock")
    assert len(workspace.keys() & engine.keys()) > 20  # ndarray, rand, nalgebra, plotters and theirs
    assert missing_versions(workspace, engine) == {}, "nn-engine/Cargo.lock lacks these workspace versions"
