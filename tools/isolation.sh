#!/usr/bin/env bash
# Runs the isolation specs (test/isolation/specs/*.spec against test/isolation/expected/*.out)
# with PostgreSQL's pg_isolation_regress and isolationtester: the deterministic races of
# double spend, double reversal, refund cap, freeze vs transfer, idempotent retries and the
# hot-account races, each at READ COMMITTED, REPEATABLE READ and SERIALIZABLE.
#
#   bash tools/isolation.sh                 # every spec
#   bash tools/isolation.sh double_spend    # some specs, by name
#
# Needs a running PostgreSQL 15 server that the PG* variables (PGHOST, PGPORT, PGUSER) point
# at, a superuser, and the extension installed (make install): each spec runs CREATE
# EXTENSION IF NOT EXISTS itself. pg_isolation_regress drops and creates its own database,
# $ISOLATION_DB (default oscar_accounts_isolation); no other database is touched.
# Results and diffs go to $ISOLATION_OUTPUT (default test-output/isolation). Prints
# pg_regress's summary ("All N tests passed." or "M of N tests failed.") and exits with its
# status: 0 when every spec matched its expected output.
set -euo pipefail
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
ISOLATION_DIR=$REPO_ROOT/test/isolation
OUTPUT=${ISOLATION_OUTPUT:-$REPO_ROOT/test-output/isolation}
DB=${ISOLATION_DB:-oscar_accounts_isolation}

# Debian ships both programs in postgresql-client-15 (a dependency of postgresql-15), under
# PGXS's directory rather than on the PATH.
REGRESS=$("$PG_CONFIG" --pkglibdir)/pgxs/src/test/isolation/pg_isolation_regress
if [ ! -x "$REGRESS" ] || [ ! -x "$(dirname "$REGRESS")/isolationtester" ]; then
    echo "!! isolation: $REGRESS or isolationtester is missing (Debian: postgresql-client-15)" >&2
    exit 2
fi

rm -rf "$OUTPUT"
mkdir -p "$OUTPUT"

if [ $# -gt 0 ]; then
    SPECS=("$@")
else
    SPECS=()
    for spec in "$ISOLATION_DIR"/specs/*.spec; do
        SPECS+=("$(basename "$spec" .spec)")
    done
fi
for name in "${SPECS[@]}"; do
    if [ ! -f "$ISOLATION_DIR/specs/$name.spec" ] || [ ! -f "$ISOLATION_DIR/expected/$name.out" ]; then
        echo "!! isolation: no test/isolation/specs/$name.spec with test/isolation/expected/$name.out" >&2
        exit 2
    fi
done

if ! psql -X -q -At -d postgres -c 'SELECT 1' >/dev/null; then
    echo "!! isolation: cannot connect (PGHOST=${PGHOST:-} PGPORT=${PGPORT:-} PGUSER=${PGUSER:-})" >&2
    exit 2
fi

status=0
"$REGRESS" --inputdir="$ISOLATION_DIR" --outputdir="$OUTPUT" --dbname="$DB" \
    ${PGHOST:+--host="$PGHOST"} ${PGPORT:+--port="$PGPORT"} ${PGUSER:+--user="$PGUSER"} \
    "${SPECS[@]}" || status=$?
if [ -s "$OUTPUT/regression.diffs" ]; then
    echo "== isolation: first lines of $OUTPUT/regression.diffs"
    head -80 "$OUTPUT/regression.diffs"
fi
exit "$status"
