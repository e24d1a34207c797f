#!/usr/bin/env bash
# dudect statistical timing test, run by hand (not in CI: it measures wall-clock time).
# `bash ct/dudect.sh` runs each test once (20,000 samples); `bash ct/dudect.sh --continuous NAME`
# keeps sampling NAME until interrupted. |t| below ~5 means no timing difference was detected.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench -p hybrid-kx-ct --bench dudect --no-run 2>/dev/null
bin=$(ls -t target/release/deps/dudect-* | grep -v '\.d$' | head -1)
exec "$bin" "$@"
