"""Reading Cargo.lock files, to check that the kernels compile the versions that the tests check."""

from __future__ import annotations

import re
from pathlib import Path


def packages(text: str) -> list[dict[str, str]]:
    """The [[package]] entries of a Cargo.lock (its text), as their string fields."""
    out = []
    for block in text.split("[[package]]")[1:]:
        out.append(dict(re.findall(r'^(\w+) = "([^"]*)"$', block, re.M)))
    return out


def versions(entries) -> dict[str, set[str]]:
    """name -> the set of versions, of package entries (dicts with "name" and "version")."""
    out: dict[str, set[str]] = {}
    for p in entries:
        if "name" not in p or "version" not in p:
            raise ValueError(f"a [[package]] entry without name or version: {p}")
        out.setdefault(p["name"], set()).add(p["version"])
    return out


def lock_versions(text: str) -> dict[str, set[str]]:
    """Every package of a Cargo.lock (its text), with the set of its locked versions."""
    return versions(packages(text))


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
