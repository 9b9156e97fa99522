#!/usr/bin/env bash
# Backup and restore of a busy ledger, exactly as README.md ("Install -> Backup and restore")
# tells an operator to do it:
#
#   pg_dump -Fc -d shop -f shop.dump
#   createdb shop_restored
#   PGOPTIONS='-c session_replication_role=replica' pg_restore -d shop_restored shop.dump
#
# Needs PG* environment variables pointing at a running PostgreSQL 15 where the caller is a
# superuser (it creates and drops its own databases and one role) and the extension is
# installed. Steps:
#   1. a busy ledger made through the real functions only (test/resilience/lib/busy_ledger.sql:
#      cards, budgets, transfers, redemptions, refunds, reversals, freezes, closes, code
#      look-ups, expiry sweeps, idempotency keys), plus the README's application role grants;
#   2. pg_dump -Fc, then pg_restore into a fresh database with session_replication_role=replica;
#   3. checks on the restored copy: every part of the ledger identical (balances per account,
#      transfer references, transfers and postings, refund totals, chart of accounts, system
#      roles, idempotency keys, look-up counters, sequences, triggers and their enabled state,
#      privileges, the trial balance) by ordered md5 digests; accounts_verify() clean and
#      postings summing to zero; the guards active again (a direct balance update, a direct
#      transfer insert and a posting delete are refused); every recorded idempotency key replays
#      to the same transfers and writes nothing, a different request with a used key is refused
#      (22L10); accounts_init() finds every role and creates nothing; new transfers and accounts
#      get fresh ids (the sequences came back); the application role can move money and cannot
#      write a table; and, as README says, the same restore *without* the replica setting fails.
#
# Short form (what tools/test.sh runs; about 5-10 s):
#   bash test/resilience/dump_restore.sh
# Full form (about 20,000 operations on top of a 200,000-transfer bulk ledger written by
# bench/generate_ledger.sql; a few minutes):
#   bash test/resilience/dump_restore.sh --full
# Settings (environment; --full only changes the defaults):
#   DUMP_RESTORE_OPS=600              operations through the functions (full: 20000)
#   DUMP_RESTORE_BULK_TRANSFERS=0     bulk transfers from bench/generate_ledger.sql first (full: 200000)
#   DUMP_RESTORE_SEED=0.42            random seed of the operations
#   DUMP_RESTORE_PLAIN_CHECK=1        also check that a restore without the replica setting fails
#   DUMP_RESTORE_KEEP=1               keep the databases and the dump file (printed at the end)
#   PG_BIN=/usr/lib/postgresql/15/bin the client programs used (pg_dump, pg_restore, psql)
# Last line: "RESULT: dump_restore passed" or "RESULT: dump_restore FAILED: <why>".
set -uo pipefail
RESULT_NAME=dump_restore
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

FULL=0
for arg in "$@"; do
    case $arg in
        --full) FULL=1 ;;
        -h|--help) sed -n '2,/^set -uo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; RESULT_PRINTED=1; exit 0 ;;
        *) fail "unknown argument $arg (try --help)" ;;
    esac
done
if [ "$FULL" -eq 1 ]; then
    OPS=${DUMP_RESTORE_OPS:-20000}
    BULK=${DUMP_RESTORE_BULK_TRANSFERS:-200000}
else
    OPS=${DUMP_RESTORE_OPS:-600}
    BULK=${DUMP_RESTORE_BULK_TRANSFERS:-0}
fi
SEED=${DUMP_RESTORE_SEED:-0.42}
PLAIN_CHECK=${DUMP_RESTORE_PLAIN_CHECK:-1}
KEEP=${DUMP_RESTORE_KEEP:-0}
REPO_ROOT=$(cd "$RESILIENCE_DIR/../.." && pwd)
START=$(date +%s)

need_program "$PG_BIN/pg_dump" postgresql-client-15
need_program "$PG_BIN/pg_restore" postgresql-client-15
need_program "$PG_BIN/psql" postgresql-client-15
[ "$(psql_v -d postgres -c 'SELECT rolsuper FROM pg_roles WHERE rolname = current_user' 2>&1)" = t ] \
    || fail "cannot connect as a superuser with the PG* environment (PGHOST=${PGHOST:-} PGPORT=${PGPORT:-} PGUSER=${PGUSER:-})"

SRC=resilience_dump_src_$$
DST=resilience_dump_dst_$$
PLAIN=resilience_dump_plain_$$
APP=resilience_app_$$
WORK=$(mktemp -d /tmp/resilience_dump.XXXXXX)
DUMP=$WORK/ledger.dump
if [ "$KEEP" != 1 ]; then
    on_exit "psql_q -d postgres -c 'DROP ROLE IF EXISTS $APP'"
    on_exit "rm -rf '$WORK'"
    for db in "$SRC" "$DST" "$PLAIN"; do
        on_exit "psql_q -d postgres -c 'DROP DATABASE IF EXISTS $db WITH (FORCE)'"
    done
fi

# Prints the SQLSTATE the statement fails with, or "ok".
sqlstate_of() {
    local db=$1 sql=$2 out
    if out=$("$PG_BIN/psql" -X -q -At -v ON_ERROR_STOP=1 -v VERBOSITY=sqlstate -d "$db" -c "$sql" 2>&1); then
        echo ok
    else
        sed -nE 's/^(psql:[^ ]* )?ERROR:  ([0-9A-Z]{5}).*/\2/p' <<<"$out" | head -1
    fi
}

echo "== dump_restore: busy ledger in $SRC ($OPS operations through the functions, $BULK bulk transfers, seed $SEED)"
psql_q -d postgres -c "CREATE DATABASE $SRC" || fail "cannot create database $SRC"
if [ "$BULK" -gt 0 ]; then
    psql_q -d "$SRC" -c 'CREATE EXTENSION oscar_accounts' || fail "CREATE EXTENSION failed (stale install? make install)"
    psql_q -d "$SRC" -v transfers="$BULK" -v cards=$((BULK / 25 + 100)) -f "$REPO_ROOT/bench/generate_ledger.sql" \
        >"$WORK/bulk.log" 2>&1 || { cat "$WORK/bulk.log"; fail "bench/generate_ledger.sql failed"; }
fi
psql_q -d "$SRC" -v ops="$OPS" -v seed="$SEED" -f "$RESILIENCE_DIR/lib/busy_ledger.sql" >"$WORK/ledger.log" 2>&1 \
    || { tail -20 "$WORK/ledger.log"; fail "building the busy ledger failed (see above)"; }

# The README's application role, so that the restore has grants on extension objects to keep.
psql_q -d "$SRC" >/dev/null <<SQL || fail "granting the README's role recipe failed"
CREATE ROLE $APP NOLOGIN;
GRANT USAGE ON SCHEMA accounts TO $APP;
GRANT SELECT ON ALL TABLES IN SCHEMA accounts TO $APP;
GRANT EXECUTE ON FUNCTION
    accounts.accounts_transfer(bigint, bigint, numeric, bigint, bigint, text, text, text, text),
    accounts.accounts_reverse(bigint, bigint, text, text, text, text),
    accounts.accounts_refund(bigint, numeric, bigint, text, text, text, text),
    accounts.accounts_redeem(text, bigint[], numeric[], bigint, text, text),
    accounts.accounts_freeze(bigint), accounts.accounts_thaw(bigint),
    accounts.accounts_lookup_code(text, inet), accounts.accounts_verify()
  TO $APP;
SQL

echo "== dump_restore: what the ledger holds"
psql_q -d "$SRC" -P footer=off <<'SQL'
SELECT (SELECT count(*) FROM accounts.account) AS accounts,
       (SELECT count(*) FROM accounts.transfer) AS transfers,
       (SELECT count(*) FILTER (WHERE kind = 'refund') FROM accounts.transfer) AS refunds,
       (SELECT count(*) FILTER (WHERE kind = 'reversal') FROM accounts.transfer) AS reversals,
       (SELECT count(*) FROM accounts.posting) AS postings,
       (SELECT count(*) FROM accounts.idempotent_request) AS idempotency_keys,
       (SELECT count(*) FROM accounts.account WHERE status = 'Frozen') AS frozen,
       (SELECT count(*) FROM accounts.account WHERE status = 'Closed') AS closed,
       (SELECT count(*) FROM accounts.ip_address_record) AS lookup_addresses;
SELECT op, n AS done, coalesce((SELECT sum(r.n) FROM public.resilience_refusal r WHERE r.op = d.op), 0) AS refused,
       coalesce((SELECT string_agg(r.sqlstate || ' x' || r.n, ', ' ORDER BY r.sqlstate) FROM public.resilience_refusal r
                  WHERE r.op = d.op), '') AS refusals
  FROM public.resilience_done d ORDER BY op;
SQL
[ "$(psql_v -d "$SRC" -c 'SELECT count(*) FROM accounts.accounts_verify()')" = 0 ] \
    || fail "the original ledger does not verify before the dump"
if [ "$(psql_v -d "$SRC" -c "SELECT count(*) >= 100 AND count(DISTINCT kind) = 3 FROM accounts.transfer")" != t ]; then
    fail "the busy ledger is too quiet to test anything (fewer than 100 transfers or a kind missing)"
fi
psql_v -d "$SRC" -f "$RESILIENCE_DIR/lib/ledger_digest.sql" >"$WORK/digest.src" || fail "digest of $SRC failed"

echo "== dump_restore: pg_dump -Fc"
t0=$(date +%s)
"$PG_BIN/pg_dump" -Fc -d "$SRC" -f "$DUMP" 2>"$WORK/pg_dump.err" || { cat "$WORK/pg_dump.err"; fail "pg_dump failed"; }
# The README says the two circular foreign-key warnings (account_type, transfer) are expected.
unexpected=$(grep -vE 'circular foreign-key constraints|You might not be able to restore the dump|Consider using a full dump|pg_dump: detail:|pg_dump: hint:' \
             "$WORK/pg_dump.err" || true)
echo "   dump: $(du -h "$DUMP" | cut -f1), $(grep -c 'circular foreign-key' "$WORK/pg_dump.err") circular foreign-key warnings (expected), $(elapsed_since "$t0") s"
[ -z "$unexpected" ] || { echo "$unexpected"; fail "pg_dump printed unexpected warnings"; }

echo "== dump_restore: createdb + PGOPTIONS='-c session_replication_role=replica' pg_restore"
t0=$(date +%s)
psql_q -d postgres -c "CREATE DATABASE $DST" || fail "cannot create database $DST"
if ! PGOPTIONS='-c session_replication_role=replica' "$PG_BIN/pg_restore" -d "$DST" "$DUMP" 2>"$WORK/pg_restore.err"; then
    head -20 "$WORK/pg_restore.err"
    fail "pg_restore with session_replication_role=replica reported errors"
fi
[ -s "$WORK/pg_restore.err" ] && { echo "   pg_restore said:"; sed 's/^/   /' "$WORK/pg_restore.err"; }
echo "   restored in $(elapsed_since "$t0") s"

FAILURES=()
check() {  # check <description> <condition result: t or anything else>
    if [ "$2" = t ]; then echo "   ok   $1"; else echo "   FAIL $1 (got: $2)"; FAILURES+=("$1"); fi
}

echo "== dump_restore: the restored ledger against the original"
psql_v -d "$DST" -f "$RESILIENCE_DIR/lib/ledger_digest.sql" >"$WORK/digest.dst" || fail "digest of $DST failed"
if diff "$WORK/digest.src" "$WORK/digest.dst" >"$WORK/digest.diff"; then
    check "identical digests of $(wc -l <"$WORK/digest.src") parts (balances, references, transfers, postings, keys, sequences, triggers, privileges, ...)" t
else
    sed 's/^/   /' "$WORK/digest.diff"
    check "identical digests of every part (< original, > restored)" f
fi
check "accounts_verify() clean on the restored ledger" \
    "$(psql_v -d "$DST" -c 'SELECT count(*) = 0 FROM accounts.accounts_verify()')"
check "postings sum to zero and match the original's count" \
    "$(psql_v -d "$DST" -c "SELECT sum(amount) = 0 AND count(*) = $(psql_v -d "$SRC" -c 'SELECT count(*) FROM accounts.posting') FROM accounts.posting")"
check "every transfer has exactly two postings" \
    "$(psql_v -d "$DST" -c 'SELECT count(*) = 0 FROM (SELECT t.id FROM accounts.transfer t LEFT JOIN accounts.posting p ON p.transfer_id = t.id GROUP BY t.id HAVING count(p.id) <> 2) x')"
check "the system roles are all there (redemptions, lapsed, bank, 2 unpaid sources, 7 type roles)" \
    "$(psql_v -d "$DST" -c "SELECT (SELECT string_agg(role, ',' ORDER BY role) FROM accounts.system_account) = 'bank,lapsed,redemptions,unpaid_source,unpaid_source' AND (SELECT count(DISTINCT role) FROM accounts.system_account_type) = 7")"

echo "== dump_restore: the guards are active again after the restore"
check "direct balance update refused (55L08)" \
    "$( [ "$(sqlstate_of "$DST" 'UPDATE accounts.account SET balance = balance + 1 WHERE id = (SELECT min(id) FROM accounts.account)')" = 55L08 ] && echo t || echo f)"
check "direct transfer insert refused (55L08)" \
    "$( [ "$(sqlstate_of "$DST" "INSERT INTO accounts.transfer (reference, source_id, destination_id, amount) SELECT repeat('A', 32), 3, 1, 1.00")" = 55L08 ] && echo t || echo f)"
check "posting delete refused (55L07)" \
    "$( [ "$(sqlstate_of "$DST" 'DELETE FROM accounts.posting WHERE id = (SELECT min(id) FROM accounts.posting)')" = 55L07 ] && echo t || echo f)"

echo "== dump_restore: idempotency keys replay on the restored ledger"
replay=$(psql_v -d "$DST" <<'SQL'
CREATE TEMP TABLE before AS SELECT count(*) AS transfers, (SELECT count(*) FROM accounts.posting) AS postings FROM accounts.transfer;
DO $$
DECLARE
    k record;
    v_ids bigint[];
    v_bad integer := 0;
BEGIN
    FOR k IN SELECT * FROM public.resilience_key ORDER BY key LOOP
        EXECUTE k.call INTO v_ids;
        IF v_ids IS DISTINCT FROM k.transfer_ids THEN
            v_bad := v_bad + 1;
            RAISE WARNING 'key % replayed as % instead of %', k.key, v_ids, k.transfer_ids;
        END IF;
    END LOOP;
    PERFORM set_config('resilience.bad', v_bad::text, false);
END
$$;
SELECT format('%s %s %s', (SELECT count(*) FROM public.resilience_key), current_setting('resilience.bad'),
              (SELECT count(*) FROM accounts.transfer) = b.transfers AND (SELECT count(*) FROM accounts.posting) = b.postings)
  FROM before b;
SQL
) || fail "replaying the idempotency keys failed: $replay"
read -r keys bad unchanged <<<"$replay"
check "$keys recorded idempotency keys replay to the same transfers ($bad differ)" \
    "$( [ "$keys" -gt 0 ] && [ "$bad" = 0 ] && echo t || echo f)"
check "replaying them wrote nothing" "$unchanged"
used_key=$(psql_v -d "$DST" -c "SELECT key FROM accounts.idempotent_request WHERE operation = 'transfer' ORDER BY key LIMIT 1")
check "a different request with a used key is refused (22L10)" \
    "$( [ "$(sqlstate_of "$DST" "SELECT id FROM accounts.accounts_transfer(3, (SELECT min(id) FROM accounts.account WHERE code IS NOT NULL AND status = 'Open'), 0.01, idempotency_key => '$used_key')")" = 22L10 ] && echo t || echo f)"

echo "== dump_restore: accounts_init(), sequences and roles on the restored ledger"
check "accounts_init() again: same roles, no new account or type" "$(psql_v -d "$DST" <<'SQL'
CREATE TEMP TABLE before AS SELECT (SELECT count(*) FROM accounts.account) AS accounts, (SELECT count(*) FROM accounts.account_type) AS types,
       (SELECT string_agg(concat_ws(':', role, account_id), ',' ORDER BY role, account_id) FROM accounts.system_account) AS roles;
\o /dev/null
SELECT count(*) > 0 FROM accounts.accounts_init(unpaid_source_names => ARRAY['Unpaid source', 'Goodwill']);
\o
SELECT (SELECT count(*) FROM accounts.account) = b.accounts AND (SELECT count(*) FROM accounts.account_type) = b.types
   AND (SELECT string_agg(concat_ws(':', role, account_id), ',' ORDER BY role, account_id) FROM accounts.system_account) = b.roles
  FROM before b;
SQL
)"
check "new transfer, posting and account ids continue after the restored maximum" "$(psql_v -d "$DST" <<'SQL'
CREATE TEMP TABLE before AS SELECT (SELECT max(id) FROM accounts.transfer) AS t, (SELECT max(id) FROM accounts.posting) AS p,
                                   (SELECT max(id) FROM accounts.account) AS a;
CREATE TEMP TABLE made AS SELECT * FROM accounts.accounts_create_account(generate_code => true, initial_amount => 10.00,
    source => (SELECT account_id FROM accounts.system_account WHERE role = 'bank'), description => 'after restore');
CREATE TEMP TABLE moved AS SELECT * FROM accounts.accounts_transfer((SELECT id FROM made), (SELECT account_id FROM accounts.system_account WHERE role = 'redemptions'),
    4.00, idempotency_key => 'after-restore');
SELECT (SELECT id FROM made) > b.a AND (SELECT id FROM moved) > b.t
   AND (SELECT min(id) FROM accounts.posting WHERE transfer_id >= (SELECT id FROM moved) - 1) > b.p
   AND (SELECT ARRAY[id] FROM accounts.accounts_transfer((SELECT id FROM made), (SELECT account_id FROM accounts.system_account WHERE role = 'redemptions'),
        4.00, idempotency_key => 'after-restore')) = ARRAY[(SELECT id FROM moved)]
   AND (SELECT balance FROM accounts.account WHERE id = (SELECT id FROM made)) = 6.00
  FROM before b;
SQL
)"
check "the application role's grants came back: it moves money and cannot write a table" "$(psql_v -d "$DST" <<SQL
SET ROLE $APP;
\\o /dev/null
SELECT count(*) = 1 FROM accounts.accounts_transfer((SELECT account_id FROM accounts.system_account WHERE role = 'bank'),
    (SELECT min(id) FROM accounts.account WHERE code IS NOT NULL AND status = 'Open'), 1.00, description => 'by the app role');
RESET ROLE;
\\o
SELECT NOT has_table_privilege('$APP', 'accounts.account', 'UPDATE') AND NOT has_table_privilege('$APP', 'accounts.transfer', 'INSERT')
   AND has_function_privilege('$APP', 'accounts.accounts_verify()', 'EXECUTE')
   AND NOT has_function_privilege('$APP', 'accounts.accounts_init(text, text, text, text[], text[])', 'EXECUTE');
SQL
)"
check "accounts_verify() still clean after the new writes" \
    "$(psql_v -d "$DST" -c 'SELECT count(*) = 0 FROM accounts.accounts_verify()')"

if [ "$PLAIN_CHECK" = 1 ]; then
    echo "== dump_restore: the same restore without session_replication_role=replica must fail (README)"
    psql_q -d postgres -c "CREATE DATABASE $PLAIN" || fail "cannot create database $PLAIN"
    if "$PG_BIN/pg_restore" -d "$PLAIN" "$DUMP" >"$WORK/plain.err" 2>&1; then
        check "pg_restore without the replica setting reports errors" f
    else
        echo "   (first error: $(grep -m1 'ERROR' "$WORK/plain.err" | cut -c1-150))"
        check "pg_restore without the replica setting reports errors" t
    fi
fi

echo "== dump_restore: $OPS operations, $(psql_v -d "$SRC" -c 'SELECT count(*) FROM accounts.transfer') transfers, $(elapsed_since "$START") s"
if [ "$KEEP" = 1 ]; then
    echo "   kept: databases $SRC $DST${PLAIN_CHECK:+ $PLAIN}, dump $DUMP, role $APP"
fi
[ ${#FAILURES[@]} -eq 0 ] || fail "$(IFS=';'; echo "${FAILURES[*]}")"
pass
