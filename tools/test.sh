#!/usr/bin/env bash
# Runs every test layer against a real, throwaway PostgreSQL 15 and ends with one line
# "N passed, N failed" totalling all layers. Exit status 0 only when nothing failed.
#
#   bash tools/test.sh            # as root, or as a user with sudo
#
# Layers: GoogleTest unit tests of the C++ core (also under ASan+UBSan), pg_regress
# (sql/ + expected/), pgTAP (test/pgtap/), libpqxx race tests (test/integration/), and the
# demo's year of gift cards, which must end with a clean accounts_verify().
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

OUT=$REPO_ROOT/test-output
rm -rf "$OUT"
mkdir -p "$OUT"
TOTAL_PASSED=0
TOTAL_FAILED=0
SUMMARY=()

# Adds one layer's counts to the totals.
record() {
    local layer=$1 passed=$2 failed=$3
    TOTAL_PASSED=$((TOTAL_PASSED + passed))
    TOTAL_FAILED=$((TOTAL_FAILED + failed))
    SUMMARY+=("$(printf '%-28s %5d passed, %d failed' "$layer" "$passed" "$failed")")
}

# Counts from ctest's closing line "NN% tests passed, F tests failed out of T".
record_ctest() {
    local layer=$1 log=$2
    local line total failed
    line=$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -1 || true)
    if [ -z "$line" ]; then
        echo "!! $layer: ctest printed no summary (see $log)"
        record "$layer" 0 1
        return
    fi
    failed=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$line")
    total=$(sed -E 's/.* failed out of ([0-9]+).*/\1/' <<<"$line")
    if [ "$total" -eq 0 ]; then failed=1; fi
    record "$layer" $((total - failed)) "$failed"
}

install_packages
build_and_install

echo "== build: unit and integration test binaries (CMake)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$OUT/cmake.log" 2>&1
cmake --build build -j2 >>"$OUT/cmake.log" 2>&1 || { tail -40 "$OUT/cmake.log"; exit 1; }
cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=Debug -DOSCAR_ACCOUNTS_SANITIZE=ON >"$OUT/cmake-sanitize.log" 2>&1
cmake --build build-sanitize -j2 --target unit_tests >>"$OUT/cmake-sanitize.log" 2>&1 \
    || { tail -40 "$OUT/cmake-sanitize.log"; exit 1; }

echo "== GoogleTest: core unit tests (no server)"
(cd build && ctest -L unit --output-on-failure) >"$OUT/unit.log" 2>&1 || true
tail -3 "$OUT/unit.log"
record_ctest "unit (GoogleTest)" "$OUT/unit.log"

echo "== GoogleTest: core unit tests under AddressSanitizer + UBSan"
(cd build-sanitize && ctest -L unit --output-on-failure) >"$OUT/unit-sanitize.log" 2>&1 || true
tail -3 "$OUT/unit-sanitize.log"
record_ctest "unit (ASan+UBSan)" "$OUT/unit-sanitize.log"

echo "== libFuzzer: the core's parsing and arithmetic (ASan+UBSan), ${FUZZ_SECONDS:-10} s"
clang++-14 -std=c++17 -g -O1 -fsanitize=fuzzer,address,undefined -Isrc test/fuzz/money_fuzz.cpp src/core/*.cpp \
    -o build/money_fuzz >"$OUT/fuzz-build.log" 2>&1 || { tail -20 "$OUT/fuzz-build.log"; exit 1; }
rm -rf build/fuzz-corpus && cp -r test/fuzz/seeds build/fuzz-corpus
if build/money_fuzz -max_total_time="${FUZZ_SECONDS:-10}" build/fuzz-corpus >"$OUT/fuzz.log" 2>&1; then
    tail -1 "$OUT/fuzz.log"
    record "fuzz (libFuzzer)" 1 0
else
    tail -30 "$OUT/fuzz.log"
    record "fuzz (libFuzzer)" 0 1
fi

KEEP_SERVER_LOG=$OUT/server.log
start_cluster

echo "== pg_regress: sql/ + expected/"
rm -rf results regression.diffs regression.out
if make -s installcheck PG_CONFIG="$PG_CONFIG" >"$OUT/regress.log" 2>&1; then :; fi
grep -E '^(test |ok |not ok )|tests (passed|failed)' "$OUT/regress.log" || true
regress_total=$(grep -cE '^test [a-z_]+ +\.\.\. ' "$OUT/regress.log" || true)
regress_failed=$(grep -cE '^test [a-z_]+ +\.\.\. FAILED' "$OUT/regress.log" || true)
if ! grep -qE 'All [0-9]+ tests passed' "$OUT/regress.log" && [ "$regress_failed" -eq 0 ]; then
    echo "!! pg_regress did not finish (see $OUT/regress.log)"
    regress_failed=1
fi
[ -f regression.diffs ] && cp regression.diffs "$OUT/" && head -60 regression.diffs
record "pg_regress" $((regress_total - regress_failed)) "$regress_failed"

echo "== pgTAP: test/pgtap/"
createdb tapdb
if PGDATABASE=tapdb pg_prove test/pgtap/*.sql >"$OUT/pgtap.log" 2>&1; then tap_ok=1; else tap_ok=0; fi
tail -5 "$OUT/pgtap.log"
tap_total=$(sed -nE 's/^Files=[0-9]+, Tests=([0-9]+),.*/\1/p' "$OUT/pgtap.log")
tap_failed=$(awk '{ while (match($0, /Failed: [0-9]+/)) { s += substr($0, RSTART + 8, RLENGTH - 8); $0 = substr($0, RSTART + RLENGTH) } } END { print s + 0 }' "$OUT/pgtap.log")
tap_total=${tap_total:-0}
if [ "$tap_ok" -eq 0 ] && [ "$tap_failed" -eq 0 ]; then tap_failed=1; fi
record "pgTAP" $((tap_total - tap_failed > 0 ? tap_total - tap_failed : 0)) "$tap_failed"

echo "== libpqxx integration tests (races against the server)"
createdb itest
psql -X -q -d itest -c 'CREATE EXTENSION oscar_accounts'
(cd build && PGDATABASE=itest ctest -L integration --output-on-failure) >"$OUT/integration.log" 2>&1 || true
tail -3 "$OUT/integration.log"
record_ctest "integration (libpqxx)" "$OUT/integration.log"

echo "== isolation: test/isolation/specs (pg_isolation_regress, each race at three isolation levels)"
if ISOLATION_OUTPUT=$OUT/isolation bash tools/isolation.sh >"$OUT/isolation.log" 2>&1; then iso_ok=1; else iso_ok=0; fi
grep -E '^test |tests (passed|failed)' "$OUT/isolation.log" || true
iso_line=$(grep -E 'All [0-9]+ tests passed|[0-9]+ of [0-9]+ tests failed' "$OUT/isolation.log" | tail -1 || true)
if [[ $iso_line =~ All\ ([0-9]+)\ tests\ passed ]]; then
    iso_total=${BASH_REMATCH[1]}
    iso_failed=0
elif [[ $iso_line =~ ([0-9]+)\ of\ ([0-9]+)\ tests\ failed ]]; then
    iso_total=${BASH_REMATCH[2]}
    iso_failed=${BASH_REMATCH[1]}
else
    echo "!! isolation: no pg_regress summary (see $OUT/isolation.log)"
    tail -20 "$OUT/isolation.log"
    iso_total=1
    iso_failed=1
fi
if [ "$iso_ok" -eq 0 ] && [ "$iso_failed" -eq 0 ]; then iso_failed=1; fi
[ -s "$OUT/isolation/regression.diffs" ] && head -60 "$OUT/isolation/regression.diffs"
record "pg_isolation_regress" $((iso_total > iso_failed ? iso_total - iso_failed : 0)) "$iso_failed"

echo "== docs: README's SQLSTATE table against accounts_error_codes()"
sed -nE 's/^\| ([0-9A-Z]{5}) \| ([a-z_]+) \|.*/\1 \2/p' README.md | sort >"$OUT/readme-sqlstates.txt"
psql -X -At -d itest -c "SELECT sqlstate || ' ' || name FROM accounts.accounts_error_codes()" | sort \
    >"$OUT/catalogue-sqlstates.txt"
if [ -s "$OUT/readme-sqlstates.txt" ] && diff "$OUT/catalogue-sqlstates.txt" "$OUT/readme-sqlstates.txt"; then
    record "docs (SQLSTATE table)" 1 0
else
    echo "!! README's SQLSTATE table differs from accounts_error_codes() (< catalogue, > README)"
    record "docs (SQLSTATE table)" 0 1
fi

echo "== Django: django/run_tests.sh (oscar_accounts_pg and the example shop, Django's test runner)"
if bash django/run_tests.sh >"$OUT/django.log" 2>&1; then django_ok=1; else django_ok=0; fi
grep -E '^(== django|Ran [0-9]+ tests? in|OK|FAILED)' "$OUT/django.log" || true
django_total=$(awk '/^Ran [0-9]+ tests? in / { s += $2 } END { print s + 0 }' "$OUT/django.log")
django_failed=$(awk '/^FAILED \(/ { line = $0
        while (match(line, /(\(|, )(failures|errors)=[0-9]+/)) {
            m = substr(line, RSTART, RLENGTH); sub(/.*=/, "", m); s += m; line = substr(line, RSTART + RLENGTH) } }
    END { print s + 0 }' "$OUT/django.log")
if [ "$django_ok" -eq 0 ] && [ "$django_failed" -eq 0 ]; then
    echo "!! django/run_tests.sh failed before reporting a test failure (see $OUT/django.log)"
    django_failed=1
fi
record "Django (oscar_accounts_pg)" $((django_total > django_failed ? django_total - django_failed : 0)) "$django_failed"

if [ -f demo/run_year.sql ]; then
    echo "== demo: a year of gift cards through the real functions"
    createdb demo
    psql -X -q -d demo -c 'CREATE EXTENSION oscar_accounts'
    if psql -X -q -v ON_ERROR_STOP=1 -d demo -v csv="$REPO_ROOT/demo/gift_card_year.csv" \
            -f demo/run_year.sql >"$OUT/demo.log" 2>&1 \
       && [ "$(psql -X -At -d demo -c 'SELECT count(*) FROM accounts.accounts_verify()')" = 0 ]; then
        record "demo (verified year)" 1 0
    else
        tail -20 "$OUT/demo.log"
        record "demo (verified year)" 0 1
    fi
fi

echo "== resilience: dump/restore and stress (this cluster), crash recovery (its own cluster)"
for t in dump_restore stress crash; do
    if bash "test/resilience/$t.sh" >"$OUT/resilience-$t.log" 2>&1; then
        record "resilience ($t)" 1 0
    else
        tail -30 "$OUT/resilience-$t.log"
        record "resilience ($t)" 0 1
    fi
    tail -1 "$OUT/resilience-$t.log"
done

echo "== benchmarks, seconds-long smoke forms (each starts its own cluster)"
if BENCH_SMOKE=1 bash bench/transfers.sh >"$OUT/bench-transfers.log" 2>&1 && tail -1 "$OUT/bench-transfers.log" | grep -q '^bench smoke: ok$'; then
    record "bench smoke (transfers)" 1 0
else
    tail -30 "$OUT/bench-transfers.log"
    record "bench smoke (transfers)" 0 1
fi
tail -1 "$OUT/bench-transfers.log"
if TRANSFERS=20000 CARDS=2000 bash bench/reports.sh >"$OUT/bench-reports.log" 2>&1; then
    record "bench smoke (reports)" 1 0
else
    tail -30 "$OUT/bench-reports.log"
    record "bench smoke (reports)" 0 1
fi

echo
echo "== summary (logs in test-output/)"
printf '%s\n' "${SUMMARY[@]}"
echo "${TOTAL_PASSED} passed, ${TOTAL_FAILED} failed"
[ "$TOTAL_FAILED" -eq 0 ]
