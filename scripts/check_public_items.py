#!/usr/bin/env python3
"""The published library is only the library: no public item of
`metric-group` (every feature on) is the router's or Dynamo's. Run by
.ci/run.

Builds the crate's rustdoc JSON (`RUSTC_BOOTSTRAP=1 cargo rustdoc -p
metric-group --all-features -- -Z unstable-options --output-format json`),
walks every public path from the crate root (modules, re-exports, the fields,
variants and methods of public types, the items of public traits; hidden
items are not in rustdoc's output) and fails when a path segment, or the
value of a public constant, names the router or Dynamo.

    python3 scripts/check_public_items.py            # build, then check
    python3 scripts/check_public_items.py --list     # print every public path
    python3 scripts/check_public_items.py --json F   # check an existing JSON
"""

import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Segments of an item path (or words of a public constant's value) that are
# the router's or Dynamo's, case-insensitively.
FORBIDDEN = re.compile(
    r"router|routing|dynamo|kv_?cache|kv_?hit|kv_router|worker_?load|worker_?type|"
    r"worker_?labels|prefill|decode_blocks|frontend",
    re.IGNORECASE,
)

# Dynamo's hierarchy: its levels below the runtime (namespace, component,
# endpoint) are names in its preset, not the library's vocabulary. An item
# re-exported from the rules crate's `hierarchy` module (other than the
# generic preset type), or a public item named after one of those levels, is
# Dynamo's.
DYNAMO_NAMING = re.compile(r"^(namespace|component|endpoint)$")
DYNAMO_NAMING_SOURCE = re.compile(r"\bhierarchy\b")
GENERIC_HIERARCHY_ITEMS = {"metric_group_rules::hierarchy::NamingPreset"}

# Dynamo's naming as a named preset beside `scope::Naming` (runtime/src/
# naming.rs): the preset, the `Naming` built from it, the default preset
# (whose value names it), and the extension trait spelling the preset's
# level names as `Scope` methods. Data a user picks, not logic: the rules
# crate and the derive know no naming of their own. An entry no longer
# public fails the check.
NAMED_PRESET = {
    "metric_group::scope::DYNAMO_NAMING",
    "metric_group::scope::DEFAULT_NAMING",
    "metric_group::scope::Naming::dynamo",
    "metric_group::scope::DynamoLevels",
    "metric_group::scope::DynamoLevels::namespace",
    "metric_group::scope::DynamoLevels::component",
    "metric_group::scope::DynamoLevels::endpoint",
}
ALLOWED = NAMED_PRESET


def rustdoc_json():
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    env = dict(os.environ, RUSTC_BOOTSTRAP="1")
    subprocess.run(
        ["cargo", "rustdoc", "-q", "-p", "metric-group", "--all-features", "--",
         "-Z", "unstable-options", "--output-format", "json"],
        check=True,
        cwd=ROOT,
        env=env,
    )
    return os.path.join(target, "doc", "metric_group.json")


def public_paths(doc):
    index, paths = doc["index"], doc["paths"]
    found = []  # (path, item or None, external path or None)
    seen = set()

    def item_of(id_):
        return index.get(str(id_))

    def visit(id_, path):
        item = item_of(id_)
        if item is None:
            external = paths.get(str(id_))
            found.append((path, None, "::".join(external["path"]) if external else None))
            return
        key = (item["id"], path)
        if key in seen:
            return
        seen.add(key)
        if item.get("visibility") != "public" and path != "metric_group":
            return
        inner = item["inner"]
        kind = next(iter(inner))
        found.append((path, item, None))
        if kind == "module":
            for child in inner["module"]["items"]:
                child_item = item_of(child)
                if child_item is None:
                    continue
                if "use" in child_item["inner"]:
                    use = child_item["inner"]["use"]
                    if child_item.get("visibility") != "public":
                        continue
                    if use.get("is_glob"):
                        target = item_of(use["id"]) if use.get("id") is not None else None
                        if target and "module" in target["inner"]:
                            for grandchild in target["inner"]["module"]["items"]:
                                g = item_of(grandchild)
                                if g and g.get("name"):
                                    visit(grandchild, f"{path}::{g['name']}")
                        continue
                    if use.get("id") is None:
                        found.append((f"{path}::{use['name']}", None, use["source"]))
                        continue
                    visit(use["id"], f"{path}::{use['name']}")
                elif child_item.get("name"):
                    visit(child, f"{path}::{child_item['name']}")
        elif kind in ("struct", "enum", "union", "trait"):
            body = inner[kind]
            members = []
            if kind == "struct":
                fields = body["kind"].get("plain", {}).get("fields", []) if isinstance(body["kind"], dict) else []
                members += fields
            elif kind == "enum":
                members += body["variants"]
            elif kind == "union":
                members += body["fields"]
            else:
                members += body["items"]
            for impl_id in body.get("impls", []):
                impl = item_of(impl_id)
                if impl is None:
                    continue
                impl = impl["inner"]["impl"]
                if impl["trait"] is None and not impl["is_synthetic"] and impl["blanket_impl"] is None:
                    members += impl["items"]
            for member in members:
                m = item_of(member)
                if m is None or not m.get("name"):
                    continue
                if kind != "trait" and "variant" not in m["inner"] and m.get("visibility") != "public":
                    continue
                found.append((f"{path}::{m['name']}", m, None))
    visit(doc["root"], "metric_group")
    return found


def offences(found):
    out = []
    for path, item, external in found:
        segments = path.split("::")[1:]
        reasons = [s for s in segments if FORBIDDEN.search(s)]
        if external and FORBIDDEN.search(external):
            reasons.append(f"re-exports {external}")
        if (external and DYNAMO_NAMING_SOURCE.search(external)
                and external not in GENERIC_HIERARCHY_ITEMS):
            reasons.append(f"Dynamo's hierarchy naming ({external})")
        if DYNAMO_NAMING.match(segments[-1] if segments else ""):
            reasons.append("named after a level of Dynamo's hierarchy")
        if item is not None and "constant" in item["inner"]:
            const = item["inner"]["constant"]["const"]
            for text in (const.get("expr") or "", const.get("value") or ""):
                if FORBIDDEN.search(text):
                    reasons.append(f"value {text}")
                    break
        if reasons and path not in ALLOWED:
            out.append(f"{path}: {', '.join(reasons)}")
    return out


def main():
    args = sys.argv[1:]
    if "--json" in args:
        json_path = args[args.index("--json") + 1]
    else:
        json_path = rustdoc_json()
    with open(json_path) as f:
        doc = json.load(f)
    found = public_paths(doc)
    if "--list" in args:
        for path, item, external in sorted(found, key=lambda entry: entry[0]):
            kind = next(iter(item["inner"])) if item else f"external {external}"
            print(f"{path}  ({kind})")
    paths = {path for path, _, _ in found}
    stale = [path for path in ALLOWED if path not in paths]
    bad = offences(found)
    for line in bad:
        print(f"router or Dynamo item in metric-group's public API: {line}")
    for path in stale:
        print(f"allowed item no longer public, drop it from ALLOWED: {path}")
    if bad or stale:
        sys.exit(1)
    print(f"metric-group: {len(paths)} public paths, none the router's or Dynamo's"
          + f" (the named preset's {len(NAMED_PRESET)} items allowed)")


if __name__ == "__main__":
    main()
