#!/usr/bin/env bash
# Installs what the course needs and is missing; quiet when nothing is. Idempotent.
#
#   0. checks that rustc is new enough for evcxr_jupyter (RUST_MIN below)
#   1. a project-local Python venv (.venv) with the pinned tests/requirements.txt
#      (or, with COURSE_ENV=/path/to/env, an existing conda environment made from environment.yml)
#   2. every crate the kernels and the nn engine will ever compile, downloaded into cargo's cache
#      at the versions of the committed Cargo.lock files, and the kernels' crates copied to
#      build/vendor, from which every kernel build folder takes them (so that, from then on,
#      notebooks, `make lab` and `make test` work with no network at all, on those versions)
#   3. evcxr_jupyter 0.22.0 (cargo install --locked, into cargo's default root)
#   4. the Rust kernel registered into the venv (not the user's home), started through
#      tools/evcxr-kernel with the course's evcxr config (tools/evcxr/init.evcxr)
#   5. the nn engine (nn-engine/: burn, compiled once in release mode into a shared library that
#      course::nn loads; about 4 minutes the first time on 2 cores, a no-op afterwards)
#
# Needs only python3 (>= 3.10, with venv) and a Rust toolchain (cargo, rustc >= RUST_MIN) on PATH,
# and the network the first time. What a failed download printed goes to build/setup.log.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv="${COURSE_ENV:-$root/.venv}"
evcxr_version="0.22.0"
# The oldest rustc that builds evcxr_jupyter $evcxr_version (its own rust-version). README.md,
# environment.yml and the Cargo.toml files say the same (tests/test_setup.py checks it).
RUST_MIN="1.95"
log="$root/build/setup.log"
say() { printf 'setup: %s\n' "$*" >&2; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }
# Runs "$@" with its output appended to build/setup.log; on failure, one line that says what to do.
logged() {
  local what=$1; shift
  mkdir -p "$(dirname "$log")"
  printf '\n== %s: %s\n' "$(date '+%F %T')" "$*" >>"$log"
  "$@" >>"$log" 2>&1 ||
    die "could not download $what (no network?): connect once and run \`make setup\`; afterwards the course works offline (details: build/setup.log)"
}

command -v python3 >/dev/null || die "python3 is not on PATH; install Python 3.10 or newer"
command -v cargo >/dev/null || die "cargo is not on PATH; install Rust with rustup (https://rustup.rs)"

# 0. Rust version -------------------------------------------------------------------------------
rustc_version=$(rustc --version 2>/dev/null | sed -n 's/^rustc \([0-9][0-9]*\.[0-9][0-9]*\.[0-9][0-9]*\).*/\1/p')
[ -n "$rustc_version" ] || die "rustc is not on PATH (or prints no version); install Rust with rustup (https://rustup.rs)"
if [ "$(printf '%s\n%s\n' "$RUST_MIN.0" "$rustc_version" | sort -V | head -n1)" != "$RUST_MIN.0" ]; then
  die "rustc $rustc_version is too old: evcxr_jupyter $evcxr_version needs rustc >= $RUST_MIN; update with \`rustup update\`"
fi

# 1. Python environment -----------------------------------------------------------------------
req="$root/tests/requirements.txt"
stamp="$venv/.requirements.sha256"
want=$(sha256sum "$req" | cut -d' ' -f1)
if [ -n "${COURSE_ENV:-}" ]; then
  [ -x "$venv/bin/jupyter" ] || die "COURSE_ENV=$venv has no bin/jupyter; create it from environment.yml first"
elif [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  say "creating the Python environment in .venv (pinned: tests/requirements.txt)"
  python3 -m venv "$venv" || die "python3 -m venv failed; on Debian: apt-get install python3-venv"
  logged "the Python packages" "$venv/bin/python" -m pip install --disable-pip-version-check -r "$req"
  echo "$want" > "$stamp"
fi

# 2. Crates, at the locked versions ----------------------------------------------------------------
# A check without the network first (a fraction of a second); a download only if something is missing.
for manifest in "$root/Cargo.toml" "$root/nn-engine/Cargo.toml"; do
  if ! cargo fetch --locked --offline --manifest-path "$manifest" >/dev/null 2>&1; then
    say "downloading the crates of ${manifest#"$root"/} (the versions in its Cargo.lock)"
    logged "the crates of ${manifest#"$root"/}" cargo fetch --locked --manifest-path "$manifest"
  fi
done

# The kernels' build folders (build/evcxr-slots/*) take their crates from build/vendor: exactly
# the versions of the committed Cargo.lock, and no network, ever. (Seeding each folder's lock is
# not enough: evcxr's first build, of an empty crate, prunes it before `:dep course` resolves.)
vendor="$root/build/vendor"
lock_sha=$(sha256sum "$root/Cargo.lock" | cut -d' ' -f1)
if [ "$(cat "$vendor.sha256" 2>/dev/null)" != "$lock_sha" ]; then
  rm -rf "$vendor" "$vendor.sha256"
  mkdir -p "$(dirname "$vendor")"
  cargo vendor --locked --offline --quiet --manifest-path "$root/Cargo.toml" "$vendor" >>"$log" 2>&1 ||
    die "could not copy the locked crates into build/vendor (details: build/setup.log); run \`make setup\` again"
  echo "$lock_sha" > "$vendor.sha256"
fi
slots_config="$root/build/evcxr-slots/.cargo/config.toml"
want_config=$(cat <<TOML
# Written by tools/setup.sh. Cargo reads this for every kernel build folder below build/evcxr-slots:
# crates come from build/vendor, the versions of the committed Cargo.lock, with no network.
[source.crates-io]
replace-with = "course-locked"

[source.course-locked]
directory = "$vendor"
TOML
)
if [ "$(cat "$slots_config" 2>/dev/null)" != "$want_config" ]; then
  mkdir -p "$(dirname "$slots_config")"
  printf '%s\n' "$want_config" > "$slots_config"
fi

# 3. The Rust kernel ----------------------------------------------------------------------------
cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
evcxr="$cargo_bin/evcxr_jupyter"
if ! cargo install --list 2>/dev/null | grep -q "^evcxr_jupyter v$evcxr_version:"; then
  say "installing evcxr_jupyter $evcxr_version (cargo install --locked; about 5 minutes on 2 cores)"
  logged "evcxr_jupyter $evcxr_version" cargo install --locked evcxr_jupyter --version "$evcxr_version"
fi
[ -x "$evcxr" ] || evcxr=$(command -v evcxr_jupyter) || die "evcxr_jupyter installed but not found in $cargo_bin"

# 4. Kernel spec inside the venv ----------------------------------------------------------------
kdir="$venv/share/jupyter/kernels/rust"
spec=$(cat <<JSON
{
  "argv": ["$root/tools/evcxr-kernel", "$evcxr", "--control_file", "{connection_file}"],
  "display_name": "Rust (course)",
  "interrupt_mode": "message",
  "language": "rust",
  "env": {"EVCXR_CONFIG_DIR": "$root/tools/evcxr"}
}
JSON
)
if [ "$(cat "$kdir/kernel.json" 2>/dev/null)" != "$spec" ]; then
  say "registering the Rust kernel in .venv/share/jupyter/kernels/rust"
  tmp=$(mktemp -d)
  # evcxr writes its logos and editor files into $HOME/.local/share; take them from a scratch home.
  env -u JUPYTER_PATH -u JUPYTER_DATA_DIR HOME="$tmp" XDG_DATA_HOME="$tmp/.local/share" "$evcxr" --install >/dev/null
  mkdir -p "$kdir"
  cp "$tmp/.local/share/jupyter/kernels/rust/"* "$kdir/"
  rm -rf "$tmp"
  printf '%s\n' "$spec" > "$kdir/kernel.json"
fi

# 5. The nn engine ------------------------------------------------------------------------------
# COURSE_SKIP_ENGINE=1 skips this step (for work on notebooks that train no burn network; the
# engine is still built on first use by course::nn).
engine="$root/nn-engine"
lib="$engine/target/release/libcourse_nn_engine.so"
if [ "${COURSE_SKIP_ENGINE:-0}" != 1 ]; then
  [ -e "$lib" ] || say "building the nn engine (burn, release; about 4 minutes on 2 cores the first time)"
  env -u RUSTFLAGS -u CARGO_ENCODED_RUSTFLAGS -u CARGO_TARGET_DIR -u CARGO_BUILD_TARGET_DIR \
    cargo build --quiet --release --locked --manifest-path "$engine/Cargo.toml" --target-dir "$engine/target"
fi
