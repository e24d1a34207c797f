#!/usr/bin/env python3
"""The public API of hybrid-kx as sorted text lines, checked against api/public-api.txt.

An accidental breaking change (an item, variant, field, method, trait impl or auto trait
removed, renamed or re-typed) changes a line, and CI fails with the diff. A deliberate change
is recorded by regenerating the snapshot in the same commit (and a CHANGELOG entry):

    python3 scripts/public_api.py --write      # regenerate api/public-api.txt
    python3 scripts/public_api.py              # compare (what CI runs)

It reads rustdoc's JSON output for every feature on x86_64, which the script builds first with
the stable toolchain (`RUSTC_BOOTSTRAP=1` unlocks `--output-format json`, as
cargo-semver-checks does). Each line is an item path with its kind, or a signature: functions
with their argument and return types, fields with their types, impls with their trait. Standard
library only.
"""

import difflib
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SNAPSHOT = os.path.join(ROOT, "api", "public-api.txt")


def build():
    env = dict(os.environ, RUSTC_BOOTSTRAP="1",
               RUSTDOCFLAGS="-Z unstable-options --output-format json")
    subprocess.run(["cargo", "doc", "--no-deps", "--all-features", "-p", "hybrid-kx"],
                   cwd=ROOT, env=env, check=True)
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    with open(os.path.join(target, "doc", "hybrid_kx.json")) as f:
        return json.load(f)


def ty(t):
    """A rustdoc JSON type as Rust-like text."""
    if t is None:
        return "()"
    (kind, v), = t.items()
    if kind == "resolved_path":
        return v["path"] + args(v.get("args"))
    if kind == "primitive" or kind == "generic":
        return v
    if kind == "borrowed_ref":
        life = (v["lifetime"] + " ") if v.get("lifetime") else ""
        return "&" + life + ("mut " if v["is_mutable"] else "") + ty(v["type"])
    if kind == "raw_pointer":
        return ("*mut " if v["is_mutable"] else "*const ") + ty(v["type"])
    if kind == "slice":
        return "[" + ty(v) + "]"
    if kind == "array":
        return "[" + ty(v["type"]) + "; " + v["len"] + "]"
    if kind == "tuple":
        return "(" + ", ".join(ty(x) for x in v) + ")"
    if kind == "qualified_path":
        trait = v.get("trait")
        self_ty = ty(v["self_type"])
        if trait and trait.get("path"):
            return "<" + self_ty + " as " + trait["path"] + args(trait.get("args")) + ">::" + v["name"]
        return self_ty + "::" + v["name"]
    if kind == "impl_trait":
        return "impl " + " + ".join(bound(b) for b in v)
    if kind == "dyn_trait":
        return "dyn " + " + ".join(p["trait"]["path"] + args(p["trait"].get("args")) for p in v["traits"])
    if kind == "function_pointer":
        return "fn(" + ", ".join(ty(i[1]) for i in v["sig"]["inputs"]) + ") -> " + ty(v["sig"]["output"])
    return kind


def args(a):
    if not a:
        return ""
    (kind, v), = a.items()
    if kind == "angle_bracketed":
        parts = []
        for x in v["args"]:
            (k, val), = x.items() if isinstance(x, dict) else (("lifetime", x),)
            if k == "type":
                parts.append(ty(val))
            elif k == "lifetime":
                parts.append(val)
            elif k == "const":
                parts.append(val.get("expr", "?"))
            else:
                parts.append(k)
        for c in v.get("constraints", []):
            binding = c.get("binding", {})
            if "equality" in binding and "type" in binding["equality"]:
                parts.append(c["name"] + " = " + ty(binding["equality"]["type"]))
            else:
                parts.append(c["name"])
        return "<" + ", ".join(parts) + ">" if parts else ""
    if kind == "parenthesized":
        return "(" + ", ".join(ty(x) for x in v["inputs"]) + ") -> " + ty(v.get("output"))
    return ""


def bound(b):
    if "trait_bound" in b:
        t = b["trait_bound"]["trait"]
        return t["path"] + args(t.get("args"))
    if "outlives" in b:
        return b["outlives"]
    return "?"


def generics(g):
    out = []
    for p in g.get("params", []):
        kind = p["kind"]
        if "type" in kind:
            bounds = kind["type"].get("bounds", [])
            out.append(p["name"] + (": " + " + ".join(bound(b) for b in bounds) if bounds else ""))
        elif "const" in kind:
            out.append("const " + p["name"] + ": " + ty(kind["const"]["type"]))
        elif "lifetime" in kind:
            out.append(p["name"])
    return "<" + ", ".join(out) + ">" if out else ""


def fn_sig(name, f):
    sig = f["sig"]
    inputs = ", ".join(n + ": " + ty(t) for n, t in sig["inputs"])
    header = f.get("header", {})
    prefix = ("const " if header.get("is_const") else "") + ("unsafe " if header.get("is_unsafe") else "")
    return prefix + "fn " + name + generics(f.get("generics", {})) + "(" + inputs + ") -> " + ty(sig["output"])


def lines(doc):
    index, paths = doc["index"], doc["paths"]
    out = set()

    def path_of(item_id):
        p = paths.get(str(item_id))
        return "::".join(p["path"]) if p and p["crate_id"] == 0 else None

    def members(owner, ids):
        for i in ids:
            item = index.get(str(i))
            if not item or item["crate_id"] != 0:
                continue
            (kind, v), = item["inner"].items()
            name = item.get("name")
            if kind == "function":
                out.add(owner + " " + fn_sig(name, v))
            elif kind == "assoc_const":
                out.add(owner + " const " + name + ": " + ty(v["type"]))
            elif kind == "assoc_type":
                out.add(owner + " type " + name + (" = " + ty(v["type"]) if v.get("type") else ""))
            elif kind == "struct_field":
                if item["visibility"] == "public":
                    out.add(owner + " field " + name + ": " + ty(v))
            elif kind == "variant":
                out.add(owner + " variant " + name)
                variant_kind = v["kind"]
                if isinstance(variant_kind, dict):
                    (vk, fields), = variant_kind.items()
                    field_ids = fields.get("fields", []) if isinstance(fields, dict) else fields
                    members(owner + "::" + name, [f for f in field_ids if f is not None])

    for item_id, p in paths.items():
        if p["crate_id"] != 0:
            continue
        item = index.get(item_id)
        if item is None:
            continue
        path = "::".join(p["path"])
        (kind, v), = item["inner"].items()
        if kind == "function":
            out.add(path.rsplit("::", 1)[0] + " " + fn_sig(item["name"], v))
            continue
        if kind in ("constant", "static"):
            t = v.get("type")
            out.add(kind + " " + path + (": " + ty(t) if t else ""))
            continue
        out.add(p["kind"] + " " + path + generics(v.get("generics", {})) if isinstance(v, dict) else p["kind"] + " " + path)
        if kind == "struct":
            k = v["kind"]
            if isinstance(k, dict):
                (sk, fields), = k.items()
                field_ids = fields.get("fields", []) if isinstance(fields, dict) else fields
                members(path, [f for f in field_ids if f is not None])
        if kind == "enum":
            members(path, v["variants"])
        if kind == "trait":
            members(path, v["items"])
        for impl_id in v.get("impls", []) if isinstance(v, dict) else []:
            impl = index.get(str(impl_id))
            if not impl:
                continue
            imp = impl["inner"]["impl"]
            if imp.get("blanket_impl") is not None:
                continue
            trait = imp.get("trait")
            if trait is None:
                members(path, imp["items"])
            else:
                neg = "!" if imp.get("is_negative") else ""
                out.add("impl" + generics(imp.get("generics", {})) + " " + neg + trait["path"] + args(trait.get("args")) + " for " + ty(imp["for"]))
    return sorted(out)


def main():
    current = lines(build())
    text = "\n".join(current) + "\n"
    if "--write" in sys.argv:
        os.makedirs(os.path.dirname(SNAPSHOT), exist_ok=True)
        with open(SNAPSHOT, "w") as f:
            f.write(text)
        print(f"wrote {SNAPSHOT}: {len(current)} lines")
        return 0
    try:
        with open(SNAPSHOT) as f:
            expected = f.read()
    except FileNotFoundError:
        print(f"{SNAPSHOT} missing: run python3 scripts/public_api.py --write", file=sys.stderr)
        return 1
    if expected == text:
        print(f"public API unchanged ({len(current)} lines)")
        return 0
    sys.stdout.writelines(difflib.unified_diff(
        expected.splitlines(keepends=True), text.splitlines(keepends=True),
        "api/public-api.txt (committed)", "public API now"))
    print("\nThe public API changed. If that is intended, run "
          "`python3 scripts/public_api.py --write`, commit api/public-api.txt, and note the "
          "change in CHANGELOG.md (a breaking change needs a new minor version before 1.0).",
          file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
