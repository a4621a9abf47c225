#!/usr/bin/env python3
"""Writes the fuzzer's seed corpus: every struct and enum declared in the UI
tests (tests/ui/**/*.rs), one file each, into fuzz/seeds/.

    python3 fuzz/make_seeds.py
"""

import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent
DECLARATION = re.compile(
    r"((?:#\[[^\n]*\]\n|///[^\n]*\n)*)(?:pub )?(struct|enum) \w+(?:<[^>]*>)?\s*(\{.*?\n\}|\(.*?\);|\{\})", re.S
)


def main():
    out = ROOT / "fuzz" / "seeds"
    out.mkdir(exist_ok=True)
    count = 0
    for source in sorted((ROOT / "tests" / "ui").rglob("*.rs")):
        for match in DECLARATION.finditer(source.read_text()):
            count += 1
            (out / f"{source.stem}_{count}.rs").write_text(match.group(0))
    print(f"{count} seeds in {out}")


if __name__ == "__main__":
    main()
