#!/usr/bin/env python3
"""The peer comparison of bench/BASELINE.md: for every case and peer of
bench/benches/cases, instructions per operation from callgrind (the count at
two run counts, differenced), allocations from the instruction-count runner's
counting allocator (`--alloc`), and the median of several criterion runs of
`cargo bench --bench peer_cases`; printed as Markdown tables.

    python3 scripts/peer_counts.py [--criterion-runs 5] [--no-callgrind]
        [--no-criterion] [--no-alloc] [--cases a,b] [--peers x,y]

Runs in bench/ (its own workspace); cargo's environment (CARGO_TARGET_DIR,
CARGO_BUILD_JOBS) is passed through. About 13 minutes on the project's
2-core machine with the defaults.
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench"

PEERS = [
    "handwritten",
    "static_metric",
    "measured",
    "prometheus_client",
    "metrics",
    "metric_group",
    "metric_group_expiring",
    "floor_hashed",
    "floor_direct",
]

# case -> (larger run count, smaller run count) for callgrind.
COUNTS = {
    "gauge_lookup": (200_000, 100_000),
    "gauge_handle": (200_000, 100_000),
    "histogram": (200_000, 100_000),
    "scrape_10k": (4, 2),
    "scrape_100k": (2, 1),
    "create": (20_000, 10_000),
    "churn_10k": (20_000, 10_000),
}

CRITERION_GROUPS = [
    "gauge_lookup",
    "gauge_lookup_2t_same",
    "gauge_lookup_2t_disjoint",
    "gauge_handle",
    "gauge_handle_2t_same",
    "gauge_handle_2t_disjoint",
    "histogram",
    "scrape_10k",
    "scrape_100k",
    "churn_10k",
]

LINE = re.compile(r"^(\w+)/(\w+)\s+time:\s+\[\S+ \S+ (\S+) (\S+) \S+ \S+\]")
UNITS = {"ps": 1e-3, "ns": 1.0, "µs": 1e3, "us": 1e3, "ms": 1e6, "s": 1e9}
REFS = re.compile(r"I\s+refs:\s+([\d,]+)")
SKIPPED = re.compile(r"^skipped: (.*)$", re.M)
ALLOC = re.compile(
    r"per_run: allocated_bytes=([\d.]+) allocations=([\d.]+) held_bytes=(-?[\d.]+)"
)
EXPOSITION = re.compile(r"exposition: (\d+) bytes")


def target_dir():
    return Path(os.environ.get("CARGO_TARGET_DIR", BENCH / "target"))


def runner():
    return target_dir() / "release" / "examples" / "instruction_counts"


def run(cmd, **kw):
    return subprocess.run(cmd, cwd=BENCH, check=True, capture_output=True, text=True, **kw)


def callgrind(case, peer, runs):
    out = run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
         str(runner()), case, peer, str(runs)]
    )
    text = out.stdout + out.stderr
    skipped = SKIPPED.search(text)
    if skipped:
        return None, skipped.group(1)
    return int(REFS.search(text).group(1).replace(",", "")), None


def instructions(cases, peers):
    per_op, reasons = {}, {}
    for case in cases:
        hi, lo = COUNTS[case]
        for peer in peers:
            start = time.time()
            big, why = callgrind(case, peer, hi)
            if why:
                reasons[(case, peer)] = why
                continue
            small, _ = callgrind(case, peer, lo)
            per_op[(case, peer)] = (big - small) / (hi - lo)
            print(f"  callgrind {case} {peer}: {per_op[(case, peer)]:,.1f} "
                  f"({big:,} - {small:,}, {time.time() - start:.0f} s)", file=sys.stderr)
    return per_op, reasons


def allocations(cases, peers):
    """Per scrape (3 scrapes, after set-up) and bytes held per series."""
    result, reasons = {}, {}
    for case in [c for c in cases if c.startswith("scrape")] + (
        ["memory"] if "create" in cases else []
    ):
        for peer in peers:
            if case == "memory":
                out = run([str(runner()), "create", peer, "100000", "--alloc"]).stdout
            else:
                out = run([str(runner()), case, peer, "3", "--alloc"]).stdout
            skipped = SKIPPED.search(out)
            if skipped:
                reasons[(case, peer)] = skipped.group(1)
                continue
            allocated, count, held = (float(x) for x in ALLOC.search(out).groups())
            size = EXPOSITION.search(out)
            result[(case, peer)] = {
                "allocated": allocated,
                "allocations": count,
                "held": held,
                "exposition": int(size.group(1)) if size else None,
            }
    return result, reasons


def criterion(runs):
    run(["cargo", "bench", "--bench", "peer_cases", "--no-run"])
    times = defaultdict(list)
    for n in range(runs):
        start = time.time()
        out = run(["cargo", "bench", "--bench", "peer_cases"])
        # criterion prints "name\n   time: [...]" or "name time: [...]": join them.
        text = re.sub(r"\n\s+time:", " time:", out.stdout)
        for line in text.splitlines():
            m = LINE.match(line.strip())
            if m:
                group, peer, value, unit = m.groups()
                times[(group, peer)].append(float(value) * UNITS[unit])
        print(f"  criterion run {n + 1}/{runs}: {time.time() - start:.0f} s", file=sys.stderr)
    return {key: statistics.median(values) for key, values in times.items()}


def fmt_instr(x):
    return f"{x:,.0f}" if x >= 100 else f"{x:,.1f}"


def fmt_ns(ns):
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.2f} µs"
    return f"{ns:.1f} ns"


def fmt_bytes(b):
    return f"{b:,.0f}"


class Notes:
    """Footnotes for skipped cells, numbered by distinct reason."""

    def __init__(self):
        self.reasons = {}

    def mark(self, reason):
        if reason not in self.reasons:
            self.reasons[reason] = len(self.reasons) + 1
        return f"— ({self.reasons[reason]})"

    def print(self):
        for reason, n in self.reasons.items():
            print(f"({n}) {reason}  ")


def skip_reason(case, peer, *reason_maps):
    for reasons in reason_maps:
        if (case, peer) in reasons:
            return reasons[(case, peer)]
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--criterion-runs", type=int, default=5)
    parser.add_argument("--no-callgrind", action="store_true")
    parser.add_argument("--no-criterion", action="store_true")
    parser.add_argument("--no-alloc", action="store_true")
    parser.add_argument("--cases", default=",".join(COUNTS))
    parser.add_argument("--peers", default=",".join(PEERS))
    args = parser.parse_args()
    cases = [c for c in args.cases.split(",") if c]
    peers = [p for p in args.peers.split(",") if p]

    run(["cargo", "build", "--release", "--example", "instruction_counts"])
    per_op, skipped = ({}, {}) if args.no_callgrind else instructions(cases, peers)
    alloc, alloc_skipped = ({}, {}) if args.no_alloc else allocations(cases, peers)
    wall = {} if args.no_criterion else criterion(args.criterion_runs)
    notes = Notes()

    if per_op or skipped:
        print("### Instructions per operation (callgrind)\n")
        print("| peer | " + " | ".join(f"`{c}`" for c in cases) + " |")
        print("|---|" + "---:|" * len(cases))
        for peer in peers:
            cells = []
            for case in cases:
                if (case, peer) in per_op:
                    cells.append(fmt_instr(per_op[(case, peer)]))
                else:
                    why = skip_reason(case, peer, skipped)
                    cells.append(notes.mark(why) if why else "")
            print(f"| {peer} | " + " | ".join(cells) + " |")
        print()

    if wall:
        groups = [g for g in CRITERION_GROUPS if any((g, p) in wall for p in peers)]
        print(f"### Wall time per operation (criterion, median of {args.criterion_runs} runs)\n")
        print("| peer | " + " | ".join(f"`{g}`" for g in groups) + " |")
        print("|---|" + "---:|" * len(groups))
        for peer in peers:
            cells = []
            for group in groups:
                if (group, peer) in wall:
                    cells.append(fmt_ns(wall[(group, peer)]))
                else:
                    base = re.sub(r"_2t_\w+$", "", group)
                    why = skip_reason(base, peer, skipped, alloc_skipped)
                    cells.append(notes.mark(why) if why else "")
            print(f"| {peer} | " + " | ".join(cells) + " |")
        print()

    if alloc or alloc_skipped:
        scrapes = [c for c in cases if c.startswith("scrape")]
        print("### Allocation per scrape, and bytes held per live series at 100,000\n")
        header = []
        for case in scrapes:
            header += [f"`{case}` bytes", f"`{case}` allocations"]
        header += ["held bytes / series (100,000 created)", "exposition bytes (100k)"]
        print("| peer | " + " | ".join(header) + " |")
        print("|---|" + "---:|" * len(header))
        for peer in peers:
            cells = []
            for case in scrapes + ["memory"]:
                entry = alloc.get((case, peer))
                why = alloc_skipped.get((case, peer))
                if case == "memory":
                    cells.append(fmt_bytes(entry["held"]) if entry else notes.mark(why) if why else "")
                elif entry:
                    cells += [fmt_bytes(entry["allocated"]), fmt_bytes(entry["allocations"])]
                else:
                    cells += [notes.mark(why) if why else "", ""]
            size = alloc.get(("scrape_100k", peer), {}).get("exposition")
            cells.append(fmt_bytes(size) if size else "")
            print(f"| {peer} | " + " | ".join(cells) + " |")
        print()
    notes.print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
