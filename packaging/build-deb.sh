#!/usr/bin/env bash
# Builds the Debian package: the release binary, then the manual page and
# the shell completions it generates from its own command-line definition,
# then `cargo deb` (cargo install cargo-deb --locked) around them. Prints
# the package's path.
#
#   bash packaging/build-deb.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked >&2
bin=target/release/syndicated
mkdir -p target/assets
"$bin" manpage | gzip -9n > target/assets/syndicated.1.gz
"$bin" completions bash > target/assets/syndicated.bash
"$bin" completions zsh > target/assets/_syndicated
"$bin" completions fish > target/assets/syndicated.fish
cargo deb --no-build --locked 2>&1 | tail -1
