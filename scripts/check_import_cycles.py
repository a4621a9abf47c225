#!/usr/bin/env python3
"""No import cycle between the top-level modules of any crate of the
workspace: module `a` naming `b` (`use crate::b::..`, `crate::b::..` in code,
or an item the crate root re-exports from `b`) while `b` names `a`, directly
or through other modules, fails. Run by .ci/run.

    python3 scripts/check_import_cycles.py            # every workspace crate
    python3 scripts/check_import_cycles.py runtime    # some of them

A module's own submodules (`catalog/render.rs` in `catalog`) count as the
module; `super::` in a top-level module names the crate root, whose
re-exports are resolved like `crate::`. Test modules (`#[cfg(test)] mod
tests`, at the end of a file by convention here) are left out: they may name
anything.
"""

import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Cycles known and being removed. Each entry must still be a cycle (a stale
# entry fails, so the list only shrinks); any other cycle fails.
KNOWN_CYCLES = set()

IDENT = r"[A-Za-z_][A-Za-z0-9_]*"
MOD_DECL = re.compile(r"^\s*(?:pub(?:\([^)]*\))?\s+)?mod\s+(" + IDENT + r")\s*;", re.M)
# `pub use crate::module::{A, B}` / `pub use module::A` / `pub use self::module::A`
ROOT_USE = re.compile(r"^\s*pub\s+use\s+(?:crate::|self::)?(" + IDENT + r")::([^;]+);", re.M)


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return "\n".join(
        line.split("//", 1)[0] if not line.lstrip().startswith("//") else ""
        for line in text.split("\n")
    )


def strip_tests(text):
    """Drops `#[cfg(test)] mod tests { ... }` (and `#[cfg(test)] mod x;`)."""
    match = re.search(r"#\[cfg\(test\)\]\s*(?:pub(?:\([^)]*\))?\s+)?mod\s+" + IDENT, text)
    return text[: match.start()] if match else text


def braced_idents(group):
    """The first-level names of a `{A, b::C, self}` group."""
    names, depth, current = [], 0, ""
    for char in group:
        if char == "{":
            depth += 1
            if depth == 1:
                continue
        elif char == "}":
            depth -= 1
        if depth == 1 and char == ",":
            names.append(current)
            current = ""
        elif depth >= 1:
            current += char
    names.append(current)
    out = []
    for name in names:
        name = name.strip()
        match = re.match(IDENT, name)
        if match:
            out.append(match.group(0))
    return out


def crate_modules(src):
    lib = os.path.join(src, "lib.rs")
    if not os.path.exists(lib):
        return None, {}
    with open(lib) as f:
        root = strip_comments(f.read())
    modules = {}
    for name in MOD_DECL.findall(root):
        for candidate in (os.path.join(src, name + ".rs"), os.path.join(src, name, "mod.rs")):
            if os.path.exists(candidate):
                files = [candidate]
                directory = os.path.join(src, name)
                if os.path.isdir(directory):
                    for dirpath, _, filenames in os.walk(directory):
                        files += [os.path.join(dirpath, fn) for fn in filenames if fn.endswith(".rs")]
                modules[name] = sorted(set(files))
                break
    # What the crate root re-exports, by name: the module it comes from.
    exports = {}
    for module, rest in ROOT_USE.findall(root):
        if module not in modules:
            continue
        rest = rest.strip()
        if rest.startswith("{"):
            names = braced_idents(rest)
        else:
            names = [re.findall(IDENT, rest)[-1]]
        for name in names:
            exports.setdefault(name, module)
    # Macros exported at the crate root (`#[macro_export]`): the module
    # defining them.
    for module, files in modules.items():
        for path in files:
            with open(path) as f:
                for name in re.findall(r"#\[macro_export\][^\n]*\n\s*macro_rules!\s*(" + IDENT + ")", f.read()):
                    exports.setdefault(name, module)
    return root, (modules, exports)


def referenced(text, top_level):
    """The first path segments the text names below `crate::` (and
    `super::` in a top-level module file)."""
    names = set()
    prefixes = ["crate"] + (["super"] if top_level else [])
    for prefix in prefixes:
        for match in re.finditer(r"\b" + prefix + r"::(\{|" + IDENT + ")", text):
            if match.group(1) == "{":
                start = match.end(1) - 1
                depth, end = 0, start
                for end in range(start, len(text)):
                    if text[end] == "{":
                        depth += 1
                    elif text[end] == "}":
                        depth -= 1
                        if depth == 0:
                            break
                names.update(braced_idents(text[start : end + 1]))
            else:
                names.add(match.group(1))
    return names


def cycles(modules, exports, src):
    edges = {module: set() for module in modules}
    for module, files in modules.items():
        for path in files:
            with open(path) as f:
                text = strip_tests(strip_comments(f.read()))
            top_level = os.path.dirname(path) == src or path.endswith(os.path.join(module, "mod.rs"))
            for name in referenced(text, top_level):
                target = name if name in modules else exports.get(name)
                if target and target != module:
                    edges[module].add(target)
    # Tarjan's strongly connected components.
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    counter = [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for succ in sorted(edges[node]):
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found, edges


def workspace_crates():
    meta = json.loads(
        subprocess.run(
            ["cargo", "metadata", "--format-version", "1", "--no-deps"],
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
        ).stdout
    )
    crates = []
    for package in meta["packages"]:
        for target in package["targets"]:
            if "lib" in target["kind"] or "proc-macro" in target["kind"]:
                crates.append((package["name"], os.path.dirname(target["src_path"])))
    return crates


def main():
    wanted = sys.argv[1:]
    failed = False
    for name, src in workspace_crates():
        rel = os.path.relpath(src, ROOT)
        if wanted and not any(rel == w or rel.startswith(w.rstrip("/") + "/") for w in wanted):
            continue
        _, parsed = crate_modules(src)
        if not parsed:
            continue
        modules, exports = parsed
        found, edges = cycles(modules, exports, src)
        known = {cycle for crate, cycle in KNOWN_CYCLES if crate == name}
        for cycle in known - {tuple(component) for component in found}:
            failed = True
            print(f"{name} ({rel}): known cycle {', '.join(cycle)} is gone: drop it from KNOWN_CYCLES")
        for component in found:
            inside = {m: sorted(edges[m] & set(component)) for m in component}
            detail = "; ".join(f"{m} -> {', '.join(t)}" for m, t in inside.items())
            if tuple(component) in known:
                print(f"{name} ({rel}): known import cycle between {', '.join(component)} (being removed): {detail}")
                continue
            failed = True
            print(f"{name} ({rel}): import cycle between {', '.join(component)}: {detail}")
        if not found:
            print(f"{name} ({rel}): {len(modules)} modules, no import cycle")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
