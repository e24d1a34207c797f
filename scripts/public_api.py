#!/usr/bin/env python3
"""The public API of hybrid-kx as sorted text lines, checked against the snapshots in api/.

An accidental breaking change (an item, variant, field, method, trait impl or auto trait
removed, renamed or re-typed; a re-export removed; `#[non_exhaustive]` or a supertrait added
or removed) changes a line, and CI fails with the diff. A deliberate change is recorded by
regenerating the snapshots in the same commit (and a CHANGELOG entry):

    python3 scripts/public_api.py --write      # regenerate both snapshots
    python3 scripts/public_api.py              # compare (what CI runs)

Two feature sets, one snapshot each: `api/public-api.txt` (every feature: what docs.rs shows)
and `api/public-api-default.txt` (the default features plus `rustls`: what a rustls user
depends on). It reads rustdoc's JSON output on x86_64, which the script builds first with the
stable toolchain (`RUSTC_BOOTSTRAP=1` unlocks `--output-format json`, as cargo-semver-checks
does), and walks the API from the crate root: every public module, item and re-export a user
can name, with the path a user writes. Each line is an item path with its kind (and
`#[non_exhaustive]`, and a trait's supertraits), a re-export, or a signature: functions with
their argument and return types, fields (and enum variant fields) with their types, impls with
their trait. Standard library only.
"""

import difflib
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# (snapshot file, cargo feature arguments)
SNAPSHOTS = [
    (os.path.join(ROOT, "api", "public-api.txt"), ["--all-features"]),
    (os.path.join(ROOT, "api", "public-api-default.txt"), ["--features", "rustls"]),
]


def build(features):
    env = dict(os.environ, RUSTC_BOOTSTRAP="1",
               RUSTDOCFLAGS="-Z unstable-options --output-format json")
    subprocess.run(["cargo", "doc", "--no-deps", *features, "-p", "hybrid-kx"],
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


def where_clause(g):
    """The `where` predicates of generics `g` (bounds written after the signature)."""
    out = []
    for p in g.get("where_predicates", []):
        b = p.get("bound_predicate")
        if b and b.get("bounds"):
            out.append(ty(b["type"]) + ": " + " + ".join(bound(x) for x in b["bounds"]))
    return " where " + ", ".join(out) if out else ""


def fn_sig(name, f):
    sig = f["sig"]
    inputs = ", ".join(n + ": " + ty(t) for n, t in sig["inputs"])
    header = f.get("header", {})
    prefix = ("const " if header.get("is_const") else "") + ("unsafe " if header.get("is_unsafe") else "")
    return prefix + "fn " + name + generics(f.get("generics", {})) + "(" + inputs + ") -> " + ty(sig["output"]) + where_clause(f.get("generics", {}))


def attrs_of(item):
    """` #[non_exhaustive]` when the item carries it."""
    for a in item.get("attrs", []):
        if a == "non_exhaustive" or (isinstance(a, str) and "non_exhaustive" in a):
            return " #[non_exhaustive]"
    return ""


def lines(doc):
    index = doc["index"]
    out = set()
    seen = set()

    def get(item_id):
        item = index.get(str(item_id))
        return item if item and item["crate_id"] == 0 else None

    def members(owner, ids, all_fields=False):
        for i in ids:
            item = get(i)
            if not item:
                continue
            (kind, v), = item["inner"].items()
            name = item.get("name")
            if kind == "function":
                out.add(owner + " " + fn_sig(name, v))
            elif kind == "assoc_const":
                out.add(owner + " const " + name + ": " + ty(v["type"]))
            elif kind == "assoc_type":
                bounds = v.get("bounds") or []
                shown = ": " + " + ".join(bound(b) for b in bounds) if bounds else ""
                out.add(owner + " type " + name + shown + (" = " + ty(v["type"]) if v.get("type") else ""))
            elif kind == "struct_field":
                # Struct fields count when public; a variant's fields are always part of it.
                if all_fields or item["visibility"] == "public":
                    out.add(owner + " field " + name + ": " + ty(v))
            elif kind == "variant":
                out.add(owner + " variant " + name + attrs_of(item))
                variant_kind = v["kind"]
                if isinstance(variant_kind, dict):
                    (vk, fields), = variant_kind.items()
                    field_ids = fields.get("fields", []) if isinstance(fields, dict) else fields
                    members(owner + "::" + name, [f for f in field_ids if f is not None], True)

    def impls(path, v):
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
                out.add("impl" + generics(imp.get("generics", {})) + " " + neg + trait["path"]
                        + args(trait.get("args")) + " for " + ty(imp["for"])
                        + where_clause(imp.get("generics", {})))

    def item(item_id, path):
        it = get(item_id)
        if it is None or item_id in seen:
            return
        seen.add(item_id)
        (kind, v), = it["inner"].items()
        if kind == "module":
            out.add("module " + path)
            module(v, path)
        elif kind == "function":
            out.add(path.rsplit("::", 1)[0] + " " + fn_sig(it["name"], v))
        elif kind in ("constant", "static"):
            t = v.get("type")
            out.add(kind + " " + path + (": " + ty(t) if t else ""))
        elif kind == "macro":
            out.add("macro " + path)
        else:
            line = kind + " " + path + generics(v.get("generics", {})) + attrs_of(it)
            if kind == "trait" and v.get("bounds"):
                line += ": " + " + ".join(bound(b) for b in v["bounds"])
            out.add(line)
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
            impls(path, v)

    def module(v, path):
        for i in v["items"]:
            it = get(i)
            if it is None or it.get("visibility") != "public":
                continue
            (kind, u), = it["inner"].items()
            if kind == "use":
                name = u["name"]
                out.add("use " + path + "::" + name + " = " + u["source"]
                        + (" (glob)" if u.get("is_glob") else ""))
                if u.get("id") is not None:
                    item(u["id"], path + "::" + name)
            else:
                item(i, path + "::" + it["name"])

    root = index[str(doc["root"])]
    out.add("module " + root["name"])
    module(root["inner"]["module"], root["name"])
    return sorted(out)


def main():
    status = 0
    for snapshot, features in SNAPSHOTS:
        current = lines(build(features))
        text = "\n".join(current) + "\n"
        name = os.path.relpath(snapshot, ROOT)
        if "--write" in sys.argv:
            os.makedirs(os.path.dirname(snapshot), exist_ok=True)
            with open(snapshot, "w") as f:
                f.write(text)
            print(f"wrote {name}: {len(current)} lines ({' '.join(features)})")
            continue
        try:
            with open(snapshot) as f:
                expected = f.read()
        except FileNotFoundError:
            print(f"{name} missing: run python3 scripts/public_api.py --write", file=sys.stderr)
            status = 1
            continue
        if expected == text:
            print(f"public API unchanged: {name}, {len(current)} lines ({' '.join(features)})")
            continue
        sys.stdout.writelines(difflib.unified_diff(
            expected.splitlines(keepends=True), text.splitlines(keepends=True),
            name + " (committed)", "public API now"))
        print(f"\nThe public API changed ({' '.join(features)}). If that is intended, run "
              "`python3 scripts/public_api.py --write`, commit api/, and note the change in "
              "CHANGELOG.md (a breaking change needs a new minor version before 1.0).",
              file=sys.stderr)
        status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
