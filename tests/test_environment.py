"""The conda environment (environment.yml) pins the same Python packages as the venv."""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def requirement_pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "tests" / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"requirements.txt: '{line}' must be pinned with =="
            pins[name.lower()] = version
    return pins


def conda_pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "environment.yml").read_text().splitlines():
        m = re.match(r"^\s*-\s*([A-Za-z0-9_.-]+)\s*=\s*([0-9][^\s#]*)\s*(#.*)?$", line)
        if m:
            pins[m.group(1).lower()] = m.group(2)
    return pins


def test_every_python_pin_is_in_environment_yml_with_the_same_version():
    req, conda = requirement_pins(), conda_pins()
    assert req, "tests/requirements.txt pins nothing"
    mismatched = {name: (v, conda.get(name)) for name, v in req.items() if conda.get(name) != v}
    assert not mismatched, f"requirements.txt vs environment.yml (venv, conda): {mismatched}"


def test_environment_python_matches_the_venv_major_minor():
    assert conda_pins().get("python") == f"{sys.version_info.major}.{sys.version_info.minor}"


def test_installed_packages_are_the_pinned_ones():
    from importlib.metadata import version

    wrong = {name: (v, version(name)) for name, v in requirement_pins().items() if version(name) != v}
    assert not wrong, f"pinned vs installed: {wrong}; run `make setup`"
