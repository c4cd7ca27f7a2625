"""`make lab` serves the notebooks on localhost, behind a token, with the course's Rust kernel."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request

from nbrunner import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str):
    with urllib.request.urlopen(url, timeout=5) as r:
        return json.loads(r.read())


def test_make_lab_serves_the_notebooks_with_the_rust_kernel():
    port, token = free_port(), "course-test-token"
    args = f"--ServerApp.port={port} --IdentityProvider.token={token} --ServerApp.open_browser=False"
    proc = subprocess.Popen(
        ["make", "--no-print-directory", "lab", f"LAB_ARGS={args}"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        specs = None
        while time.monotonic() < deadline and specs is None:
            try:
                specs = get(f"{base}/api/kernelspecs?token={token}")
            except (urllib.error.URLError, ConnectionError):
                assert proc.poll() is None, "make lab exited early"
                time.sleep(0.5)
        assert specs is not None, "JupyterLab did not answer within 90 s"
        rust = specs["kernelspecs"].get("rust")
        assert rust is not None, f"no 'rust' kernel in {list(specs['kernelspecs'])}"
        assert rust["spec"]["display_name"] == "Rust (course)"
        assert rust["spec"]["argv"][0] == str(ROOT / "tools" / "evcxr-kernel")
        names = {item["name"] for item in get(f"{base}/api/contents?token={token}")["content"]}
        assert "00-welcome.ipynb" in names and "01-perceptron-and-regression.ipynb" in names
        try:
            urllib.request.urlopen(f"{base}/api/contents", timeout=5)
            raise AssertionError("the server answered without a token")
        except urllib.error.HTTPError as e:
            assert e.code == 403
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
