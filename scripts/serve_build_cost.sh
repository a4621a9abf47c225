#!/bin/bash
# Clean debug build times behind the `serve` feature (BENCHMARKS.md, "Serving:
# build cost"): the HTTP server candidates in scratch crates, and the runtime
# with and without the feature. Each build is timed inside the shared build
# lock (/tmp/cargo.lock), so waiting for the lock is not counted.
#
#   scripts/serve_build_cost.sh [ROUNDS]
set -euo pipefail
rounds=${1:-2}
repo=$(cd "$(dirname "$0")/.." && pwd)
scratch=$(mktemp -d /tmp/serve-build-cost.XXXXXX)
trap 'rm -rf "$scratch"' EXIT

candidate() { # name, dependency lines
    cargo new -q --bin --vcs none "$scratch/$1"
    printf '%s\n' "$2" >> "$scratch/$1/Cargo.toml"
    (cd "$scratch/$1" && cargo fetch -q)
}
candidate hyper_stack 'tokio = { version = "1", default-features = false, features = ["rt", "net", "time", "sync"] }
hyper = { version = "1", default-features = false, features = ["server", "http1"] }
hyper-util = { version = "0.1", default-features = false, features = ["tokio"] }
http-body-util = "0.1"
http = "1"
bytes = "1"
flate2 = "1"'
candidate axum_stack 'tokio = { version = "1", default-features = false, features = ["rt", "net", "time", "sync"] }
axum = { version = "0.8", default-features = false, features = ["tokio", "http1"] }
flate2 = "1"'
candidate tiny_http_stack 'tiny_http = "0.12"
flate2 = "1"'

timed() { # label, directory, cargo arguments...
    local label=$1 dir=$2; shift 2
    rm -rf "$scratch/target"
    flock /tmp/cargo.lock bash -c '
        start=$(date +%s.%N)
        (cd "$1" && shift && CARGO_TARGET_DIR="'"$scratch"'/target" cargo build -q "$@")
        end=$(date +%s.%N)
        echo "$0: $(echo "$end - $start" | bc) s (load $(cut -d" " -f1 /proc/loadavg))"' \
        "$label" "$dir" "$@"
}
for round in $(seq "$rounds"); do
    echo "round $round"
    for c in hyper_stack axum_stack tiny_http_stack; do
        echo "  $c: $(cd "$scratch/$c" && cargo tree -e normal --prefix none --no-dedupe | sed 's/ (\*)//' | sort -u | grep -vc "^$c v") crates"
        timed "  $c" "$scratch/$c"
    done
    timed "  metric-group" "$repo" -p metric-group
    timed "  metric-group --features serve" "$repo" -p metric-group --features serve
done
