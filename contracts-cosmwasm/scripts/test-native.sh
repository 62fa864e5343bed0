#!/usr/bin/env bash
# Runs the contracts' native Rust unit tests with Debian's toolchain (rustc/cargo 1.63, offline).
# A rustup cargo earlier on PATH fails on 1.63 and its rustc has no matching std, so both are pinned here.
set -euo pipefail
if [[ "${1:-}" == "--help" || "${1:-}" == "-h" ]]; then
  echo "usage: npm run test:contracts:native [-- <test name filter>]"
  echo
  echo "Runs the contracts' native Rust unit tests with Debian's cargo, offline. A filter, if given, goes to"
  echo "cargo test as its test name filter (e.g. 'sites' runs the tests whose names contain it)."
  exit 0
fi
if [[ "${1:-}" == -* ]]; then
  echo "test:contracts:native: unknown flag $1 (the only argument is a test name filter; see --help)" >&2
  exit 2
fi
cd "$(dirname "$0")/.."
export PATH="/usr/bin:/bin:$PATH"
export RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc
exec /usr/bin/cargo test --workspace --offline "$@"
