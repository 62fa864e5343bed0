#!/usr/bin/env bash
# Runs the contracts' native Rust unit tests with Debian's toolchain (rustc/cargo 1.63, offline).
# A rustup cargo earlier on PATH fails on 1.63 and its rustc has no matching std, so both are pinned here.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/bin:/bin:$PATH"
export RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc
exec /usr/bin/cargo test --workspace --offline "$@"
