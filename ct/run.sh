#!/usr/bin/env bash
# Constant-time check (ctgrind method): run the harness under valgrind memcheck with secrets
# marked undefined. Passes only if (1) the control, which branches on a secret byte, IS reported
# and (2) every real operation reports zero errors beyond the documented declassification points
# in ct/valgrind.supp. Release build: debug builds add overflow-check branches.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v valgrind >/dev/null || { echo "valgrind is not installed" >&2; exit 1; }
cargo build --release -p hybrid-kx-ct
harness=target/release/ct-harness
vg=(valgrind --error-exitcode=99 --suppressions=ct/valgrind.supp --num-callers=20)

echo "--- control (must be reported)"
set +e
"${vg[@]}" "$harness" control > target/ct-control.log 2>&1
status=$?
set -e
grep 'ERROR SUMMARY' target/ct-control.log
if [ "$status" -ne 99 ] || ! grep -q 'depends on uninitialised value' target/ct-control.log; then
    echo "FAIL: the control branch on a secret byte was not reported; the harness cannot fail" >&2
    exit 1
fi

echo "--- every secret-handling operation (must be clean)"
set +e
"${vg[@]}" -v "$harness" all > target/ct-all.log 2>&1
status=$?
set -e
grep -E '^ct:' target/ct-all.log
grep 'ERROR SUMMARY' target/ct-all.log
echo "declassification points used (count name):"
grep -E 'used_suppression' target/ct-all.log | sed -E 's/.*used_suppression: *([0-9]+) ([^ ]+).*/  \1 \2/' || true
if [ "$status" -ne 0 ]; then
    grep -B2 -A12 'depends on uninitialised value\|Use of uninitialised value' target/ct-all.log | head -80 >&2
    echo "FAIL: secret-dependent branch or memory access (see above)" >&2
    exit 1
fi
echo "constant-time check: OK"
