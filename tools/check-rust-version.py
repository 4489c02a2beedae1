#!/usr/bin/env python3
"""Checks that Cargo.toml's `rust-version` is true: at least the
`rust-version` every locked dependency declares (from `cargo metadata`,
the lock file as it is), for every target and feature the lock resolves.

    python3 tools/check-rust-version.py      # .ci/run calls it

Exits 1, naming the dependencies that need a newer Rust, when it is not.
"""

import json
import subprocess
import sys


def version(text):
    parts = [int(p) for p in text.split(".")]
    return tuple(parts + [0] * (3 - len(parts)))


metadata = json.loads(
    subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--locked"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
)
locked = {node["id"] for node in metadata["resolve"]["nodes"]}
ours = next(p for p in metadata["packages"] if p["id"] == metadata["resolve"]["root"])
declared = ours.get("rust_version")
if not declared:
    sys.exit(f"{ours['name']} declares no rust-version in Cargo.toml")
newer = sorted(
    (version(p["rust_version"]), p["name"], p["version"], p["rust_version"])
    for p in metadata["packages"]
    if p["id"] in locked and p["id"] != ours["id"] and p.get("rust_version")
    and version(p["rust_version"]) > version(declared)
)
if newer:
    for _, name, v, needs in newer:
        print(f"{name} {v} needs Rust {needs}", file=sys.stderr)
    sys.exit(
        f"Cargo.toml says rust-version = \"{declared}\", but the locked dependencies "
        f"above need {newer[-1][3]}: raise rust-version (or lock older versions)"
    )
print(f"rust-version {declared}: every locked dependency builds with it")
