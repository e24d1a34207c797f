#!/usr/bin/env python3
"""Turns criterion's results into the tables of docs/benchmarks.md.

Reads target/criterion/**/new/{benchmark,estimates}.json (criterion's own output), plus
target/criterion/interleaved.json (bench-peers `interleaved`: implementations taking turns),
target/criterion/wire-bytes.json (written by the bench-peers handshake benchmark) and
target/criterion/callgrind.json (written by scripts/callgrind.py) when present, and

- prints Markdown tables: per benchmark group, each function's median and its ratio to the
  fastest in the group (and to any reference given with --ref);
- rewrites the part of docs/benchmarks.md between the GENERATED markers with them (--doc).

    python3 scripts/bench_report.py --doc docs/benchmarks.md

The chart (docs/benchmarks.svg) is drawn by bench-peers' `interleaved --update`, with the
support crate's chart code that `hybrid-kx speed --chart` and `bench --chart` also use.

Standard library only.
"""

import argparse
import json
import os
import sys
from collections import OrderedDict

BEGIN = "<!-- BEGIN GENERATED (scripts/bench_report.py) -->"
END = "<!-- END GENERATED -->"

def load(criterion_dir):
    """{group_id: OrderedDict(function_id -> median ns)} in discovery order."""
    groups = OrderedDict()
    for root, _dirs, files in sorted(os.walk(criterion_dir)):
        if os.path.basename(root) != "new" or "estimates.json" not in files:
            continue
        with open(os.path.join(root, "benchmark.json")) as f:
            bench = json.load(f)
        with open(os.path.join(root, "estimates.json")) as f:
            est = json.load(f)
        group = bench["group_id"]
        name = bench.get("function_id") or bench.get("value_str") or bench["full_id"]
        if bench.get("function_id") and bench.get("value_str"):
            name = f'{bench["function_id"]}/{bench["value_str"]}'
        groups.setdefault(group, OrderedDict())[name] = est["median"]["point_estimate"]
    # Interleaved medians (bench-peers `interleaved` binary): same shape, listed first.
    interleaved = os.path.join(criterion_dir, "interleaved.json")
    if os.path.exists(interleaved):
        with open(interleaved) as f:
            extra = json.load(f, object_pairs_hook=OrderedDict)
        # "cpu" and "backends" are strings describing the run, not groups.
        extra = OrderedDict((k, v) for k, v in extra.items() if isinstance(v, dict))
        groups = OrderedDict(list(extra.items()) + list(groups.items()))
    return groups


def fmt_time(ns):
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.1f} µs"
    return f"{ns:.0f} ns"


def tables(groups, only=None):
    out = []
    for group, funcs in groups.items():
        if only and not any(group.startswith(p) for p in only):
            continue
        fastest = min(funcs.values())
        out.append(f"#### `{group}`\n")
        per_second = "handshake" in group
        head = "| | median | × fastest |" + (" handshakes/s |" if per_second else "")
        out.append(head)
        out.append("|---|---:|---:|" + ("---:|" if per_second else ""))
        for name, ns in sorted(funcs.items(), key=lambda kv: kv[1]):
            row = f"| {name} | {fmt_time(ns)} | {ns / fastest:.2f} |"
            if per_second:
                row += f" {1e9 / ns:,.0f} |"
            out.append(row)
        out.append("")
    return "\n".join(out)


def table_from_json(path, lines):
    """The Markdown block `lines` makes of the JSON document at `path`; "" when there is no such
    file (that measurement was not run, and its table is left out)."""
    if not os.path.exists(path):
        return ""
    with open(path) as f:
        return "\n".join(lines(json.load(f)) + [""])


def wire_lines(rows):
    out = [
        "#### Bytes on the wire (one full handshake, ECDSA P-256 certificate)\n",
        "| configuration | group | ClientHello key shares | ServerHello key share "
        "| ClientHello | server flight | client Finished | total |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        total = r["client_hello"] + r["server_flight"] + r["client_finished"]
        out.append(
            f'| {r["config"]} | 0x{r["group"]:04X} | {r["client_key_shares"]} '
            f'| {r["server_key_share"]} | {r["client_hello"]} | {r["server_flight"]} '
            f'| {r["client_finished"]} | {total} |'
        )
    return out


def callgrind_lines(data):
    out = [
        "#### Instructions per operation (callgrind, noise-free)\n",
        f'Measured with `{data.get("command", "valgrind --tool=callgrind")}`; '
        "(instructions at N = {hi} − at N = {lo}) / {d}.\n".format(
            hi=data["n_high"], lo=data["n_low"], d=data["n_high"] - data["n_low"]
        ),
        "| operation | instructions |",
        "|---|---:|",
    ]
    for op, count in data["per_op"].items():
        out.append(f"| {op} | {count:,.0f} |")
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--criterion", default="target/criterion")
    ap.add_argument("--doc", help="Markdown file whose GENERATED section is replaced")
    ap.add_argument("--only", action="append", help="group prefixes to include (repeatable)")
    args = ap.parse_args()

    groups = load(args.criterion)
    if not groups:
        sys.exit(f"no criterion results under {args.criterion}")
    text = "\n".join(
        t
        for t in (
            tables(groups, args.only),
            table_from_json(os.path.join(args.criterion, "wire-bytes.json"), wire_lines),
            table_from_json(os.path.join(args.criterion, "callgrind.json"), callgrind_lines),
        )
        if t
    )
    if args.doc:
        with open(args.doc) as f:
            doc = f.read()
        if BEGIN not in doc or END not in doc:
            sys.exit(f"{args.doc}: missing {BEGIN} / {END}")
        head, rest = doc.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        with open(args.doc, "w") as f:
            f.write(head + BEGIN + "\n\n" + text + "\n" + END + tail)
    else:
        print(text)


if __name__ == "__main__":
    main()
