#!/usr/bin/env python3
"""Compile cost of the derive: builds a crate declaring 100 groups x 10 metrics
with #[derive(MetricGroup)] and the same groups written by hand with the
prometheus crate, and prints the ratio of their build times.

    python3 scripts/compile_cost.py [--groups 100] [--runs 3] [--release]

Both crates live in one scratch workspace sharing a target directory, so the
dependencies are built once, before timing; each timed build touches only the
crate's own source and rebuilds that crate alone, without incremental
compilation. Medians of --runs builds.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# (field, type, name suffix, labels, buckets)
METRICS = [
    ("requests", "IntCounter", "requests_total", [], None),
    ("errors", "IntCounterVec", "errors_total", ["kind"], None),
    ("bytes", "Counter", "sent_bytes_total", [], None),
    ("queue", "IntGauge", "queue_depth", [], None),
    ("workers", "IntGaugeVec", "workers", ["pool", "state"], None),
    ("temperature", "Gauge", "temperature_celsius", [], None),
    ("latency", "Histogram", "latency_seconds", [], "exponential(0.001, 2.0, 12)"),
    ("sizes", "HistogramVec", "request_size_bytes", ["route"], "exponential(64.0, 4.0, 8)"),
    ("ttft", "Histogram", "first_token_seconds", [], "log(0.001, 480, 18)"),
    ("ratio", "Histogram", "hit_ratio", [], "linear(0.0, 0.05, 21)"),
]


def derived_group(i):
    fields = []
    for field, ty, name, labels, buckets in METRICS:
        attrs = [f'name = "{name}"']
        if labels:
            attrs.append("labels(" + ", ".join(labels) + ")")
        if buckets:
            attrs.append(f"buckets = {buckets}")
        fields.append(
            f"    /// The {field} of group {i}\n"
            f"    #[metric({', '.join(attrs)})]\n"
            f"    pub {field}: {ty},"
        )
    body = "\n".join(fields)
    return (
        "#[derive(MetricGroup)]\n"
        f'#[metric_group(prefix = "group{i}")]\n'
        f"pub struct Group{i} {{\n{body}\n}}\n"
    )


def bucket_expr(spec):
    kind, args = spec.split("(", 1)
    args = args.rstrip(")")
    if kind == "exponential":
        return f"prometheus::exponential_buckets({args})?"
    if kind == "linear":
        return f"prometheus::linear_buckets({args})?"
    lo, hi, n = [a.strip() for a in args.split(",")]
    return f"log_buckets({float(lo)}, {float(hi)}, {n})"


def handwritten_group(i):
    fields, inits, regs = [], [], []
    for field, ty, name, labels, buckets in METRICS:
        fields.append(f"    pub {field}: {ty},")
        full = f"group{i}_{name}"
        help_text = f"The {field} of group {i}"
        if ty.startswith("Histogram"):
            opts = f'HistogramOpts::new("{full}", "{help_text}").buckets({bucket_expr(buckets)})'
        else:
            opts = f'Opts::new("{full}", "{help_text}")'
        if labels:
            label_list = ", ".join(f'"{l}"' for l in labels)
            inits.append(f"            {field}: {ty}::new({opts}, &[{label_list}])?,")
        elif ty == "Histogram":
            inits.append(f"            {field}: Histogram::with_opts({opts})?,")
        else:
            inits.append(f"            {field}: {ty}::with_opts({opts})?,")
        regs.append(f"        registry.register(Box::new(self.{field}.clone()))?;")
    return (
        f"pub struct Group{i} {{\n" + "\n".join(fields) + "\n}\n\n"
        f"impl Group{i} {{\n"
        "    pub fn new() -> prometheus::Result<Self> {\n"
        "        Ok(Self {\n" + "\n".join(inits) + "\n        })\n    }\n\n"
        "    pub fn register(&self, registry: &Registry) -> prometheus::Result<()> {\n"
        + "\n".join(regs)
        + "\n        Ok(())\n    }\n}\n"
    )


HANDWRITTEN_PRELUDE = """#![allow(clippy::all)]
use prometheus::{Counter, Gauge, Histogram, HistogramOpts, HistogramVec, IntCounter, IntCounterVec,
                 IntGauge, IntGaugeVec, Opts, Registry};

fn log_buckets(min: f64, max: f64, count: usize) -> Vec<f64> {
    let mut bounds = vec![0.0];
    for i in 1..count {
        let v = (min.ln() + (max.ln() - min.ln()) * i as f64 / (count - 1) as f64).exp();
        let scale = 10f64.powf(1.0 - v.abs().log10().floor());
        bounds.push((v * scale).round() / scale);
    }
    bounds.dedup();
    bounds
}
"""

DERIVED_PRELUDE = """#![allow(clippy::all)]
use metric_group::prometheus::{Counter, Gauge, Histogram, HistogramVec, IntCounter, IntCounterVec,
                               IntGauge, IntGaugeVec};
use metric_group::MetricGroup;
"""


def write_workspace(base, groups):
    runtime = ROOT / "runtime"
    (base / "Cargo.toml").write_text(
        '[workspace]\nmembers = ["derived", "handwritten"]\nresolver = "2"\n'
    )
    for name, deps, prelude, make in [
        ("derived", f'metric-group = {{ path = "{runtime}" }}', DERIVED_PRELUDE, derived_group),
        ("handwritten", 'prometheus = { version = "0.14", default-features = false }', HANDWRITTEN_PRELUDE, handwritten_group),
    ]:
        crate = base / name
        (crate / "src").mkdir(parents=True)
        (crate / "Cargo.toml").write_text(
            f'[package]\nname = "{name}"\nversion = "0.0.0"\nedition = "2021"\n\n[dependencies]\n{deps}\n'
        )
        (crate / "src" / "lib.rs").write_text(prelude + "\n" + "\n".join(make(i) for i in range(groups)))
    # Share this checkout's lock file so both resolve the same versions offline.
    lock = ROOT / "Cargo.lock"
    if lock.exists():
        (base / "Cargo.lock").write_text(lock.read_text())


def cargo(base, package, release):
    cmd = ["cargo", "build", "-q", "-p", package] + (["--release"] if release else [])
    # Without incremental compilation, so a touched file is compiled afresh
    # rather than replayed from the incremental cache.
    env = dict(os.environ, CARGO_INCREMENTAL="0")
    subprocess.run(cmd, cwd=base, check=True, env=env)


def timed_build(base, package, release):
    (base / package / "src" / "lib.rs").touch()
    start = time.perf_counter()
    cargo(base, package, release)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--groups", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--release", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="metric-group-compile-cost-") as tmp:
        base = Path(tmp)
        write_workspace(base, args.groups)
        for package in ("handwritten", "derived"):
            cargo(base, package, args.release)  # dependencies, untimed
        times = {"handwritten": [], "derived": []}
        for _ in range(args.runs):
            for package in times:  # interleaved, so drift affects both alike
                times[package].append(timed_build(base, package, args.release))
        medians = {package: statistics.median(values) for package, values in times.items()}
        profile = "release" if args.release else "debug"
        print(f"{args.groups} groups x {len(METRICS)} metrics, {profile}, median of {args.runs}:")
        for package, values in times.items():
            runs = ", ".join(f"{v:.2f}" for v in values)
            print(f"  {package:12} {medians[package]:6.2f} s  ({runs})")
        ratio = medians["derived"] / medians["handwritten"]
        print(f"  ratio derived / handwritten: {ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
