#!/usr/bin/env python3
"""The MSRV is real: every workspace member declares the same rust-version,
and no normal dependency of the library (all features on, as locked) needs a
newer Rust than that. Run by .ci/run; clippy's `incompatible_msrv` lint
covers our own use of newer std APIs.

    python3 scripts/check_msrv.py
"""

import json
import subprocess
import sys


def version(text):
    return tuple(int(part) for part in text.split("."))


def main():
    meta = json.loads(
        subprocess.run(
            ["cargo", "metadata", "--format-version", "1", "--locked"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    members = [p for p in meta["packages"] if p["id"] in meta["workspace_members"]]
    declared = {p["name"]: p["rust_version"] for p in members}
    msrvs = set(declared.values())
    if len(msrvs) != 1 or None in msrvs:
        sys.exit(f"workspace members disagree on rust-version: {declared}")
    msrv = msrvs.pop()
    tree = subprocess.run(
        ["cargo", "tree", "--locked", "-p", "metric-group", "--all-features",
         "-e", "normal", "--prefix", "none", "--format", "{p}"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split("\n")
    used = {(line.split()[0], line.split()[1].lstrip("v")) for line in tree if line.strip()}
    too_new = [
        f"{p['name']} {p['version']} needs {p['rust_version']}"
        for p in meta["packages"]
        if (p["name"], p["version"]) in used
        and p["rust_version"]
        and version(p["rust_version"]) > version(msrv)
    ]
    if too_new:
        sys.exit(f"the library declares rust-version {msrv}, but: " + "; ".join(too_new))
    print(f"MSRV {msrv}: {len(members)} members agree, {len(used)} locked library dependencies fit")


if __name__ == "__main__":
    main()
