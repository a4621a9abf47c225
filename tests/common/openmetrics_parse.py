"""Parses an OpenMetrics exposition from stdin with the Python
prometheus_client package's OpenMetrics parser (an independent
implementation) and prints what it read as JSON: one object per family with
its name, type, unit, help and samples ([name, labels, value, timestamp,
exemplar]). Exits 2 when the package is missing, 1 with the parser's error
when the exposition is refused."""

import json
import sys

try:
    from prometheus_client.openmetrics.parser import text_string_to_metric_families
except ImportError as error:
    print(f"prometheus_client is not installed: {error}", file=sys.stderr)
    sys.exit(2)


def number(value):
    # JSON has no infinities or NaN: keep them as OpenMetrics spells them.
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "+Inf" if value > 0 else "-Inf"
    return value


def main():
    text = sys.stdin.read()
    try:
        families = list(text_string_to_metric_families(text))
    except Exception as error:  # the parser raises ValueError and others
        print(f"{type(error).__name__}: {error}", file=sys.stderr)
        sys.exit(1)
    out = []
    for family in families:
        out.append({
            "name": family.name,
            "type": family.type,
            "unit": family.unit,
            "help": family.documentation,
            "samples": [
                [
                    s.name,
                    s.labels,
                    number(s.value),
                    None if s.timestamp is None else str(s.timestamp),
                    None if s.exemplar is None else {
                        "labels": s.exemplar.labels,
                        "value": number(s.exemplar.value),
                        "timestamp": None if s.exemplar.timestamp is None else str(s.exemplar.timestamp),
                    },
                ]
                for s in family.samples
            ],
        })
    json.dump(out, sys.stdout)


main()
