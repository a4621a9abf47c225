#!/usr/bin/env python3
"""Runs `cargo bench --bench hot_path` (in bench/, the benchmarks' own
workspace) several times and prints, per group, each run's ratio of every
function to `handwritten` and the median ratio.

    python3 scripts/bench_ratios.py [--runs 5] [filter]

Wall times on a shared machine drift between runs; a ratio taken inside one
run, repeated, and reduced to its median is the figure BENCHMARKS.md quotes.
"""

import argparse
import re
import statistics
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench"

LINE = re.compile(r"^(\w+)/(\w+)\s+time:\s+\[\S+ \S+ (\S+) (\S+) \S+ \S+\]")
UNITS = {"ps": 1e-3, "ns": 1.0, "µs": 1e3, "us": 1e3, "ms": 1e6, "s": 1e9}


def one_run(filter_):
    cmd = ["cargo", "bench", "--bench", "hot_path", "--"] + ([filter_] if filter_ else [])
    out = subprocess.run(cmd, cwd=BENCH, check=True, capture_output=True, text=True).stdout
    # criterion prints "name\n   time: [...]" or "name time: [...]": join them.
    text = re.sub(r"\n\s+time:", " time:", out)
    times = {}
    for line in text.splitlines():
        m = LINE.match(line.strip())
        if m:
            group, function, value, unit = m.groups()
            times[(group, function)] = float(value) * UNITS[unit]
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("filter", nargs="?", default="")
    args = parser.parse_args()
    ratios = defaultdict(list)
    for _ in range(args.runs):
        times = one_run(args.filter)
        for (group, function), t in sorted(times.items()):
            base = times.get((group, "handwritten"))
            if base and function != "handwritten":
                ratios[(group, function)].append(t / base)
    for (group, function), values in sorted(ratios.items()):
        runs = ", ".join(f"{v:.2f}" for v in values)
        print(f"{group}/{function}: median {statistics.median(values):.2f} x handwritten  ({runs})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
