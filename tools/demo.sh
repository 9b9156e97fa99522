#!/usr/bin/env bash
# The demo: a realistic year of a gift-card programme, replayed through the ledger.
#
#   bash tools/demo.sh        (as root, or as a user with sudo)
#
# Installs what is missing, builds and installs the extension, starts a throwaway cluster,
# creates the extension, replays demo/gift_card_year.csv with demo/run_year.sql and prints
# what happened. Exits non-zero unless accounts_verify() finds nothing wrong.
set -euo pipefail

source "$(dirname "$0")/lib.sh"

CSV=$REPO_ROOT/demo/gift_card_year.csv
if [ ! -r "$CSV" ]; then
    echo "demo: $CSV is missing; write it with: /usr/bin/python3 demo/generate_year.py" >&2
    exit 1
fi

install_packages
build_and_install
start_cluster

psql -X -q -v ON_ERROR_STOP=1 -c 'CREATE EXTENSION oscar_accounts'

echo "== demo: replaying $(($(wc -l <"$CSV") - 1)) events from demo/gift_card_year.csv"
started=$SECONDS
# psql reads the CSV itself (\copy), as the invoking user: the server never opens the file.
psql -X -q -v ON_ERROR_STOP=1 -v csv="$CSV" -f "$REPO_ROOT/demo/run_year.sql"
echo "== demo: replay and report took $((SECONDS - started)) s"

violations=$(psql -X -q -A -t -v ON_ERROR_STOP=1 -c 'SELECT count(*) FROM accounts.accounts_verify()')
if [ "$violations" != "0" ]; then
    echo "== demo: FAILED: accounts_verify() reports $violations violation(s)" >&2
    exit 1
fi
echo "== demo: ledger verified (0 violations)"
