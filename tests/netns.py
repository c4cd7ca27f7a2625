"""Running things with no network: in a fresh network namespace that has only loopback.

    unshare -n python tests/netns.py notebook SLOT_DIR NOTEBOOK   # one notebook, in SLOT_DIR
    unshare -n python tests/netns.py run CMD ARGS...              # any command

Inside, the loopback interface is brought up (the kernel and nbclient talk over 127.0.0.1), and
the script checks that loopback is the only interface before doing anything: a test that passes
here passed with no route to any registry. Used by tests/test_offline.py.
"""

from __future__ import annotations

import fcntl
import json
import shutil
import socket
import struct
import subprocess
import sys
from pathlib import Path

SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1


def loopback_up() -> None:
    """`ip link set lo up`, without needing iproute2 (an ioctl on a struct ifreq of 40 bytes)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        ifr = struct.pack("16sH22x", b"lo", 0)
        flags = struct.unpack("16sH22x", fcntl.ioctl(s, SIOCGIFFLAGS, ifr))[1]
        fcntl.ioctl(s, SIOCSIFFLAGS, struct.pack("16sH22x", b"lo", flags | IFF_UP))


def interfaces() -> list[str]:
    return sorted(name for _, name in socket.if_nameindex())


def unshare_prefix() -> list[str] | None:
    """The command prefix that makes a new network namespace here, or None if none can be made
    (needs root, or unprivileged user namespaces for `unshare -rn`)."""
    if shutil.which("unshare") is None:
        return None
    for prefix in (["unshare", "-n"], ["unshare", "-rn"]):
        try:
            if subprocess.run([*prefix, "true"], capture_output=True, timeout=30).returncode == 0:
                return prefix
        except (OSError, subprocess.TimeoutExpired):
            continue
    return None


def main(argv: list[str]) -> int:
    loopback_up()
    if interfaces() != ["lo"]:
        print(f"netns: expected loopback only, found {interfaces()}", file=sys.stderr)
        return 3
    if argv[0] == "run":
        return subprocess.run(argv[1:]).returncode
    if argv[0] == "notebook":
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from nbrunner import BuildSlot, execute

        slot, path = BuildSlot(Path(argv[1])), Path(argv[2])  # the caller holds the slot's lock
        result, _ = execute(path, slot)
        print(json.dumps({"seconds": result.seconds, "failure": result.failure, "interfaces": interfaces()}))
        return 0 if result.failure is None else 1
    print(f"netns: unknown mode {argv[0]!r}; use 'notebook SLOT PATH' or 'run CMD…'", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
