# Shared helpers of the resilience tests (test/resilience/*.sh). Sourced, not run.
#
# Every script ends with exactly one line "RESULT: <name> passed" or
# "RESULT: <name> FAILED: <why>" and exits non-zero on failure, including when it dies
# on an unexpected error (the EXIT trap prints the FAILED line then).

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
RESILIENCE_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RESULT_NAME=${RESULT_NAME:-resilience}
RESULT_PRINTED=0
CLEANUP_STEPS=()

# psql without ~/.psqlrc, stopping at the first error, quiet.
psql_q() { "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
# One value (tuples only, unaligned).
psql_v() { "$PG_BIN/psql" -X -q -At -v ON_ERROR_STOP=1 "$@"; }

# Prints the passed line once.
pass() {
    RESULT_PRINTED=1
    echo "RESULT: $RESULT_NAME passed"
    exit 0
}

# Prints the FAILED line once and exits 1.
fail() {
    if [ "$RESULT_PRINTED" -eq 0 ]; then
        RESULT_PRINTED=1
        echo "RESULT: $RESULT_NAME FAILED: $*"
    fi
    exit 1
}

# Registers a command to run at exit (in reverse order of registration).
on_exit() { CLEANUP_STEPS+=("$*"); }

_resilience_exit() {
    local rc=$?
    local i
    for ((i = ${#CLEANUP_STEPS[@]} - 1; i >= 0; i--)); do
        eval "${CLEANUP_STEPS[$i]}" >/dev/null 2>&1 || true
    done
    if [ "$RESULT_PRINTED" -eq 0 ]; then
        echo "RESULT: $RESULT_NAME FAILED: stopped unexpectedly (exit status $rc, see the output above)"
        rc=1
    fi
    exit "$rc"
}
trap _resilience_exit EXIT
trap 'exit 130' INT TERM

# Checks that a client program exists.
need_program() {
    [ -x "$1" ] || fail "$1 not found (Debian package ${2:-postgresql-15})"
}

# Seconds since an epoch second, for timings.
elapsed_since() { echo $(( $(date +%s) - $1 )); }
