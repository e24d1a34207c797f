#!/usr/bin/env bash
# BoringSSL's acvptool drives hybrid-kx-modulewrapper over every ACVP vector set among the shared
# vectors (the ACVP-Server prompts, prompt.json beside expectedResults.json, and acvptool's own
# vectors.json beside expected.json), once per backend this CPU runs; `hybrid-kx acvp check`
# compares each response with its expected results, case for case. acvptool records whatever the
# wrapper answers, so the comparison is the check. docs/acvp.md explains the commands.
#
# usage: scripts/acvp.sh BIN_DIR [SHARED_VECTORS]
#   BIN_DIR holds hybrid-kx and hybrid-kx-modulewrapper (CI: target/debug, the test profile);
#   SHARED_VECTORS defaults to $HYBRID_KX_SHARED_VECTORS, then ../shared/test-vectors; acvptool
#   is built from the acvptool source beside it (../tools/acvptool) into target/acvptool.
set -euo pipefail
bin=$(cd "${1:?usage: scripts/acvp.sh BIN_DIR [SHARED_VECTORS]}" && pwd)
shared=$(cd "${2:-${HYBRID_KX_SHARED_VECTORS:-../shared/test-vectors}}" && pwd)
tool_dir="${CARGO_TARGET_DIR:-target}/acvptool"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

bash "$shared/../tools/acvptool/build.sh" "$tool_dir" >/dev/null
acvptool="$tool_dir/acvptool"

# Each vector set: the file acvptool reads and the expected results. acvptool's -json takes an
# array (a session header, then vector sets): a bare ACVP-Server prompt is wrapped so.
declare -a names inputs expected
while IFS= read -r -d '' prompt; do
    dir=$(dirname "$prompt")
    name=${dir#"$shared"/}
    input="$work/$(echo "$name" | tr '/' '_').json"
    { printf '[{"acvVersion":"1.0"},'; cat "$prompt"; printf ']'; } >"$input"
    names+=("$name") inputs+=("$input") expected+=("$dir/expectedResults.json")
done < <(find "$shared/acvp" -name prompt.json -print0 | sort -z)
while IFS= read -r -d '' vectors; do
    dir=$(dirname "$vectors")
    names+=("${dir#"$shared"/}") inputs+=("$vectors") expected+=("$dir/expected.json")
done < <(find "$shared/acvp" -name vectors.json -print0 | sort -z)
if [ ${#names[@]} -eq 0 ]; then
    echo "no ACVP vector set under $shared/acvp" >&2
    exit 1
fi

# The backends (hybrid_kx::Backend::ALL); one that does not run here (this CPU, or not compiled
# in: aws-lc needs the CLI's `aws-lc` feature) is said and counted.
ran=0 not_run=0 responses=0 cases=0 mismatches=0
for backend in portable libcrux graviola aws-lc; do
    # getConfig alone: the wrapper exits with 2 before reading when the backend cannot run here.
    status=0
    printf '\001\000\000\000\011\000\000\000getConfig' |
        HYBRID_KX_BACKEND=$backend "$bin/hybrid-kx-modulewrapper" >/dev/null 2>"$work/probe" ||
        status=$?
    if [ "$status" -eq 2 ] && grep -q "does not run here" "$work/probe"; then
        echo "=== backend $backend: NOT RUN: $(sed 's/^hybrid-kx-modulewrapper: //' "$work/probe")"
        not_run=$((not_run + 1))
        continue
    elif [ "$status" -ne 0 ]; then
        cat "$work/probe" >&2
        exit 1
    fi
    echo "=== backend $backend"
    ran=$((ran + 1))
    for i in "${!names[@]}"; do
        response="$work/response.json"
        HYBRID_KX_BACKEND=$backend "$acvptool" -wrapper "$bin/hybrid-kx-modulewrapper" \
            -json "${inputs[$i]}" >"$response" 2>"$work/stderr" || {
            cat "$work/stderr" >&2
            echo "acvptool failed on ${names[$i]} (backend $backend)" >&2
            exit 1
        }
        line=$("$bin/hybrid-kx" acvp check "$response" "${expected[$i]}") || {
            echo "$line" >&2
            echo "${names[$i]} (backend $backend): the response differs from the expected results" >&2
            exit 1
        }
        echo "${names[$i]}: ${line#acvp check: }; $(grep -o '[0-9]* requests answered.*' "$work/stderr")"
        [[ $line =~ ([0-9]+)\ tests\ compared,\ ([0-9]+)\ mismatches ]]
        cases=$((cases + BASH_REMATCH[1]))
        mismatches=$((mismatches + BASH_REMATCH[2]))
        responses=$((responses + 1))
    done
done
echo "acvptool: $ran backends run, $not_run not run here; $responses responses, $cases cases compared with the expected results, $mismatches mismatches"
[ "$ran" -gt 0 ] && [ "$mismatches" -eq 0 ]
