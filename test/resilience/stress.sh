#!/usr/bin/env bash
# Stress: STRESS_CLIENTS pgbench clients for a fixed time against one ledger, then every
# invariant. Needs PG* environment variables pointing at a running PostgreSQL 15 where the
# caller may create databases (a superuser; max_connections above the client count) and the
# extension is installed; creates and drops its own database.
#
# The mix (pgbench -f script@weight, scripts in test/resilience/lib/stress/, each one call of
# public.stress() from test/resilience/lib/stress_setup.sql), all through the real functions:
#   pair 25     random pairs of cards, both directions (and Bank top-ups)
#   hot 25      everyone pays Redemptions (one hot destination row), one card or a two-card redeem
#   budget 12   budgets (credit limit 200.00, primary user) spent down to the limit, refilled
#   idem 10     idempotent retries: the same key twice in one client, or keys shared by all clients
#   refund 8    partial refunds (accounts_refund) of recent redemptions, racing the reversals
#   reverse 6   reversals of recent redemptions and of random transfers
#   freeze 5    freezes and thaws of cards others are paying with
#   lookup 5    code look-ups (and guessing addresses that get blocked)
#   limit 2     budgets' credit limits changed while they are spent
#   sweep 2     accounts_close_expired() while one card in twenty expires during the run
#   fold 2      accounts_fold_hot_credits(): Redemptions and one card in three are hot accounts
# Refusals with the extension's documented SQLSTATEs are expected and counted by SQLSTATE;
# anything else aborts the pgbench client and fails the run. The clients run at READ COMMITTED,
# where serialization failures cannot happen; deadlocks (40P01) must not happen at all (each
# operation is one call, and a single call never deadlocks): both are counted and fail the run,
# and pg_stat_database.deadlocks must not move.
#
# After the run: accounts_verify() empty; postings sum to 0; balance = sum of postings for every
# account; balance >= -credit_limit wherever there is a limit; every transfer has two legs; no
# transfer reversed twice or returned beyond its amount; no Closed account holding money; every
# shared idempotency key made at most one transfer and the one its row records; no client saw
# a retried request answered differently. Prints clients x seconds, operations and transfers
# made, refusals by SQLSTATE, and the violations found.
#
# Short form (what tools/test.sh runs; 10 s of traffic, about 15 s in all):
#   bash test/resilience/stress.sh
# Full form (120 s of traffic):
#   bash test/resilience/stress.sh --full        # = STRESS_SECONDS=120
# Settings (environment; --full only changes the default duration):
#   STRESS_SECONDS=10      duration of the pgbench run (full: 120)
#   STRESS_CLIENTS=20      pgbench clients (-c)
#   STRESS_JOBS=2          pgbench threads (-j)
#   STRESS_CARDS=200       cards
#   STRESS_BUDGETS=20      budgets with a credit limit
#   STRESS_KEEP=1          keep the database (its name is printed)
#   STRESS_PGBENCH=/usr/lib/postgresql/15/bin/pgbench   (Debian package postgresql-15)
# Last line: "RESULT: stress passed" or "RESULT: stress FAILED: <why>".
set -uo pipefail
RESULT_NAME=stress
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

FULL=0
for arg in "$@"; do
    case $arg in
        --full) FULL=1 ;;
        -h|--help) sed -n '2,/^set -uo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; RESULT_PRINTED=1; exit 0 ;;
        *) fail "unknown argument $arg (try --help)" ;;
    esac
done
if [ "$FULL" -eq 1 ]; then SECONDS_RUN=${STRESS_SECONDS:-120}; else SECONDS_RUN=${STRESS_SECONDS:-10}; fi
CLIENTS=${STRESS_CLIENTS:-20}
JOBS=${STRESS_JOBS:-2}
CARDS=${STRESS_CARDS:-200}
BUDGETS=${STRESS_BUDGETS:-20}
KEEP=${STRESS_KEEP:-0}
PGBENCH=${STRESS_PGBENCH:-$PG_BIN/pgbench}
SCRIPTS=$RESILIENCE_DIR/lib/stress
START=$(date +%s)

need_program "$PGBENCH" postgresql-15
need_program "$PG_BIN/psql" postgresql-client-15
[ "$(psql_v -d postgres -c 'SELECT rolsuper FROM pg_roles WHERE rolname = current_user' 2>&1)" = t ] \
    || fail "cannot connect as a superuser with the PG* environment (PGHOST=${PGHOST:-} PGPORT=${PGPORT:-} PGUSER=${PGUSER:-})"
max_conn=$(psql_v -d postgres -c 'SHOW max_connections')
[ "$max_conn" -gt $((CLIENTS + 5)) ] || fail "max_connections is $max_conn; $CLIENTS clients need more"

DB=resilience_stress_$$
WORK=$(mktemp -d /tmp/resilience_stress.XXXXXX)
on_exit "rm -rf '$WORK'"
[ "$KEEP" = 1 ] || on_exit "psql_q -d postgres -c 'DROP DATABASE IF EXISTS $DB WITH (FORCE)'"

echo "== stress: database $DB, $CARDS cards, $BUDGETS budgets, $CLIENTS clients x $SECONDS_RUN s"
psql_q -d postgres -c "CREATE DATABASE $DB" || fail "cannot create database $DB"
psql_q -d "$DB" -v cards="$CARDS" -v budgets="$BUDGETS" -v seconds="$SECONDS_RUN" \
    -f "$RESILIENCE_DIR/lib/stress_setup.sql" >"$WORK/setup.log" 2>&1 \
    || { tail -20 "$WORK/setup.log"; fail "setting up the ledger failed (is the extension installed? make install)"; }
read -r first_card ncards first_budget nbudgets < <(psql_v -F ' ' -d "$DB" -c 'SELECT first_card, cards, first_budget, budgets FROM public.stress_accounts')
deadlocks_before=$(psql_v -d "$DB" -c 'SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()')

echo "== stress: pgbench -n -c $CLIENTS -j $JOBS -T $SECONDS_RUN (READ COMMITTED)"
"$PGBENCH" -n -c "$CLIENTS" -j "$JOBS" -T "$SECONDS_RUN" \
    -D first_card="$first_card" -D cards="$ncards" -D first_budget="$first_budget" -D budgets="$nbudgets" \
    -f "$SCRIPTS/pair.pgbench@25" -f "$SCRIPTS/hot.pgbench@25" -f "$SCRIPTS/budget.pgbench@12" \
    -f "$SCRIPTS/idem.pgbench@10" -f "$SCRIPTS/refund.pgbench@8" -f "$SCRIPTS/reverse.pgbench@6" \
    -f "$SCRIPTS/freeze.pgbench@5" -f "$SCRIPTS/lookup.pgbench@5" -f "$SCRIPTS/limit.pgbench@2" \
    -f "$SCRIPTS/sweep.pgbench@2" -f "$SCRIPTS/fold.pgbench@2" \
    "$DB" >"$WORK/pgbench.out" 2>"$WORK/pgbench.err"
pgbench_rc=$?
grep -E '^(number of transactions actually processed|number of failed transactions|latency average|tps = )' "$WORK/pgbench.out" \
    | sed 's/^/   /'
aborted=$(grep -cE 'aborted|ERROR' "$WORK/pgbench.err" || true)
sleep 1   # the clients' statistics reach pg_stat_database when their backends exit
deadlocks_after=$(psql_v -d "$DB" -c 'SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()')

FAILURES=()
if [ "$pgbench_rc" -ne 0 ] || [ "$aborted" -gt 0 ]; then
    echo "   pgbench exit status $pgbench_rc; its errors:"
    grep -E 'aborted|ERROR|DETAIL|CONTEXT' "$WORK/pgbench.err" | sort | uniq -c | sort -rn | head -15 | sed 's/^/   /'
    FAILURES+=("pgbench clients aborted on an error that is not a documented refusal (exit $pgbench_rc)")
fi

echo "== stress: operations by kind (done / refused)"
psql_q -d "$DB" -P footer=off <<'SQL'
SELECT op, count(*) FILTER (WHERE done) AS done, count(*) FILTER (WHERE NOT done) AS refused
  FROM (SELECT op, true AS done FROM public.stress_done UNION ALL SELECT op, false FROM public.stress_refusal) x
 GROUP BY op ORDER BY op;
SQL
echo "== stress: refusals by SQLSTATE"
psql_q -d "$DB" -P footer=off <<'SQL'
SELECT r.sqlstate, coalesce(c.name, CASE r.sqlstate WHEN '40P01' THEN 'DEADLOCK (forbidden)' WHEN '40001' THEN 'SERIALIZATION FAILURE (forbidden)' END) AS name,
       count(*) AS refusals, string_agg(DISTINCT r.op, ', ') AS operations
  FROM public.stress_refusal r LEFT JOIN accounts.accounts_error_codes() c ON c.sqlstate = r.sqlstate
 GROUP BY 1, 2 ORDER BY 3 DESC;
SQL
echo "== stress: transfers made during the run"
psql_q -d "$DB" -P footer=off <<'SQL'
SELECT count(*) AS transfers,
       count(*) FILTER (WHERE kind = 'transfer') AS ordinary, count(*) FILTER (WHERE kind = 'refund') AS refunds,
       count(*) FILTER (WHERE kind = 'reversal') AS reversals,
       count(*) FILTER (WHERE destination_id = (SELECT redemptions FROM public.stress_ids)) AS into_redemptions,
       count(*) FILTER (WHERE description LIKE 'stress:budget%') AS budget_moves,
       count(*) FILTER (WHERE description = 'stress:sweep') AS lapsed
  FROM accounts.transfer WHERE id > (SELECT last_transfer_before FROM public.stress_accounts);
SQL

echo "== stress: invariants"
psql_v -d "$DB" -F '|' >"$WORK/violations" <<'SQL'
SELECT 'accounts_verify() rows', count(*) FROM accounts.accounts_verify()
UNION ALL
SELECT 'postings not summing to zero', count(*) FROM (SELECT sum(amount) AS s FROM accounts.posting) x WHERE s <> 0
UNION ALL
SELECT 'exact balance (column + pending credits) <> sum of postings', count(*) FROM accounts.account_balance a
  LEFT JOIN (SELECT account_id, sum(amount) AS s FROM accounts.posting GROUP BY account_id) p ON p.account_id = a.account_id
 WHERE a.balance <> coalesce(p.s, 0)
UNION ALL
SELECT 'balance below -credit_limit', count(*) FROM accounts.account a JOIN accounts.account_balance b ON b.account_id = a.id
 WHERE a.credit_limit IS NOT NULL AND (b.balance < -a.credit_limit OR a.balance < -a.credit_limit)
UNION ALL
SELECT 'transfers without exactly two legs', count(*) FROM (SELECT t.id FROM accounts.transfer t
  LEFT JOIN accounts.posting p ON p.transfer_id = t.id GROUP BY t.id
 HAVING count(p.id) <> 2 OR sum(p.amount) <> 0 OR min(p.amount) <> -t.amount OR max(p.amount) <> t.amount) x
UNION ALL
SELECT 'transfers reversed more than once', count(*) FROM (SELECT parent_id FROM accounts.transfer WHERE kind = 'reversal'
 GROUP BY parent_id HAVING count(*) > 1) x
UNION ALL
SELECT 'transfers returned beyond their amount', count(*) FROM accounts.transfer t
  JOIN (SELECT parent_id, sum(amount) AS s FROM accounts.transfer WHERE parent_id IS NOT NULL GROUP BY parent_id) c ON c.parent_id = t.id
 WHERE c.s > t.amount
UNION ALL
SELECT 'Closed accounts holding money', count(*) FROM accounts.account a JOIN accounts.account_balance b ON b.account_id = a.id
 WHERE a.status = 'Closed' AND b.balance > 0
UNION ALL
SELECT 'shared idempotency keys with more than one transfer', count(*) FROM (SELECT merchant_reference FROM accounts.transfer
 WHERE merchant_reference LIKE 'stress-shared-%' GROUP BY merchant_reference HAVING count(*) > 1) x
UNION ALL
SELECT 'idempotency keys not recording their transfers', count(*) FROM accounts.idempotent_request k
 WHERE k.transfer_ids IS NULL
    OR cardinality(k.transfer_ids) <> (SELECT count(*) FROM accounts.transfer t WHERE t.id = ANY (k.transfer_ids))
    OR (k.key LIKE 'stress-%' AND EXISTS (SELECT 1 FROM accounts.transfer t WHERE t.id = ANY (k.transfer_ids)
                                           AND t.merchant_reference IS DISTINCT FROM k.key))
UNION ALL
SELECT 'retries answered differently (seen by clients)', count(*) FROM public.stress_violation
UNION ALL
SELECT 'deadlocks (40P01) caught', count(*) FROM public.stress_refusal WHERE sqlstate = '40P01'
UNION ALL
SELECT 'serialization failures (40001) caught', count(*) FROM public.stress_refusal WHERE sqlstate = '40001';
SQL
[ -s "$WORK/violations" ] || fail "the invariant queries failed"
echo "deadlocks in pg_stat_database|$((deadlocks_after - deadlocks_before))" >>"$WORK/violations"
total_violations=0
while IFS='|' read -r what n; do
    printf '   %-55s %s\n' "$what" "$n"
    if [ "$n" != 0 ]; then
        total_violations=$((total_violations + n))
        FAILURES+=("$what: $n")
    fi
done <"$WORK/violations"
if [ "$(psql_v -d "$DB" -c 'SELECT count(*) FROM public.stress_violation')" != 0 ]; then
    psql_q -d "$DB" -c 'SELECT * FROM public.stress_violation LIMIT 10'
fi
if [ "$(psql_v -d "$DB" -c 'SELECT count(*) FROM accounts.accounts_verify()')" != 0 ]; then
    psql_q -d "$DB" -c 'SELECT * FROM accounts.accounts_verify() LIMIT 20'
fi

made=$(psql_v -d "$DB" -c 'SELECT count(*) FROM accounts.transfer WHERE id > (SELECT last_transfer_before FROM public.stress_accounts)')
ops=$(psql_v -d "$DB" -c 'SELECT (SELECT count(*) FROM public.stress_done) + (SELECT count(*) FROM public.stress_refusal)')
refusals=$(psql_v -d "$DB" -c "SELECT coalesce(string_agg(sqlstate || ' x' || n, ', ' ORDER BY n DESC), 'none') FROM (SELECT sqlstate, count(*) AS n FROM public.stress_refusal GROUP BY 1) x")
[ "$made" -gt 0 ] || FAILURES+=("no transfer was made")
echo "== stress: $CLIENTS clients x $SECONDS_RUN s: $ops operations, $made transfers made, refusals: $refusals; $total_violations violations; $(elapsed_since "$START") s in all"
[ "$KEEP" = 1 ] && echo "   kept: database $DB"
[ ${#FAILURES[@]} -eq 0 ] || fail "$(IFS=';'; echo "${FAILURES[*]}")"
pass
