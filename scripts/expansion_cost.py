#!/usr/bin/env python3
"""What each kind of generated item costs rustc in `cargo check` of a user's
crate: the crate's expansion (`-Zunpretty=expanded`) written out as a crate
of its own, then checked whole and with one kind of item left out at a time,
rustc's instructions counted under callgrind for each (as
`compile_cost.py --instructions` counts them).

    python3 scripts/compile_cost.py --shape peers --runs 0 --dir DIR
    python3 scripts/expansion_cost.py --dir DIR --crate user_metric_group

    python3 scripts/compile_cost.py --shape groups --runs 0 --dir DIR
    python3 scripts/expansion_cost.py --dir DIR --crate derived

The expanded crate no longer runs the derive, so "as expanded" against the
crate itself is what the derive's run costs; "skeleton" keeps only the
struct, its `MetricGroup` impl (descriptor, `build`, `collectors`) and the
memo static: what no public API can do without. Every variant also leaves
out the crate's own functions (the 20-metric crate's `update`, which calls
the helpers), and docs, which the removals need; "as expanded, without
docs" is the base to compare the others with. rustc's expanded output
needs the nightly features `prelude_import` and `fmt_helpers_for_derive`:
`RUSTC_BOOTSTRAP=1` lets the stable compiler take them.
"""

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from compile_cost import check_instructions  # noqa: E402

HELPER_PREFIXES = ("inc_", "dec_", "add_", "sub_", "set_", "observe_", "remove_")


def expanded_source(base, crate):
    (base / crate / "src" / "lib.rs").touch()
    env = dict(os.environ, RUSTC_BOOTSTRAP="1", CARGO_INCREMENTAL="0")
    out = subprocess.run(["cargo", "rustc", "-q", "-p", crate, "--", "-Zunpretty=expanded"],
                         cwd=base, check=True, env=env, capture_output=True, text=True).stdout
    # The derive's helper attributes stay in the output; nothing reads them now.
    out = re.sub(r'#\[(metric_group|metric|label)\((?:[^()]|\([^()]*\))*\)\]\s*', "", out)
    out = out.replace("extern crate std;", "extern crate std;\nextern crate alloc;", 1)
    return "#![feature(fmt_helpers_for_derive)]\n#![allow(unused, internal_features)]\n" + out


def strip_docs(s):
    return re.sub(r'#\[doc\s*=\s*r?"(?:[^"\\]|\\.)*"\]\s*', "", s)


def block_end(s, start):
    """The index just past the `{ ... }` block opening at or after `start`."""
    p, depth = s.index("{", start), 0
    while True:
        c = s[p]
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return p + 1
        elif c == '"':
            p += 1
            while s[p] != '"':
                p += 2 if s[p] == "\\" else 1
        p += 1


def remove_fns(s, keep):
    """Every `pub fn` whose name `keep` refuses, with its attributes (docs
    must be stripped first: attributes are found back to the previous item)."""
    out, i = [], 0
    pattern = re.compile(r"pub fn ([A-Za-z0-9_]+)\s*[(<]")
    while (m := pattern.search(s, i)) is not None:
        if keep(m.group(1)):
            out.append(s[i:m.end()])
            i = m.end()
            continue
        before = s[i:m.start()]
        start = i + max(before.rfind("}"), before.rfind(";"), before.rfind("{")) + 1
        out.append(s[i:start])
        i = block_end(s, m.end())
    out.append(s[i:])
    return "".join(out)


def remove_impls(s, trait_path):
    out, i = [], 0
    pattern = re.compile(r"(#\[automatically_derived\]\s*)?impl " + re.escape(trait_path) + r" for ")
    while (m := pattern.search(s, i)) is not None:
        out.append(s[i:m.start()])
        i = block_end(s, m.end())
    out.append(s[i:])
    return "".join(out)


def no_builder_derives(s):
    for trait in ["::core::clone::Clone", "::core::fmt::Debug", "::core::default::Default"]:
        s = remove_impls(s, trait)
    return re.sub(r"(\w+Builder)::default\(\)", r"\1 { config: ::core::default::Default::default() }", s)


def no_catalog(s):
    return re.sub(r'static __INVENTORY.*?static __CTOR: unsafe extern "C" fn\(\) = __ctor;', "", s, flags=re.S)


def no_drop(s):
    return remove_impls(s, "::core::ops::Drop")


def no_exemplar_helpers(s):
    return remove_fns(s, lambda name: not name.endswith("_with_exemplar"))


def no_helpers(s):
    return remove_fns(s, lambda name: not (name.startswith(HELPER_PREFIXES) or name.endswith("_with_labels")))


def no_constructors(s):
    return remove_fns(s, lambda name: name not in ("new", "builder", "register", "global", "init", "get", "evict"))


def skeleton(s):
    return remove_fns(no_drop(no_catalog(no_builder_derives(s))), lambda name: False)


def own_fns_removed(user_fns):
    return lambda s: remove_fns(s, lambda name: name not in user_fns)


VARIANTS = [
    ("as expanded", None),
    ("as expanded, without docs", []),
    ("without the builder's Clone, Debug, Default", [no_builder_derives]),
    ("without the Drop", [no_drop]),
    ("without the catalog entry", [no_catalog]),
    ("without the exemplar helpers", [no_exemplar_helpers]),
    ("without any helper", [no_helpers]),
    ("without the constructors", [no_constructors]),
    ("skeleton", [skeleton]),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", type=Path, required=True, help="a workspace compile_cost.py --dir kept")
    parser.add_argument("--crate", required=True, help="its derived crate: user_metric_group or derived")
    args = parser.parse_args()
    base = args.dir.resolve()
    source = expanded_source(base, args.crate)
    user_fns = set(re.findall(r"^pub fn ([A-Za-z0-9_]+)", (base / args.crate / "src" / "lib.rs").read_text(), re.M))

    expanded = f"{args.crate}_expanded"
    (base / expanded / "src").mkdir(parents=True, exist_ok=True)
    (base / expanded / "src" / "lib.rs").write_text(source)
    manifest = (base / args.crate / "Cargo.toml").read_text().replace(f'name = "{args.crate}"', f'name = "{expanded}"')
    lock = (base / "Cargo.lock").read_text()
    inventory = re.search(r'name = "inventory"\nversion = "([^"]+)"', lock).group(1)
    (base / expanded / "Cargo.toml").write_text(manifest.rstrip() + f'\ninventory = "={inventory}"\n')
    workspace = (base / "Cargo.toml").read_text()
    if f'"{expanded}"' not in workspace:
        (base / "Cargo.toml").write_text(workspace.replace("members = [", f'members = ["{expanded}", ', 1))

    os.environ["RUSTC_BOOTSTRAP"] = "1"
    print(f"rustc's instructions for cargo check of {args.crate} and of its expansion:")
    print(f"  {'the crate (the derive runs)':48} {check_instructions(base, args.crate):>15,}")
    for title, steps in VARIANTS:
        s = source
        if steps is not None:
            s = own_fns_removed(user_fns)(strip_docs(s))
            for step in steps:
                s = step(s)
        (base / expanded / "src" / "lib.rs").write_text(s)
        print(f"  {title:48} {check_instructions(base, expanded):>15,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
