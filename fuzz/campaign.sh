#!/usr/bin/env bash
# The differential fuzzing campaign (docs/verification.md, "Fuzzing"), resumable, with its CPU
# time measured rather than its wall time: each target runs in chunks of CHUNK wall seconds
# under `nice -n 19`, each chunk's user+system CPU time (/usr/bin/time), executions and coverage
# go to fuzz/campaign/<target>.tsv, and a target stops once its budget is met and its last chunk
# found no new coverage (or at twice its budget):
#   - ML-KEM-512/768/1024 and X25519: 10,000,000 executions;
#   - P-256, P-384 and every group: 7,200 CPU seconds.
# At most JOBS (default 2) fuzz processes run at once. Re-running continues where the ledgers
# stop; a finished target is skipped. Afterwards: minimise (`cargo fuzz cmin`), then record the
# reference's transcripts (`cargo run --release --features reference --bin record-reference`).
#
# Usage: bash fuzz/campaign.sh [TARGET...]      (default: every diff_* target, cheapest first)
# Environment: CHUNK (seconds, default 600), JOBS (default 2).
set -euo pipefail
cd "$(dirname "$0")"
chunk="${CHUNK:-600}"
jobs="${JOBS:-2}"
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(diff_x25519 diff_mlkem512 diff_mlkem768 diff_mlkem1024 diff_p256 diff_p384
        diff_group_mlkem512 diff_group_mlkem768 diff_group_mlkem1024 diff_group_x25519mlkem768
        diff_group_secp256r1mlkem768 diff_group_secp384r1mlkem1024)
fi
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
for target in "${targets[@]}"; do
    nice -n 19 cargo fuzz build -s none --features reference "$target"
done
bin=target/x86_64-unknown-linux-gnu/release
mkdir -p campaign

# Sums of a target's ledger: executions, CPU seconds, chunks; and the last chunk's new coverage.
totals() {
    awk -F'\t' 'NR > 1 { e += $4; c += $2 + $3; n++; grew = $7 } END { printf "%d %.0f %d %d\n", e, c, n, grew }' \
        "campaign/$1.tsv"
}

run_target() {
    local target=$1 ledger="campaign/$1.tsv" log="campaign/$1.log"
    [ -f "$ledger" ] || printf 'date\tuser_s\tsys_s\texecutions\tcoverage\tfeatures\tnew_coverage\tcorpus\n' > "$ledger"
    while true; do
        read -r execs cpu n grew < <(totals "$target")
        local met
        case "$target" in
            diff_mlkem*|diff_x25519) met=$(( execs >= 10000000 )); over=$(( execs >= 20000000 )) ;;
            *) met=$(( cpu >= 7200 )); over=$(( cpu >= 14400 )) ;;
        esac
        if [ "$over" = 1 ] || { [ "$met" = 1 ] && [ "$grew" = 0 ]; }; then
            echo "$target: done ($execs executions, $cpu CPU seconds, $n chunks)"
            return
        fi
        local before
        before=$(tail -n +2 "$ledger" | tail -1 | cut -f5)
        mkdir -p "corpus/$target" "artifacts/$target"
        /usr/bin/time -f '%U %S' -o "campaign/$target.time" nice -n 19 "$bin/$target" \
            -max_total_time="$chunk" -print_final_stats=1 -artifact_prefix="artifacts/$target/" \
            "corpus/$target" > "$log" 2>&1 || {
            echo "$target: FAILED (see fuzz/$log and fuzz/artifacts/$target/)"; tail -40 "$log"; exit 1; }
        read -r user sys < "campaign/$target.time"
        local e cov ft corp
        e=$(awk '/stat::number_of_executed_units/ { print $2 }' "$log")
        cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
        ft=$(grep -oE 'ft: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
        corp=$(find "corpus/$target" -type f | wc -l)
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$user" "$sys" "$e" "$cov" "$ft" \
            "$(( cov - ${before:-0} > 0 ? 1 : 0 ))" "$corp" >> "$ledger"
        echo "$target: chunk done: $e executions, ${user}+${sys} CPU s, cov $cov, ft $ft, corpus $corp"
    done
}
export -f run_target totals
export chunk bin
printf '%s\n' "${targets[@]}" | xargs -P "$jobs" -I{} bash -c 'run_target "$@"' _ {}
