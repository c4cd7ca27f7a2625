"""Reading Cargo.lock files, to check that the kernels compile the versions that the tests check."""

from __future__ import annotations

import re
from pathlib import Path

PACKAGE = re.compile(r'^\[\[package\]\]\s*\nname = "([^"]+)"\s*\nversion = "([^"]+)"', re.M)


def lock_versions(text: str) -> dict[str, set[str]]:
    """Every package of a Cargo.lock (its text), with the set of its locked versions."""
    versions: dict[str, set[str]] = {}
    for name, version in PACKAGE.findall(text):
        versions.setdefault(name, set()).add(version)
    if not versions and "[[package]]" in text:
        raise ValueError("no [[package]] entry could be read (name and version must follow the header)")
    return versions


def drift(reference: dict[str, set[str]], other: dict[str, set[str]]) -> dict[str, tuple[list[str], list[str]]]:
    """The crates both graphs share whose locked versions differ: name -> (reference, other)."""
    return {
        name: (sorted(reference[name]), sorted(other[name]))
        for name in sorted(reference.keys() & other.keys())
        if reference[name] != other[name]
    }


def missing_versions(reference: dict[str, set[str]], other: dict[str, set[str]]) -> dict[str, tuple[list[str], list[str]]]:
    """The shared crates for which `other` lacks a version that `reference` locks (`other` may
    hold more versions of a crate, as a larger graph does): name -> (reference, other)."""
    return {
        name: (sorted(reference[name]), sorted(other[name]))
        for name in sorted(reference.keys() & other.keys())
        if not reference[name] <= other[name]
    }


def read(path: Path) -> dict[str, set[str]]:
    return lock_versions(path.read_text())
