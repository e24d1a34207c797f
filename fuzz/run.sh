#!/usr/bin/env bash
# Runs every fuzz target for a bounded time on the stable toolchain (libFuzzer, no sanitizer)
# and prints executions and coverage per target. Usage: bash fuzz/run.sh [SECONDS_PER_TARGET]
# New corpus entries land in fuzz/corpus/<target>/ (commit the interesting ones).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-300}"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
for target in hkdf_label client_share server_share tls_handshake; do
    log="fuzz/target/$target.log"
    mkdir -p fuzz/target
    cargo fuzz run -s none "$target" -- -max_total_time="$seconds" -print_final_stats=1 > "$log" 2>&1 || {
        echo "$target: FAILED (see $log)"; tail -30 "$log"; exit 1; }
    execs=$(grep -E 'stat::number_of_executed_units' "$log" | awk '{print $2}')
    cov=$(grep -E '^#[0-9]+.*(DONE|pulse)' "$log" | tail -1 | grep -oE 'cov: [0-9]+' || true)
    echo "$target: executions=$execs $cov crashes=0"
done
