#!/usr/bin/env bash
# Runs the Django tests of oscar_accounts_pg and of the example shop with Django's own test
# runner, against the PostgreSQL server that PGHOST/PGPORT/PGUSER/PGDATABASE point at (set by
# the caller: tools/test.sh runs this inside its throwaway cluster). The role must be allowed to
# create databases and the extension (a superuser): the test runner creates test_oscar_accounts_pg
# and test_example_shop and the migration runs CREATE EXTENSION oscar_accounts in them.
#
#   bash -c 'source tools/lib.sh; start_cluster; bash django/run_tests.sh'
#
# Prints each suite's "Ran N tests" and OK / FAILED (failures=X, errors=Y) lines; exits non-zero
# if any suite failed or could not run.
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PYTHON=${PYTHON:-/usr/bin/python3}   # Debian's python3 with python3-django and python3-psycopg2
export PYTHONDONTWRITEBYTECODE=1

for var in PGHOST PGPORT PGUSER PGDATABASE; do
    if [ -z "${!var:-}" ]; then
        echo "run_tests.sh: $var is not set (start a cluster first, e.g. tools/lib.sh start_cluster)" >&2
        exit 2
    fi
done
if ! "$PYTHON" -c 'import django, psycopg2' 2>/dev/null; then
    echo "run_tests.sh: $PYTHON cannot import django and psycopg2 (apt-get install python3-django python3-psycopg2)" >&2
    exit 2
fi
echo "== django: $("$PYTHON" -c 'import django; print("Django", django.get_version())'), $("$PYTHON" --version 2>&1)"

status=0
echo "== django: oscar_accounts_pg (settings: DATABASES and INSTALLED_APPS only)"
(cd "$HERE" && PYTHONPATH="$HERE${PYTHONPATH:+:$PYTHONPATH}" \
    "$PYTHON" -m django test oscar_accounts_pg --settings=test_settings --noinput "$@") 2>&1 || status=1
echo "== django: example_shop (the seed's checkout)"
(cd "$HERE/example_shop" && "$PYTHON" manage.py test --noinput "$@") 2>&1 || status=1
exit $status
