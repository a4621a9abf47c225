#!/usr/bin/env python3
"""Compile cost of the derive in a user's crate, in one of two shapes:

- `--shape groups` (the default): a crate declaring 100 groups x 10 metrics
  with #[derive(MetricGroup)] and the same groups written by hand with the
  prometheus crate; prints the ratio of their build times.
- `--shape peers`: one crate per client declaring the same 20 metrics (7 of
  them labelled) and one function updating each: `metrics` (a macro call
  each), prometheus by hand (struct, constructor, registration,
  `with_label_values`), prometheus-client (`Family` with a derived
  `EncodeLabelSet`), `measured` (its `MetricGroup` derive, enum labels) and
  metric-group (the derive and its helpers).

    python3 scripts/compile_cost.py [--shape groups|peers] [--groups 100] [--runs 3]
                                    [--check] [--release] [--instructions] [--dir DIR]

Both crates live in one scratch workspace sharing a target directory, so the
dependencies are built once, before timing; each timed build touches only the
crate's own source and rebuilds that crate alone, without incremental
compilation, interleaved round by round. Medians of --runs builds (0: none); `--check`
times `cargo check` of each crate the same way. `--dir` keeps the workspace
(and the dependencies built in it) for the next run, or for profiling one
crate by hand.

`--instructions` also counts the instructions rustc executes for `cargo
check` of each crate (the derive's run inside it included), under callgrind
(`valgrind`): unlike wall time they do not depend on the machine's load, so
one run settles a change of a few percent.
"""

import argparse
import os
import shutil
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
    if lock.exists() and not (base / "Cargo.lock").exists():
        (base / "Cargo.lock").write_text(lock.read_text())




# ---------------------------------------------------------------- peers mode
#
# A user's crate declaring 20 metrics (7 labelled) and one function updating
# each, written once per client.

# (field, kind, name, labels, buckets); kind: counter, gauge, histogram.
PEER_METRICS = [
    ("requests", "counter", "requests_total", [], None),
    ("errors", "counter", "errors_total", ["kind"], None),
    ("sent", "counter", "sent_bytes_total", [], None),
    ("retries", "counter", "retries_total", [], None),
    ("cache", "counter", "cache_lookups_total", ["tier"], None),
    ("dropped", "counter", "dropped_total", [], None),
    ("timeouts", "counter", "timeouts_total", [], None),
    ("rejected", "counter", "rejected_total", ["reason"], None),
    ("queue", "gauge", "queue_depth", [], None),
    ("workers", "gauge", "workers", ["pool", "state"], None),
    ("temperature", "gauge", "temperature_celsius", [], None),
    ("connections", "gauge", "open_connections", [], None),
    ("inflight", "gauge", "inflight_requests", ["route"], None),
    ("memory", "gauge", "resident_memory_bytes", [], None),
    ("latency", "histogram", "latency_seconds", [], (0.001, 2.0, 12)),
    ("sizes", "histogram", "request_size_bytes", ["route"], (64.0, 4.0, 8)),
    ("ttft", "histogram", "first_token_seconds", [], (0.001, 2.0, 16)),
    ("ratio", "histogram", "hit_ratio", [], (0.01, 2.0, 7)),
    ("batch", "histogram", "batch_size", ["model"], (1.0, 2.0, 10)),
    ("wait", "histogram", "queue_wait_seconds", [], (0.0005, 2.0, 14)),
]
PEER_PREFIX = "app"
# Values the update function passes for each label (two for enum-typed labels).
LABEL_VALUES = {
    "kind": ["io", "parse"], "tier": ["memory", "disk"], "reason": ["full", "invalid"],
    "pool": ["main", "batch"], "state": ["busy", "idle"], "route": ["get", "put"],
    "model": ["small", "large"],
}
# Crate (and package) names: `user_<client>`.
PEERS = ["user_metrics", "user_handwritten", "user_prometheus_client", "user_measured", "user_metric_group"]


def camel(s):
    return "".join(part.capitalize() for part in s.split("_"))


def peer_metric_group():
    types = {"counter": "IntCounter", "gauge": "IntGauge", "histogram": "Histogram"}
    fields, calls = [], []
    for field, kind, name, labels, buckets in PEER_METRICS:
        ty = types[kind] + ("Vec" if labels else "")
        attrs = [f'name = "{name}"']
        if labels:
            attrs.append("labels(" + ", ".join(labels) + ")")
        if buckets:
            attrs.append("buckets = exponential({}, {}, {})".format(*buckets))
        fields.append(f"    /// The {field}\n    #[metric({', '.join(attrs)})]\n    pub {field}: {ty},")
        args = "".join(f'"{LABEL_VALUES[l][0]}", ' for l in labels)
        if labels:
            op = {"counter": f"inc_{field}({args[:-2]})", "gauge": f"set_{field}({args}3)",
                  "histogram": f"observe_{field}({args}0.5)"}[kind]
            calls.append(f"    m.{op}?;")
        else:
            op = {"counter": "inc()", "gauge": "set(3)", "histogram": "observe(0.5)"}[kind]
            calls.append(f"    m.{field}.{op};")
    return (
        "#![allow(clippy::all)]\n"
        "use metric_group::prometheus::{Histogram, HistogramVec, IntCounter, IntCounterVec, IntGauge, IntGaugeVec};\n"
        "use metric_group::MetricGroup;\n\n"
        f'#[derive(MetricGroup)]\n#[metric_group(prefix = "{PEER_PREFIX}")]\n'
        "pub struct AppMetrics {\n" + "\n".join(fields) + "\n}\n\n"
        "pub fn update(m: &AppMetrics) -> Result<(), metric_group::Error> {\n"
        + "\n".join(calls) + "\n    Ok(())\n}\n"
    )


def peer_handwritten():
    types = {"counter": "IntCounter", "gauge": "IntGauge", "histogram": "Histogram"}
    fields, inits, regs, calls = [], [], [], []
    for field, kind, name, labels, buckets in PEER_METRICS:
        ty = types[kind] + ("Vec" if labels else "")
        fields.append(f"    pub {field}: {ty},")
        full, help_text = f"{PEER_PREFIX}_{name}", f"The {field}"
        if kind == "histogram":
            opts = f'HistogramOpts::new("{full}", "{help_text}").buckets(prometheus::exponential_buckets({buckets[0]}, {buckets[1]}, {buckets[2]})?)'
        else:
            opts = f'Opts::new("{full}", "{help_text}")'
        if labels:
            inits.append(f"            {field}: {ty}::new({opts}, &[{', '.join(repr(l).replace(chr(39), chr(34)) for l in labels)}])?,")
        else:
            inits.append(f"            {field}: {ty}::with_opts({opts})?,")
        regs.append(f"        registry.register(Box::new(self.{field}.clone()))?;")
        op = {"counter": "inc()", "gauge": "set(3)", "histogram": "observe(0.5)"}[kind]
        if labels:
            values = ", ".join(f'"{LABEL_VALUES[l][0]}"' for l in labels)
            calls.append(f"    m.{field}.with_label_values(&[{values}]).{op};")
        else:
            calls.append(f"    m.{field}.{op};")
    return (
        "#![allow(clippy::all)]\n"
        "use prometheus::{Histogram, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, IntGaugeVec, Opts, Registry};\n\n"
        "pub struct AppMetrics {\n" + "\n".join(fields) + "\n}\n\n"
        "impl AppMetrics {\n"
        "    pub fn new() -> prometheus::Result<Self> {\n        Ok(Self {\n" + "\n".join(inits) + "\n        })\n    }\n\n"
        "    pub fn register(&self, registry: &Registry) -> prometheus::Result<()> {\n" + "\n".join(regs)
        + "\n        Ok(())\n    }\n}\n\n"
        "pub fn update(m: &AppMetrics) {\n" + "\n".join(calls) + "\n}\n"
    )


def peer_prometheus_client():
    label_structs, fields, inits, regs, calls, ctors = [], [], [], [], [], []
    types = {"counter": "Counter", "gauge": "Gauge", "histogram": "Histogram"}
    for field, kind, name, labels, buckets in PEER_METRICS:
        ty = types[kind]
        full, help_text = f"{PEER_PREFIX}_{name}", f"The {field}"
        op = {"counter": "inc()", "gauge": "set(3)", "histogram": "observe(0.5)"}[kind]
        if kind == "histogram":
            ctor = f"{field}_histogram"
            ctors.append(f"fn {ctor}() -> Histogram {{\n    Histogram::new(exponential_buckets({buckets[0]}, {buckets[1]}, {buckets[2]}))\n}}")
        if labels:
            ls = camel(field) + "Labels"
            label_structs.append(
                "#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]\n"
                f"pub struct {ls} {{\n" + "\n".join(f"    pub {l}: String," for l in labels) + "\n}"
            )
            if kind == "histogram":
                fields.append(f"    pub {field}: Family<{ls}, Histogram, fn() -> Histogram>,")
                inits.append(f"            {field}: Family::new_with_constructor({ctor}),")
            else:
                fields.append(f"    pub {field}: Family<{ls}, {ty}>,")
                inits.append(f"            {field}: Family::default(),")
            values = ", ".join(f'{l}: "{LABEL_VALUES[l][0]}".to_owned()' for l in labels)
            calls.append(f"    m.{field}.get_or_create(&{ls} {{ {values} }}).{op};")
        else:
            fields.append(f"    pub {field}: {ty},")
            inits.append(f"            {field}: {ctor}()," if kind == "histogram" else f"            {field}: {ty}::default(),")
            calls.append(f"    m.{field}.{op};")
        regs.append(f'        registry.register("{full}", "{help_text}", self.{field}.clone());')
    return (
        "#![allow(clippy::all)]\n"
        "use prometheus_client::encoding::EncodeLabelSet;\n"
        "use prometheus_client::metrics::counter::Counter;\n"
        "use prometheus_client::metrics::family::Family;\n"
        "use prometheus_client::metrics::gauge::Gauge;\n"
        "use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};\n"
        "use prometheus_client::registry::Registry;\n\n"
        + "\n\n".join(label_structs) + "\n\n" + "\n\n".join(ctors) + "\n\n"
        "pub struct AppMetrics {\n" + "\n".join(fields) + "\n}\n\n"
        "impl AppMetrics {\n"
        "    pub fn new() -> Self {\n        Self {\n" + "\n".join(inits) + "\n        }\n    }\n\n"
        "    pub fn register(&self, registry: &mut Registry) {\n" + "\n".join(regs) + "\n    }\n}\n\n"
        "pub fn update(m: &AppMetrics) {\n" + "\n".join(calls) + "\n}\n"
    )


def peer_measured():
    # measured's idiomatic labels: enums of fixed cardinality in label groups.
    enums, groups, fields, calls = [], [], [], []
    seen = set()
    for field, kind, name, labels, buckets in PEER_METRICS:
        for l in labels:
            if l in seen:
                continue
            seen.add(l)
            variants = "\n".join(f"    {camel(v)}," for v in LABEL_VALUES[l])
            enums.append(f"#[derive(Clone, Copy, PartialEq, FixedCardinalityLabel)]\npub enum {camel(l)} {{\n{variants}\n}}")
        ty = {"counter": "Counter", "gauge": "Gauge", "histogram": "Histogram"}[kind]
        attrs = [f'rename = "{PEER_PREFIX}_{name}"']  # no prefix in measured
        op_plain = {"counter": "inc()", "gauge": "set(3)", "histogram": "observe(0.5)"}[kind]
        if kind == "histogram":
            attrs.append(f"metadata = Thresholds::exponential_buckets({buckets[0]}, {buckets[1]})")
            ty = f"{ty}{'Vec' if labels else ''}<{'%s, ' if labels else ''}{buckets[2]}>"
        elif labels:
            ty = f"{ty}Vec<%s>"
        if labels:
            g = camel(field) + "Labels"
            groups.append(
                f"#[derive(Clone, Copy, PartialEq, LabelGroup)]\n#[label(set = {g}Set)]\n"
                f"pub struct {g} {{\n" + "\n".join(f"    pub {l}: {camel(l)}," for l in labels) + "\n}"
            )
            ty = ty % f"{g}Set"
            attrs.append(f"label_set = {g}Set::new()")
            values = ", ".join(f"{l}: {camel(l)}::{camel(LABEL_VALUES[l][0])}" for l in labels)
            op = {"counter": "inc({})", "gauge": "set({}, 3)", "histogram": "observe({}, 0.5)"}[kind]
            calls.append(f"    m.{field}." + op.format(f"{g} {{ {values} }}") + ";")
        else:
            calls.append(f"    m.{field}.get_metric().{op_plain};" if kind == "histogram" else f"    m.{field}.{op_plain};")
        attr = "".join(f"    #[metric({a})]\n" for a in attrs)
        fields.append(f"    /// The {field}\n{attr}    pub {field}: {ty},")
    return (
        "#![allow(clippy::all)]\n"
        "use measured::metric::histogram::Thresholds;\n"
        "use measured::{Counter, CounterVec, FixedCardinalityLabel, Gauge, GaugeVec, Histogram, HistogramVec, LabelGroup, MetricGroup};\n\n"
        + "\n\n".join(enums) + "\n\n" + "\n\n".join(groups) + "\n\n"
        "#[derive(MetricGroup)]\n#[metric(new())]\n"
        "pub struct AppMetrics {\n" + "\n".join(fields) + "\n}\n\n"
        "pub fn update(m: &AppMetrics) {\n" + "\n".join(calls) + "\n}\n"
    )


def peer_metrics():
    calls = []
    for field, kind, name, labels, buckets in PEER_METRICS:
        full = f"{PEER_PREFIX}_{name}"
        pairs = "".join(f', "{l}" => "{LABEL_VALUES[l][0]}"' for l in labels)
        op = {"counter": "increment(1)", "gauge": "set(3.0)", "histogram": "record(0.5)"}[kind]
        calls.append(f'    metrics::{kind}!("{full}"{pairs}).{op};')
    return "#![allow(clippy::all)]\n\npub fn update() {\n" + "\n".join(calls) + "\n}\n"


PEER_SOURCES = {
    "user_metrics": (peer_metrics, 'metrics = "0.24"'),
    "user_handwritten": (peer_handwritten, 'prometheus = { version = "0.14", default-features = false }'),
    "user_prometheus_client": (peer_prometheus_client, 'prometheus-client = "0.26"'),
    "user_measured": (peer_measured, 'measured = "=0.0.25"'),
    "user_metric_group": (peer_metric_group, None),
}


def write_peers_workspace(base):
    runtime = ROOT / "runtime"
    members = ", ".join(f'"{p}"' for p in PEERS)
    (base / "Cargo.toml").write_text(f'[workspace]\nmembers = [{members}]\nresolver = "2"\n')
    for name in PEERS:
        make, dep = PEER_SOURCES[name]
        dep = dep or f'metric-group = {{ path = "{runtime}" }}'
        crate = base / name
        (crate / "src").mkdir(parents=True)
        (crate / "Cargo.toml").write_text(
            f'[package]\nname = "{name}"\nversion = "0.0.0"\nedition = "2021"\n\n[dependencies]\n{dep}\n'
        )
        (crate / "src" / "lib.rs").write_text(make())
    # The benchmarks' lock file holds the peers at the versions they are
    # benchmarked at, and metric-group's own dependencies.
    lock = ROOT / "bench" / "Cargo.lock"
    if lock.exists() and not (base / "Cargo.lock").exists():
        (base / "Cargo.lock").write_text(lock.read_text())


def cargo(base, package, release, command="build"):
    cmd = ["cargo", command, "-q", "-p", package] + (["--release"] if release else [])
    # Without incremental compilation, so a touched file is compiled afresh
    # rather than replayed from the incremental cache.
    env = dict(os.environ, CARGO_INCREMENTAL="0")
    subprocess.run(cmd, cwd=base, check=True, env=env)


def timed_build(base, package, release, command="build"):
    (base / package / "src" / "lib.rs").touch()
    start = time.perf_counter()
    cargo(base, package, release, command)
    return time.perf_counter() - start


# Runs rustc under callgrind for the crate named in $COMPILE_COST_CRATE
# (Cargo's RUSTC_WORKSPACE_WRAPPER), every other rustc as it is.
CALLGRIND_WRAPPER = """#!/bin/sh
case " $* " in
  *" --crate-name $COMPILE_COST_CRATE "*)
    exec valgrind --tool=callgrind --callgrind-out-file="$COMPILE_COST_OUT" "$@" 2>/dev/null ;;
esac
exec "$@"
"""


def check_instructions(base, package):
    """Instructions rustc executes for `cargo check` of `package`, afresh."""
    wrapper = base / "callgrind-rustc.sh"
    wrapper.write_text(CALLGRIND_WRAPPER)
    wrapper.chmod(0o755)
    out = base / f"callgrind.{package}.out"
    out.unlink(missing_ok=True)
    (base / package / "src" / "lib.rs").touch()
    env = dict(os.environ, CARGO_INCREMENTAL="0", RUSTC_WORKSPACE_WRAPPER=str(wrapper),
               COMPILE_COST_CRATE=package, COMPILE_COST_OUT=str(out))
    subprocess.run(["cargo", "check", "-q", "-p", package], cwd=base, check=True, env=env)
    for line in out.read_text().splitlines():
        if line.startswith(("summary:", "totals:")):
            return int(line.split()[1])
    raise RuntimeError(f"no instruction total in {out}")


def report(title, times, baseline):
    print(title)
    medians = {package: statistics.median(values) for package, values in times.items()}
    for package, values in times.items():
        runs = ", ".join(f"{v:.2f}" for v in values)
        ratio = medians[package] / medians[baseline]
        print(f"  {package:24} {medians[package]:6.2f} s  {ratio:5.2f}x {baseline}  ({runs})")
    return medians


def run(base, packages, commands, runs, release):
    for package in packages:
        for command in commands:
            cargo(base, package, release, command)  # dependencies, untimed
    times = {(c, p): [] for c in commands for p in packages}
    for _ in range(runs):
        for package in packages:  # interleaved, so drift affects all alike
            for command in commands:
                times[(command, package)].append(timed_build(base, package, release, command))
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shape", choices=["groups", "peers"], default="groups",
                        help="groups: N groups x 10 metrics, derived and by hand; "
                        "peers: one crate of 20 metrics per client")
    parser.add_argument("--groups", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--release", action="store_true")
    parser.add_argument("--check", action="store_true", help="also time `cargo check` of each crate")
    parser.add_argument("--instructions", action="store_true",
                        help="also count rustc's instructions for `cargo check` of each crate (callgrind)")
    parser.add_argument("--dir", type=Path,
                        help="keep the scratch workspace (and its built dependencies) here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="metric-group-compile-cost-") as tmp:
        base = args.dir or Path(tmp)
        if args.dir:
            base.mkdir(parents=True, exist_ok=True)
            for crate in ["derived", "handwritten"] + PEERS:
                if (base / crate).exists():
                    shutil.rmtree(base / crate)
        if args.shape == "peers":
            write_peers_workspace(base)
            packages, baseline = PEERS, "user_handwritten"
            shape = f"a crate of {len(PEER_METRICS)} metrics per client"
        else:
            write_workspace(base, args.groups)
            packages, baseline = ["handwritten", "derived"], "handwritten"
            shape = f"{args.groups} groups x {len(METRICS)} metrics"
        commands = ["build", "check"] if args.check else ["build"]
        times = run(base, packages, commands, args.runs, args.release)
        profile = "release" if args.release else "debug"
        for command in commands if args.runs else []:
            report(f"cargo {command}, {shape}, {profile}, median of {args.runs}:",
                   {p: times[(command, p)] for p in packages}, baseline)
        if args.instructions:
            counts = {p: check_instructions(base, p) for p in packages}
            print(f"rustc's instructions for cargo check, {shape}:")
            for package, count in counts.items():
                print(f"  {package:24} {count:>15,}  {count / counts[baseline]:5.2f}x {baseline}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
