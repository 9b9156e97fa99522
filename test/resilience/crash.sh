#!/usr/bin/env bash
# Crash recovery: SIGKILL of the postmaster while clients are moving money.
#
# Starts its OWN throwaway PostgreSQL 15 cluster in a new folder under /tmp (as the postgres
# user when run as root, like tools/lib.sh; the caller's PG* variables and cluster are never
# used, since this script kills its server), on its own port (CRASH_PORT, default 56432, the
# next free one if taken). Then, CRASH_LOOPS times:
#   1. CRASH_CLIENTS psql clients send requests in a loop, each in BEGIN ... COMMIT, and log a
#      request's transfer ids only after its COMMIT returned (acknowledged = committed):
#        T  accounts_transfer between two random cards, either direction, with an idempotency key
#        R  accounts_redeem of one order from two cards (two transfers, all or none), with a key
#        P  a transfer and a partial accounts_refund of it in one statement (two calls, one
#           transaction), both with keys
#      every request's transfers carry the request's key as merchant_reference;
#   2. after CRASH_RUN_SECONDS (plus up to a second), kill -9 of the postmaster (the pid in
#      $CLUSTER_DIR/data/postmaster.pid); with CRASH_MODE=all the postmaster and every server
#      process at once; CRASH_MODE=mixed alternates;
#   3. waits for the orphaned server processes to go, restarts the server (crash recovery
#      replays the WAL), and checks:
#        - every acknowledged transfer is there, with the request's key (all loops so far);
#        - no request is half there: T has 1 transfer, R and P have 2, or none at all;
#        - no transfer has one leg, postings sum to 0, accounts_verify() is clean (which also
#          covers balance = sum of postings and refund totals);
#        - every idempotency key that survived has its transfers recorded and they exist;
#        - the request each client had in flight at the kill, sent again with the same keys,
#          makes its transfers exactly once (the same ids if they had committed before the kill);
#        - pg_amcheck (heap and every B-tree index, heapallindexed) finds no corruption;
#        - new transfers get fresh ids (the next loop's clients would fail otherwise).
#
# Durability: the cluster runs with fsync=on and synchronous_commit=on by default (CRASH_FSYNC=on),
# so the test would also mean something for an OS crash. A SIGKILL of PostgreSQL is not an OS
# crash: the kernel keeps every write the server made, so even with fsync=off (the default of
# tools/lib.sh's throwaway cluster, and CRASH_FSYNC=off here) no committed transaction may be lost.
#
# Short form (what tools/test.sh runs; about 15 s):
#   bash test/resilience/crash.sh
# Full form (10 crashes, longer runs between them; about 1 minute):
#   bash test/resilience/crash.sh --full         # = CRASH_LOOPS=10 CRASH_RUN_SECONDS=3
# Settings (environment; --full only changes the defaults):
#   CRASH_LOOPS=2           crashes (full: 10)
#   CRASH_RUN_SECONDS=2     seconds of traffic before each kill (full: 3)
#   CRASH_CLIENTS=6         concurrent psql clients
#   CRASH_MODE=postmaster   postmaster | all | mixed (what gets SIGKILL)
#   CRASH_FSYNC=on          fsync of the throwaway cluster
#   CRASH_PORT=56432        first port tried
#   CRASH_KEEP=1            keep the cluster folder (logs, data) and print where it is
# Needs: postgresql-15 (server, amcheck; pulls in postgresql-client-15: psql, pg_amcheck), run as
# root (the server then runs as postgres) or as a user with sudo.
# Last line: "RESULT: crash passed" or "RESULT: crash FAILED: <why>".
set -uo pipefail
RESULT_NAME=crash
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# as_server_user and server_user, as the rest of the project starts its servers. Only the
# functions are used: start_cluster would run with fsync=off and its own EXIT trap.
source "$RESILIENCE_DIR/../../tools/lib.sh"

FULL=0
for arg in "$@"; do
    case $arg in
        --full) FULL=1 ;;
        -h|--help) sed -n '2,/^set -uo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; RESULT_PRINTED=1; exit 0 ;;
        *) fail "unknown argument $arg (try --help)" ;;
    esac
done
if [ "$FULL" -eq 1 ]; then
    LOOPS=${CRASH_LOOPS:-10}
    RUN_SECONDS=${CRASH_RUN_SECONDS:-3}
else
    LOOPS=${CRASH_LOOPS:-2}
    RUN_SECONDS=${CRASH_RUN_SECONDS:-2}
fi
CLIENTS=${CRASH_CLIENTS:-6}
MODE=${CRASH_MODE:-postmaster}
FSYNC=${CRASH_FSYNC:-on}
KEEP=${CRASH_KEEP:-0}
case $MODE in postmaster|all|mixed) ;; *) fail "CRASH_MODE must be postmaster, all or mixed" ;; esac
START=$(date +%s)

need_program "$PG_BIN/initdb" postgresql-15
need_program "$PG_BIN/pg_ctl" postgresql-15
need_program "$PG_BIN/pg_amcheck" postgresql-client-15

# --- the throwaway cluster (same approach as tools/lib.sh start_cluster, fsync on) ---
CLUSTER_DIR=$(mktemp -d /tmp/oscar_accounts_crash.XXXXXX)
chmod 755 "$CLUSTER_DIR"
if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$CLUSTER_DIR"; fi
DATA=$CLUSTER_DIR/data
LOGS=$CLUSTER_DIR/logs
mkdir -p "$LOGS"
CLIENT_PIDS=()
kill_clients() {
    local pid
    for pid in "${CLIENT_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
}
on_exit "if [ '$KEEP' = 1 ]; then echo '   kept: $CLUSTER_DIR'; else rm -rf '$CLUSTER_DIR'; fi"
on_exit "as_server_user '$PG_BIN/pg_ctl' -D '$DATA' -m immediate -w -s stop"
on_exit kill_clients

port=${CRASH_PORT:-56432}
while ss -ltn 2>/dev/null | grep -q ":$port " || [ -e "/tmp/.s.PGSQL.$port" ]; do port=$((port + 1)); done
SERVER_OPTS="-c listen_addresses='' -c unix_socket_directories='$CLUSTER_DIR' -p $port -c fsync=$FSYNC -c synchronous_commit=on -c full_page_writes=on -c max_connections=50 -c restart_after_crash=off"
# This script's own server only; nothing of the caller's environment may reach it.
unset PGSERVICE PGOPTIONS PGHOSTADDR PGPASSWORD PGSSLMODE
export PGHOST=$CLUSTER_DIR PGPORT=$port PGUSER=postgres PGDATABASE=crash

echo "== crash: own cluster $CLUSTER_DIR (port $port, runs as $(server_user), fsync=$FSYNC), $LOOPS crashes, $CLIENTS clients, mode $MODE"
as_server_user "$PG_BIN/initdb" -D "$DATA" -U postgres -A trust --no-sync -E UTF8 --locale=C.UTF-8 \
    >"$CLUSTER_DIR/initdb.log" 2>&1 || { cat "$CLUSTER_DIR/initdb.log"; fail "initdb failed"; }

start_server() {
    local _
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        if as_server_user "$PG_BIN/pg_ctl" -D "$DATA" -l "$CLUSTER_DIR/server.log" -w -t 120 -s -o "$SERVER_OPTS" start \
               >>"$CLUSTER_DIR/pg_ctl.log" 2>&1; then
            return 0
        fi
        sleep 1   # an old server process may still hold the shared memory
    done
    tail -20 "$CLUSTER_DIR/server.log"
    return 1
}
start_server || fail "the server did not start"

psql_q -d postgres -c 'CREATE DATABASE crash' || fail "cannot create the database"
psql_q <<'SQL' >/dev/null || fail "setting up the ledger failed (is the extension installed? make install)"
CREATE EXTENSION oscar_accounts;
SELECT count(*) FROM accounts.accounts_init();
-- Cards with an unlimited credit limit: every request can succeed, so a missing transfer is
-- never a refusal. Validity windows and statuses are left open.
SELECT count(*) FROM generate_series(1, 24) g,
       LATERAL accounts.accounts_create_account(name => 'Crash card ' || g, credit_limit => NULL, initial_amount => 100.00,
           source => (SELECT account_id FROM accounts.system_account WHERE role = 'bank'));
-- What the clients acknowledged, and what each request was (filled from their logs).
CREATE TABLE public.crash_ack (key text PRIMARY KEY, ids bigint[] NOT NULL);
CREATE TABLE public.crash_request (key text PRIMARY KEY, kind char(1) NOT NULL);
SQL
CARDS=$(psql_v -c "SELECT string_agg(id::text, ' ' ORDER BY id) FROM accounts.account WHERE name LIKE 'Crash card %'")

# Writes one client's endless stream of requests for psql, and each request's key, kind and
# statement to a file (so that the request in flight at the kill can be sent again).
client_stream() {
    local loop=$1 client=$2
    awk -v seed=$((loop * 1000 + client)) -v prefix="L${loop}c${client}n" -v cards="$CARDS" \
        -v reqfile="$LOGS/L$loop-c$client.requests" '
    function money(cents) { return sprintf("%d.%02d", int(cents / 100), cents % 100) }
    BEGIN {
        srand(seed)
        n = split(cards, card, " ")
        for (i = 1; ; i++) {
            a = card[1 + int(rand() * n)]
            do { b = card[1 + int(rand() * n)] } while (b == a)
            cents = 1 + int(rand() * 5000)
            r = rand()
            if (r < 0.6) {
                kind = "T"; key = prefix i kind
                sql = sprintf("SELECT id::text AS t1 FROM accounts.accounts_transfer(%s, %s, %s, merchant_reference => '\''%s'\'', idempotency_key => '\''%s'\'')", a, b, money(cents), key, key)
            } else if (r < 0.8) {
                kind = "R"; key = prefix i kind
                sql = sprintf("SELECT string_agg(id::text, '\'' '\'' ORDER BY id) AS t1 FROM accounts.accounts_redeem('\''%s'\'', ARRAY[%s, %s]::bigint[], ARRAY[%s, %s]::numeric[], idempotency_key => '\''%s'\'')", key, a, b, money(cents), money(1 + int(rand() * 3000)), key)
            } else {
                kind = "P"; key = prefix i kind
                sql = sprintf("SELECT t.id || '\'' '\'' || r.id AS t1 FROM accounts.accounts_transfer(%s, %s, %s, merchant_reference => '\''%s'\'', idempotency_key => '\''%s'\'') t, LATERAL accounts.accounts_refund(t.id, %s, merchant_reference => '\''%s'\'', idempotency_key => '\''%s-r'\'') r", a, b, money(cents), key, key, money(1 + int(rand() * cents)), key, key)
            }
            print key "\t" kind "\t" sql > reqfile
            fflush(reqfile)
            print "\\echo SEND " key
            print "\\unset t1"
            print "BEGIN;"
            print sql " \\gset"
            print "COMMIT;"
            # Acknowledged only when COMMIT itself succeeded and the statement made transfers.
            print "\\if :ERROR"
            print "\\echo FAIL " key
            print "\\elif :{?t1}"
            print "\\echo ACK " key " :t1"
            print "\\else"
            print "\\echo NOACK " key
            print "\\endif"
        }
    }'
}

server_pids() {  # the postmaster and its children (read from /proc: no procps needed)
    local pm=$1 status
    echo "$pm"
    for status in /proc/[0-9]*/status; do
        grep -qE "^PPid:[[:space:]]+$pm\$" "$status" 2>/dev/null && basename "$(dirname "$status")"
    done
    return 0
}

TOTAL_ACKED=0
TOTAL_INFLIGHT=0
TOTAL_INFLIGHT_COMMITTED=0
for ((loop = 1; loop <= LOOPS; loop++)); do
    loop_mode=$MODE
    if [ "$MODE" = mixed ]; then loop_mode=$([ $((loop % 2)) -eq 1 ] && echo postmaster || echo all); fi
    before=$(psql_v -c 'SELECT count(*) FROM accounts.transfer')

    CLIENT_PIDS=()
    for ((c = 1; c <= CLIENTS; c++)); do
        "$PG_BIN/psql" -X -q -d crash < <(client_stream "$loop" "$c") >"$LOGS/L$loop-c$c.log" 2>"$LOGS/L$loop-c$c.err" &
        CLIENT_PIDS+=($!)
    done

    sleep "$RUN_SECONDS.$((RANDOM % 10))"
    for _ in $(seq 1 20); do   # at least some traffic before the kill
        [ "$(psql_v -c "SELECT count(*) > $before FROM accounts.transfer")" = t ] && break
        sleep 0.5
    done
    PM=$(head -1 "$DATA/postmaster.pid")
    PIDS=$(server_pids "$PM")
    if [ "$loop_mode" = all ]; then
        # shellcheck disable=SC2086
        kill -9 $PIDS
    else
        kill -9 "$PM"
    fi

    # The clients notice the lost connection and stop; the orphaned server processes notice
    # the postmaster's death and exit. Both are waited for (and only ours are killed if stuck).
    for pid in "${CLIENT_PIDS[@]}"; do
        for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    for pid in $PIDS; do
        for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
    done

    t0=$(date +%s.%N)
    log_size=$(stat -c %s "$CLUSTER_DIR/server.log")
    start_server || fail "loop $loop: the server did not restart after the kill"
    restart_s=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
    tail -c +$((log_size + 1)) "$CLUSTER_DIR/server.log" | grep -q 'not properly shut down; automatic recovery in progress' \
        || { tail -c +$((log_size + 1)) "$CLUSTER_DIR/server.log" | head -20; fail "loop $loop: the server log shows no crash recovery"; }

    # What the clients acknowledged, and what they had in flight.
    cat "$LOGS"/L"$loop"-c*.log | awk '$1 == "ACK" { key = $2; $1 = ""; $2 = ""; gsub(/^ +/, ""); gsub(/ /, ","); print key "\t{" $0 "}" }' \
        >"$LOGS/L$loop.acked"
    cat "$LOGS"/L"$loop"-c*.requests | cut -f1,2 | sort -u >"$LOGS/L$loop.kinds"
    : >"$LOGS/L$loop.inflight"
    for ((c = 1; c <= CLIENTS; c++)); do
        last=$(awk '$1 == "SEND" { k = $2; open = 1 } $1 ~ /^(ACK|FAIL|NOACK)$/ && $2 == k { open = 0 } END { if (open) print k }' \
               "$LOGS/L$loop-c$c.log")
        [ -n "$last" ] && grep -P "^\Q$last\E\t" "$LOGS/L$loop-c$c.requests" >>"$LOGS/L$loop.inflight"
    done
    acked=$(wc -l <"$LOGS/L$loop.acked")
    nacks=$(cat "$LOGS"/L"$loop"-c*.log | grep -c '^NOACK\|^FAIL' || true)
    inflight=$(wc -l <"$LOGS/L$loop.inflight")
    [ "$acked" -gt 0 ] || fail "loop $loop: no request was acknowledged before the kill (nothing tested; see $LOGS)"
    [ "$nacks" -eq 0 ] || { grep -h '^NOACK\|^FAIL' "$LOGS"/L"$loop"-c*.log | head; fail "loop $loop: requests refused before the kill"; }

    psql_q -c "\\copy public.crash_ack FROM '$LOGS/L$loop.acked'" \
        || fail "loop $loop: loading the acknowledgements failed"
    psql_q -c "\\copy public.crash_request FROM '$LOGS/L$loop.kinds'" || fail "loop $loop: loading the requests failed"

    # The requests in flight at the kill, sent again with the same keys.
    inflight_committed=0
    while IFS=$'\t' read -r key kind sql; do
        had=$(psql_v -c "SELECT coalesce(string_agg(id::text, ' ' ORDER BY id), '') FROM accounts.transfer WHERE merchant_reference = '$key'")
        got=$(psql_v -c "$sql" 2>&1) || fail "loop $loop: resending in-flight request $key failed: $got"
        now=$(psql_v -c "SELECT coalesce(string_agg(id::text, ' ' ORDER BY id), '') FROM accounts.transfer WHERE merchant_reference = '$key'")
        want=$([ "$kind" = T ] && echo 1 || echo 2)
        if [ -n "$had" ]; then
            inflight_committed=$((inflight_committed + 1))
            [ "$had" = "$now" ] || fail "loop $loop: in-flight request $key had committed ($had) but its retry wrote again ($now)"
        fi
        [ "$(wc -w <<<"$now")" -eq "$want" ] || fail "loop $loop: in-flight request $key retried: transfers $now, expected $want"
    done <"$LOGS/L$loop.inflight"

    # Invariants after recovery.
    read -r missing wrong partial onelegs sum verify keys_bad < <(psql_v -F ' ' <<'SQL'
SELECT (SELECT count(*) FROM public.crash_ack a, unnest(a.ids) u (tid)
         WHERE NOT EXISTS (SELECT 1 FROM accounts.transfer t WHERE t.id = u.tid)),
       (SELECT count(*) FROM public.crash_ack a CROSS JOIN unnest(a.ids) u (tid) JOIN accounts.transfer t ON t.id = u.tid
         WHERE t.merchant_reference <> a.key),
       (SELECT count(*) FROM (SELECT r.key FROM public.crash_request r JOIN accounts.transfer t ON t.merchant_reference = r.key
                               GROUP BY r.key, r.kind HAVING count(*) <> CASE r.kind WHEN 'T' THEN 1 ELSE 2 END) x),
       (SELECT count(*) FROM (SELECT t.id FROM accounts.transfer t LEFT JOIN accounts.posting p ON p.transfer_id = t.id
                               GROUP BY t.id HAVING count(p.id) <> 2) x),
       (SELECT coalesce(sum(amount), 0) FROM accounts.posting),
       (SELECT count(*) FROM accounts.accounts_verify()),
       (SELECT count(*) FROM accounts.idempotent_request k
         WHERE k.transfer_ids IS NULL OR EXISTS (SELECT 1 FROM unnest(k.transfer_ids) u (tid)
                                                  WHERE NOT EXISTS (SELECT 1 FROM accounts.transfer t WHERE t.id = u.tid)));
SQL
)
    [ "$missing" = 0 ] || fail "loop $loop: $missing acknowledged transfers are missing after recovery"
    [ "$wrong" = 0 ] || fail "loop $loop: $wrong acknowledged transfer ids belong to another request"
    [ "$partial" = 0 ] || fail "loop $loop: $partial requests are half there (wrong number of transfers)"
    [ "$onelegs" = 0 ] || fail "loop $loop: $onelegs transfers do not have exactly two postings"
    [ "$sum" = 0 ] || [ "$sum" = 0.00 ] || fail "loop $loop: postings sum to $sum"
    [ "$verify" = 0 ] || { psql_q -c 'SELECT * FROM accounts.accounts_verify() LIMIT 20'; fail "loop $loop: accounts_verify() found $verify problems"; }
    [ "$keys_bad" = 0 ] || fail "loop $loop: $keys_bad idempotency keys without their transfers"
    "$PG_BIN/pg_amcheck" -d crash --install-missing --heapallindexed >"$LOGS/L$loop.amcheck" 2>&1 \
        || { head -20 "$LOGS/L$loop.amcheck"; fail "loop $loop: pg_amcheck found corruption"; }

    # A request committed but never acknowledged can only be the one in flight at the kill.
    phantom=$(psql_v -c "SELECT count(DISTINCT t.merchant_reference) FROM accounts.transfer t
                          WHERE t.merchant_reference LIKE 'L${loop}c%'
                            AND NOT EXISTS (SELECT 1 FROM public.crash_ack a WHERE a.key = t.merchant_reference)" )
    [ "$phantom" -le "$inflight" ] || fail "loop $loop: $phantom requests committed without acknowledgement, only $inflight were in flight"
    after=$(psql_v -c 'SELECT count(*) FROM accounts.transfer')
    TOTAL_ACKED=$((TOTAL_ACKED + acked))
    TOTAL_INFLIGHT=$((TOTAL_INFLIGHT + inflight))
    TOTAL_INFLIGHT_COMMITTED=$((TOTAL_INFLIGHT_COMMITTED + inflight_committed))
    printf '   crash %2d (%s): %5d requests acknowledged, %d in flight (%d had committed), %d transfers made, restart %s s: ok\n' \
        "$loop" "$loop_mode" "$acked" "$inflight" "$inflight_committed" $((after - before)) "$restart_s"
done

echo "   total: $TOTAL_ACKED acknowledged requests all present after $LOOPS SIGKILLs; $TOTAL_INFLIGHT in flight, $TOTAL_INFLIGHT_COMMITTED of them had committed; $(psql_v -c 'SELECT count(*) FROM accounts.transfer') transfers, accounts_verify() clean; $(elapsed_since "$START") s"
pass
