#!/usr/bin/env python3
"""Instruction counts per operation under valgrind's callgrind: a noise-free second figure
beside criterion's times.

Builds `callgrind-ops` (bench-peers, release), runs every operation it lists (or those given)
with N = --low and N = --high iterations under `valgrind --tool=callgrind`, and reports
(Ir(high) - Ir(low)) / (high - low): the instructions of one operation, without start-up and
set-up. Writes target/criterion/callgrind.json, which scripts/bench_report.py turns into a table.

    python3 scripts/callgrind.py                       # every operation
    python3 scripts/callgrind.py exchange:graviola     # some

Notes: valgrind emulates no AVX-512, so graviola and aws-lc-rs take their AVX2 paths; valgrind
does not report ADX, so hybrid-kx's graviola check falls back to the next backend unless the
binary was built with VALGRIND_BUG_494162=1 in the environment (graviola's own switch, which
this script sets).
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

BIN = "target/release/callgrind-ops"


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw)


def instructions(op, n):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "callgrind.out")
        run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", BIN, op, str(n)])
        with open(out) as f:
            for line in f:
                m = re.match(r"(?:summary|totals):\s+(\d+)", line)
                if m:
                    return int(m.group(1))
    raise RuntimeError(f"no instruction total for {op} N={n}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("ops", nargs="*")
    ap.add_argument("--low", type=int, default=1)
    ap.add_argument("--high", type=int, default=11)
    ap.add_argument("--out", default="target/criterion/callgrind.json")
    args = ap.parse_args()

    env = dict(os.environ, VALGRIND_BUG_494162="1")
    build = ["cargo", "build", "--release", "-p", "hybrid-kx-bench-peers", "--bin", "callgrind-ops"]
    per_op = {}

    def measure(ops, label=""):
        for op in ops:
            lo, hi = instructions(op, args.low), instructions(op, args.high)
            name = op + label
            per_op[name] = (hi - lo) / (args.high - args.low)
            print(f"{name:50} {per_op[name]:>14,.0f} instructions", flush=True)

    if not args.ops:
        # hybrid-kx on its portable backends against the same crates called directly (the
        # "no overhead of our own" target), from a build without backend features.
        subprocess.run(build + ["--no-default-features"], check=True, env=env)
        measure(
            ["exchange:hybrid-kx", "exchange:ml-kem+x25519-dalek", "group-keygen",
             "group-encapsulate", "group-keygen+complete"],
            " [portable build]",
        )
    subprocess.run(build, check=True, env=env)
    measure(args.ops or run([BIN, "list"]).stdout.split())
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(
            {
                "command": "valgrind --tool=callgrind target/release/callgrind-ops OP N",
                "n_low": args.low,
                "n_high": args.high,
                "per_op": per_op,
            },
            f,
            indent=1,
        )


if __name__ == "__main__":
    sys.exit(main())
