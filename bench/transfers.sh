#!/usr/bin/env bash
# Transfer throughput (issue 7): one run in a throwaway cluster, one table, every figure a ratio
# against plain pgbench TPC-B measured in the same minutes on the same cluster. pgbench with
# custom scripts (bench/transfers/), 20 clients and 2 worker threads, each figure the median of
# 3 runs. The rows run in rounds (one run of each row, three times), so a machine whose speed
# drifts during the run moves every row alike; TPC-B runs once more at the end to show the drift.
#
#   bash bench/transfers.sh                  # full run: 3 runs of 15 s per row (about 7 minutes)
#   BENCH_SECONDS=30 bash bench/transfers.sh # longer runs
#   BENCH_SMOKE=1 bash bench/transfers.sh    # CI: 2 s runs, 1 run per row, small data;
#                                            # the last line is "bench smoke: ok"
#
# Other settings: BENCH_BATCH_CLIENTS (clients for the batch row, default 2), BENCH_BATCH_SIZE
# (transfers per batch call, default 1000), BENCH_LOG_DIR (keep pgbench's output there).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../tools/lib.sh"
cd "$REPO_ROOT"
BENCH_DIR=$REPO_ROOT/bench/transfers
PGBENCH=$PG_BIN/pgbench

SMOKE=${BENCH_SMOKE:-0}
if [ "$SMOKE" = 1 ]; then
    RUN_SECONDS=${BENCH_SECONDS:-2}
    WARMUP_SECONDS=1
    REPS=1
    TPCB_SCALE=1
else
    RUN_SECONDS=${BENCH_SECONDS:-15}
    WARMUP_SECONDS=10
    REPS=3
    TPCB_SCALE=20
fi
CLIENTS=20
THREADS=2
ACCOUNTS=50                      # cards on each side; the 10-account row uses the first 10
BATCH_SIZE=${BENCH_BATCH_SIZE:-1000}
BATCH_CLIENTS=${BENCH_BATCH_CLIENTS:-2}
BATCH_THREADS=$((BATCH_CLIENTS < THREADS ? BATCH_CLIENTS : THREADS))
started_all=$SECONDS

install_packages
build_and_install
start_cluster
LOG_DIR=${BENCH_LOG_DIR:-$CLUSTER_DIR/pgbench-logs}
mkdir -p "$LOG_DIR"

q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }

echo "== setup: TPC-B scale $TPCB_SCALE, reference_oscar, plpgsql_ledger and the extension with $ACCOUNTS cards each"
started=$SECONDS
"$PGBENCH" -i -q -s "$TPCB_SCALE" >"$LOG_DIR/tpcb-init.log" 2>&1 || { cat "$LOG_DIR/tpcb-init.log"; exit 1; }
q -c 'CREATE EXTENSION oscar_accounts'
q -v accounts="$ACCOUNTS" -f "$BENCH_DIR/reference_oscar.sql" >/dev/null
q -v accounts="$ACCOUNTS" -f "$BENCH_DIR/plpgsql_ledger.sql" >/dev/null
q -v accounts="$ACCOUNTS" -f "$BENCH_DIR/accounts.sql" >/dev/null
CARD_BASE=$(q -c "SELECT min(id) - 1 FROM accounts.account WHERE name LIKE 'bench card %'")
CARD_SPAN=$(q -c "SELECT max(id) - min(id) + 1 FROM accounts.account WHERE name LIKE 'bench card %'")
REDEMPTIONS=$(q -c "SELECT account_id FROM accounts.system_account WHERE role = 'redemptions'")
if [ "$CARD_SPAN" != "$ACCOUNTS" ] || [ -z "$REDEMPTIONS" ]; then
    echo "!! setup: the $ACCOUNTS cards do not have consecutive ids (span $CARD_SPAN) or no Redemptions account" >&2
    exit 1
fi
MIRROR_DIFF=$(q -c 'SET search_path = pg_catalog' -f "$BENCH_DIR/plpgsql_mirror_check.sql")
q -c 'VACUUM ANALYZE' -c 'CHECKPOINT'
echo "== setup took $((SECONDS - started)) s"

declare -A TPS LAT FAILED TXNS NOTE
ERRORS=()

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
# 12345.6 -> 12,346
count() { awk -v v="$1" 'BEGIN { s = sprintf("%.0f", v); r = ""
                                  while (length(s) > 3) { r = "," substr(s, length(s) - 2) r; s = substr(s, 1, length(s) - 3) }
                                  print s r }'; }

declare -A TPS_RUNS LAT_RUNS RUNS
# Runs pgbench once (after a CHECKPOINT) for row `tag` and adds its tps, mean latency and
# processed and failed transactions to the row's lists. Any other pgbench error (a client
# aborted) stops the whole run with pgbench's output.
run_once() {
    local tag=$1; shift
    local run log tps lat failed txns
    RUNS[$tag]=$(( ${RUNS[$tag]:-0} + 1 ))
    run=${RUNS[$tag]}
    q -c 'CHECKPOINT'
    log=$LOG_DIR/$tag.$run.log
    if ! "$PGBENCH" "$@" -T "$RUN_SECONDS" >"$log" 2>&1; then
        echo "!! pgbench failed in row \"$tag\" (run $run): $PGBENCH $* -T $RUN_SECONDS" >&2
        tail -n 25 "$log" >&2
        exit 1
    fi
    tps=$(sed -nE 's/^tps = ([0-9.]+) .*/\1/p' "$log")
    lat=$(sed -nE 's/^latency average = ([0-9.]+) ms.*/\1/p' "$log")
    if [ -z "$tps" ] || [ -z "$lat" ]; then
        echo "!! no tps or latency in pgbench's output for row \"$tag\" (run $run)" >&2
        cat "$log" >&2
        exit 1
    fi
    failed=$(sed -nE 's/^number of failed transactions: ([0-9]+).*/\1/p' "$log")
    txns=$(sed -nE 's/^number of transactions actually processed: ([0-9]+).*/\1/p' "$log")
    TPS_RUNS[$tag]+="$tps"$'\n'
    LAT_RUNS[$tag]+="$lat"$'\n'
    FAILED[$tag]=$(( ${FAILED[$tag]:-0} + ${failed:-0} ))
    TXNS[$tag]=$(( ${TXNS[$tag]:-0} + ${txns:-0} ))
    TPS[$tag]=$(printf '%s' "${TPS_RUNS[$tag]}" | median)
    LAT[$tag]=$(printf '%s' "${LAT_RUNS[$tag]}" | median)
    printf '   %-10s run %d: %8.0f tps %9.3f ms  (%d transactions, %d failed)\n' \
        "$tag" "$run" "$tps" "$lat" "${txns:-0}" "${failed:-0}"
}

# Fails loudly unless accounts_verify() returns no rows.
verify_ledger() {
    local after=$1 problems
    problems=$(q -c 'SELECT count(*) FROM accounts.accounts_verify()')
    if [ "$problems" != 0 ]; then
        echo "!! accounts_verify() after \"$after\": $problems problem(s); the extension broke its invariants:" >&2
        psql -X -c 'SELECT * FROM accounts.accounts_verify() LIMIT 20' >&2
        exit 1
    fi
    echo "   accounts_verify() after $after: clean"
}

# An extension row may not lose transactions to deadlocks or serialization failures.
expect_no_failures() {
    local tag=$1
    if [ "${FAILED[$tag]}" != 0 ]; then
        ERRORS+=("$tag: ${FAILED[$tag]} transaction(s) failed (deadlock or serialization failure); see pgbench's output")
        NOTE[$tag]="${NOTE[$tag]:-}; FAILED: ${FAILED[$tag]} transactions failed"
    fi
}

common=(-c "$CLIENTS" -j "$THREADS")

# One run of a row, with what it needs before (a VACUUM of its hot little account table) and
# after (accounts_verify() for the extension).
run_row() {
    local tag=$1
    case $tag in
        tpcb)      run_once tpcb "${common[@]}" ;;  # pgbench vacuums its own tables first
        reference) q -c 'VACUUM ANALYZE reference_oscar.oscar_accounts_account'
                   run_once reference "${common[@]}" -n -f "$BENCH_DIR/reference_oscar.pgbench" \
                       -D n="$ACCOUNTS" -D base=0 ;;
        plpgsql)   q -c 'VACUUM ANALYZE plpgsql_ledger.account'
                   run_once plpgsql "${common[@]}" -n -f "$BENCH_DIR/plpgsql_ledger.pgbench" \
                       -D n="$ACCOUNTS" -D base=0 ;;
        ext50)     q -c 'VACUUM ANALYZE accounts.account'
                   run_once ext50 "${common[@]}" -n -f "$BENCH_DIR/accounts_transfer.pgbench" \
                       -D n="$ACCOUNTS" -D base="$CARD_BASE"
                   verify_ledger "accounts_transfer, $ACCOUNTS accounts" ;;
        ext10)     q -c 'VACUUM ANALYZE accounts.account'
                   run_once ext10 "${common[@]}" -n -f "$BENCH_DIR/accounts_transfer.pgbench" \
                       -D n=10 -D base="$CARD_BASE"
                   verify_ledger "accounts_transfer, 10 accounts" ;;
        ext1)      q -c 'VACUUM ANALYZE accounts.account'
                   run_once ext1 -c 1 -j 1 -n -f "$BENCH_DIR/accounts_transfer.pgbench" \
                       -D n="$ACCOUNTS" -D base="$CARD_BASE"
                   verify_ledger "accounts_transfer, 1 client" ;;
        hot)       q -c 'VACUUM ANALYZE accounts.account'
                   run_once hot "${common[@]}" -n -f "$BENCH_DIR/accounts_transfer_hot.pgbench" \
                       -D n="$ACCOUNTS" -D base="$CARD_BASE" -D hot="$REDEMPTIONS"
                   verify_ledger "accounts_transfer, one hot destination" ;;
        batch)     q -c 'VACUUM ANALYZE accounts.account'
                   run_once batch -c "$BATCH_CLIENTS" -j "$BATCH_THREADS" -n \
                       -f "$BENCH_DIR/accounts_transfer_batch.pgbench" \
                       -D n="$ACCOUNTS" -D base="$CARD_BASE" -D batch="$BATCH_SIZE"
                   verify_ledger "accounts_transfer_batch, $BATCH_CLIENTS clients" ;;
        batch20)   q -c 'VACUUM ANALYZE accounts.account'
                   run_once batch20 "${common[@]}" -n -f "$BENCH_DIR/accounts_transfer_batch.pgbench" \
                       -D n="$ACCOUNTS" -D base="$CARD_BASE" -D batch="$BATCH_SIZE"
                   verify_ledger "accounts_transfer_batch, $CLIENTS clients" ;;
    esac
}

# Warm-up (not counted): the freshly loaded TPC-B tables reach the disk and the caches first.
sync
"$PGBENCH" "${common[@]}" -T "$WARMUP_SECONDS" >"$LOG_DIR/warmup.log" 2>&1 || { cat "$LOG_DIR/warmup.log"; exit 1; }

# The rows compared with each other run in rounds (TPC-B, reference, PL/pgSQL, then the
# extension's), so that a machine that drifts during the run moves every row alike.
echo "== running: $REPS round(s) of $RUN_SECONDS s per row, $CLIENTS clients, $THREADS threads"
for round in $(seq 1 "$REPS"); do
    for tag in tpcb reference plpgsql ext50 ext10 ext1 hot; do
        run_row "$tag"
    done
done
for tag in ext50 ext10 ext1 hot; do expect_no_failures "$tag"; done

read -r ref_drift ref_legs < <(q -F ' ' -c "
    SELECT count(*) FILTER (WHERE a.balance IS DISTINCT FROM l.total), round(avg(l.legs))
      FROM reference_oscar.oscar_accounts_account a
      LEFT JOIN (SELECT account_id, sum(amount) AS total, count(*) AS legs
                   FROM reference_oscar.oscar_accounts_transaction GROUP BY account_id) l ON l.account_id = a.id")
NOTE[reference]="no locks; ${FAILED[reference]} of $(count $((TXNS[reference] + FAILED[reference]))) transactions died in deadlocks; $ref_drift of $ACCOUNTS cached balances differ from their legs afterwards; SUM over ~$ref_legs legs per account at the end"

plpgsql_problems=$(q -c "
    SELECT (SELECT count(*) FROM plpgsql_ledger.account a
             WHERE a.balance <> (SELECT coalesce(sum(p.amount), 0) FROM plpgsql_ledger.posting p WHERE p.account_id = a.id))
         + (SELECT count(*) FROM (SELECT FROM plpgsql_ledger.posting HAVING sum(amount) <> 0) AS total)")
if [ "$plpgsql_problems" != 0 ]; then
    ERRORS+=("plpgsql: $plpgsql_problems balance(s) differ from their postings")
fi
NOTE[plpgsql]="locks both accounts, same checks; ${FAILED[plpgsql]} failed"
[ -n "$MIRROR_DIFF" ] && NOTE[plpgsql]+="; TABLES DIFFER from the extension's (see below)"

# Bytes on disk per transfer, after every accounts_transfer() row (before any batch).
q -c 'CHECKPOINT'
read -r ext_transfers bytes_per_transfer transfer_bytes account_bytes < <(q -F ' ' -c "
    SELECT count(*),
           round((pg_total_relation_size('accounts.transfer') + pg_total_relation_size('accounts.posting'))::numeric
                 / count(*)),
           pg_total_relation_size('accounts.transfer') + pg_total_relation_size('accounts.posting'),
           pg_total_relation_size('accounts.account')
      FROM accounts.transfer")

# The batch call, if it exists yet: available when a call with the three arrays resolves
# (EXPLAIN plans the call without running it).
batch_call='accounts.accounts_transfer_batch(ARRAY[]::bigint[], ARRAY[]::bigint[], ARRAY[]::numeric[])'
batch_found=$(q -c "SELECT string_agg(p.oid::regprocedure::text, ', ')
                      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                     WHERE n.nspname = 'accounts' AND p.proname = 'accounts_transfer_batch'")
batch_available=f
if [ -n "$batch_found" ] && q -c "EXPLAIN SELECT count(*) FROM $batch_call" >/dev/null 2>&1; then
    batch_available=t
fi
if [ "$batch_available" = t ]; then
    echo "== batch: $REPS run(s) with $BATCH_CLIENTS clients, then one with $CLIENTS"
    for round in $(seq 1 "$REPS"); do run_row batch; done
    expect_no_failures batch
    batch_rate=$(awk -v t="${TPS[batch]}" -v b="$BATCH_SIZE" 'BEGIN { printf "%.0f", t * b }')
    # Every batch locks all the cards it names: with 20 clients the calls only queue. One run shows it.
    run_row batch20
    expect_no_failures batch20
    batch_rate_20=$(awk -v t="${TPS[batch20]}" -v b="$BATCH_SIZE" 'BEGIN { printf "%.0f", t * b }')
    batch_written=$(q -c "SELECT count(*) - $ext_transfers FROM accounts.transfer")
    NOTE[batch]="$BATCH_CLIENTS clients, $BATCH_SIZE transfers per call ($(awk -v t="${TPS[batch]}" 'BEGIN { printf "%.1f", t }') calls/s), $(count "$batch_written") transfers written; $CLIENTS clients contend: $(count "$batch_rate_20")/s in one run${NOTE[batch]:-}"
else
    if [ -n "$batch_found" ]; then
        NOTE[batch]="not available: $batch_found cannot be called as $batch_call"
    else
        NOTE[batch]="not available: accounts.accounts_transfer_batch does not exist yet"
    fi
fi

# The baseline again, minutes later: how far the machine drifted during the run.
run_once tpcb_end "${common[@]}"

# ---------------------------------------------------------------------------------------------
# The table.
base=${TPS[tpcb]}
rows=()
row() { rows+=("$1"$'\t'"$2"$'\t'"$3"$'\t'"$4"); }
row "TPC-B (pgbench built-in, scale $TPCB_SCALE)" "$(count "$base")" "1.00" "baseline"
row "reference: the ORM's SQL per transfer" "$(count "${TPS[reference]}")" "$(ratio "${TPS[reference]}" "$base")" "${NOTE[reference]}"
row "PL/pgSQL function with row locks" "$(count "${TPS[plpgsql]}")" "$(ratio "${TPS[plpgsql]}" "$base")" "${NOTE[plpgsql]}"
row "accounts_transfer, $ACCOUNTS accounts" "$(count "${TPS[ext50]}")" "$(ratio "${TPS[ext50]}" "$base")" \
    "target >= 1.0x TPC-B, >= 10x reference ($(ratio "${TPS[ext50]}" "${TPS[reference]}")x), >= 1.5x PL/pgSQL ($(ratio "${TPS[ext50]}" "${TPS[plpgsql]}")x)${NOTE[ext50]:-}"
row "accounts_transfer, 10 accounts" "$(count "${TPS[ext10]}")" "$(ratio "${TPS[ext10]}" "$base")" \
    "$(ratio "${TPS[ext10]}" "${TPS[ext50]}")x the 50-account rate${NOTE[ext10]:-}"
row "accounts_transfer, 1 client" "$(count "${TPS[ext1]}")" "$(ratio "${TPS[ext1]}" "$base")" \
    "-c 1 -j 1: mean latency ${LAT[ext1]} ms${NOTE[ext1]:-}"
row "accounts_transfer, one hot destination" "$(count "${TPS[hot]}")" "$(ratio "${TPS[hot]}" "$base")" \
    "all to Redemptions (a hot account; 1 transaction in 100 folds its pending credits) from $ACCOUNTS cards; $(ratio "${TPS[hot]}" "${TPS[ext50]}")x the 50-account rate, target >= 0.8x${NOTE[hot]:-}"
if [ "$batch_available" = t ]; then
    row "accounts_transfer_batch, transfers/s" "$(count "$batch_rate")" "$(ratio "$batch_rate" "$base")" \
        "target >= 30,000/s; ${NOTE[batch]}"
else
    row "accounts_transfer_batch, transfers/s" "not available" "-" "${NOTE[batch]}"
fi
row "bytes on disk per transfer" "$(count "$bytes_per_transfer") B" "-" \
    "target <= 840; transfer + posting with indexes: $(count "$transfer_bytes") B for $(count "$ext_transfers") transfers"
row "account table ($((ACCOUNTS + 4)) accounts)" "$(count "$account_bytes") B" "-" \
    "grows only with dead row versions (HOT updates)"

date_run=$(date -u '+%Y-%m-%d %H:%M UTC')
server_version=$(q -c 'SHOW server_version')
echo
echo "Transfers benchmark, $date_run"
echo "machine: $(nproc) cores ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)), $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), PostgreSQL $server_version"
echo "pgbench -c $CLIENTS -j $THREADS -M simple, median of $REPS run(s) of $RUN_SECONDS s; fsync=off, shared_buffers=$(q -c 'SHOW shared_buffers'); amounts 0.01-10.00"
echo
{
    printf '| row\t| tps\t| x TPC-B\t| notes |\n'
    printf '|---\t|--:\t|--:\t|--- |\n'
    for r in "${rows[@]}"; do
        IFS=$'\t' read -r name value rel note <<<"$r"
        printf '| %s\t| %s\t| %s\t| %s |\n' "$name" "$value" "$rel" "$note"
    done
} | column -t -s $'\t'
echo
drift=$(awk -v a="${TPS[tpcb_end]}" -v b="$base" 'BEGIN { printf "%+.1f", (a - b) / b * 100 }')
echo "TPC-B again at the end: $(count "${TPS[tpcb_end]}") tps ($drift% from the baseline)"

# Target checks: "met (value)" or "missed by X% (value)".
check() {
    local label=$1 value=$2 target=$3 direction=$4 unit=$5 verdict
    verdict=$(awk -v v="$value" -v t="$target" -v d="$direction" -v u="$unit" 'BEGIN {
        ok = (d == "min") ? (v >= t) : (v <= t)
        gap = (d == "min") ? (t - v) / t * 100 : (v - t) / t * 100
        f = (u == "x") ? "%.2f" : "%.0f"
        if (ok) printf "met (" f "%s)", v, u; else printf "missed by %.0f%% (" f "%s)", gap, v, u }')
    printf '  %-58s %s\n' "$label" "$verdict"
}
echo "targets:"
check "accounts_transfer, 50 accounts >= 1.0x TPC-B" "$(ratio "${TPS[ext50]}" "$base")" 1.0 min x
check "accounts_transfer, 50 accounts >= 10x reference" "$(ratio "${TPS[ext50]}" "${TPS[reference]}")" 10 min x
check "accounts_transfer, 50 accounts >= 1.5x PL/pgSQL" "$(ratio "${TPS[ext50]}" "${TPS[plpgsql]}")" 1.5 min x
check "one hot destination >= 0.8x the 50-account rate" "$(ratio "${TPS[hot]}" "${TPS[ext50]}")" 0.8 min x
if [ "$batch_available" = t ]; then
    check "accounts_transfer_batch >= 30,000 transfers/s" "$batch_rate" 30000 min " transfers/s"
else
    printf '  %-58s %s\n' "accounts_transfer_batch >= 30,000 transfers/s" "${NOTE[batch]}"
fi
check "bytes on disk per transfer <= 840" "$bytes_per_transfer" 840 max " B"

if [ -n "$MIRROR_DIFF" ]; then
    echo
    echo "note: plpgsql_ledger's tables no longer match the extension's:"
    sed 's/^/  /' <<<"$MIRROR_DIFF"
fi
echo
echo "== transfers benchmark took $((SECONDS - started_all)) s"
if [ ${#ERRORS[@]} -gt 0 ]; then
    echo "!! errors:" >&2
    printf '!!   %s\n' "${ERRORS[@]}" >&2
    exit 1
fi
if [ "$SMOKE" = 1 ]; then
    echo "bench smoke: ok"
fi
