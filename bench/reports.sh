#!/usr/bin/env bash
# Times the reports on a ledger of 1,000,000 postings (500,000 transfers over a year, 20,000
# cards) in a throwaway cluster. Each figure is the median of 3 runs.
#
#   bash bench/reports.sh                 # the full size
#   TRANSFERS=20000 bash bench/reports.sh # a quick smoke run
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../tools/lib.sh"
cd "$REPO_ROOT"
TRANSFERS=${TRANSFERS:-500000}
CARDS=${CARDS:-20000}

install_packages
build_and_install
start_cluster
psql -X -q -c 'CREATE EXTENSION oscar_accounts'
echo "== generating $TRANSFERS transfers ($((TRANSFERS * 2)) postings) over $CARDS cards"
started=$SECONDS
psql -X -q -v transfers="$TRANSFERS" -v cards="$CARDS" -f bench/generate_ledger.sql
echo "== generated in $((SECONDS - started)) s"

# Runs one query three times and prints the median time in milliseconds.
median_ms() {
    local sql=$1
    for _ in 1 2 3; do
        psql -X -q -c '\timing on' -c "$sql" 2>&1 | sed -nE 's/^Time: ([0-9.]+) ms.*/\1/p' | tail -1
    done | sort -n | sed -n 2p
}

declare -a NAMES=(
    "deferred income report, today"
    "deferred income report, 6 months ago"
    "profit and loss, one month"
    "profit and loss, whole year"
    "trial balance, now"
    "statement of one card, whole year"
    "accounts_verify()"
)
declare -a QUERIES=(
    "SELECT * FROM accounts.deferred_income_report"
    "SELECT * FROM accounts.accounts_deferred_income_report((now() - interval '6 months')::date)"
    "SELECT * FROM accounts.accounts_profit_loss_report((now() - interval '2 months')::date, (now() - interval '1 month')::date)"
    "SELECT * FROM accounts.accounts_profit_loss_report((now() - interval '1 year')::date, now()::date)"
    "SELECT count(*) FROM accounts.accounts_trial_balance()"
    "SELECT count(*) FROM accounts.accounts_statement((SELECT min(id) FROM accounts.account WHERE code LIKE 'BENCH%'), now() - interval '1 year', now())"
    "SELECT count(*) FROM accounts.accounts_verify()"
)
echo
printf '%-40s %12s\n' "query ($((TRANSFERS * 2)) postings)" "median ms"
for i in "${!NAMES[@]}"; do
    printf '%-40s %12s\n' "${NAMES[$i]}" "$(median_ms "${QUERIES[$i]}")"
done
echo
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), PostgreSQL $(psql -X -At -c 'SHOW server_version')"
