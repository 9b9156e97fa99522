# Shared steps of tools/demo.sh and tools/test.sh: packages, build, throwaway cluster.
# Sourced, not run. Works as root (the server then runs as the "postgres" user, since
# PostgreSQL refuses to run as root) or as a user with sudo (the server runs as that user).

PG_BIN=/usr/lib/postgresql/15/bin
PG_CONFIG=$PG_BIN/pg_config
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Debian packages the build, the demo and every test layer need.
PACKAGES=(postgresql-15 postgresql-server-dev-15 postgresql-15-pgtap libtap-parser-sourcehandler-pgtap-perl
          libpqxx-dev libgtest-dev libgmock-dev cmake g++ make pkg-config clang-14 libclang-rt-14-dev
          python3-django python3-psycopg2 bsdextrautils iproute2)

# Runs a command as root: directly when we are root, through sudo otherwise.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Installs whatever of PACKAGES is missing (nothing is downloaded when all are present).
install_packages() {
    local missing=()
    local pkg
    for pkg in "${PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    if [ ${#missing[@]} -eq 0 ]; then
        echo "== packages: all present"
        return
    fi
    echo "== packages: installing ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

# Builds the extension with PGXS and installs it into the server's directories.
build_and_install() {
    echo "== build: make && make install"
    make -C "$REPO_ROOT" -s -j2 PG_CONFIG="$PG_CONFIG" >/dev/null
    as_root make -C "$REPO_ROOT" -s install PG_CONFIG="$PG_CONFIG" >/dev/null
}

# The user the throwaway server runs as.
server_user() {
    if [ "$(id -u)" -eq 0 ]; then echo postgres; else id -un; fi
}

# Runs a command as the server user.
as_server_user() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# Starts a throwaway cluster in a fresh folder under /tmp (no system service is touched)
# and exports PGHOST/PGPORT/PGUSER/PGDATABASE for every client that follows. The cluster
# is stopped and removed when the calling script exits.
start_cluster() {
    CLUSTER_DIR=$(mktemp -d /tmp/oscar_accounts.XXXXXX)
    chmod 755 "$CLUSTER_DIR"
    if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$CLUSTER_DIR"; fi
    local port=${OSCAR_ACCOUNTS_PORT:-55432}
    while ss -ltn 2>/dev/null | grep -q ":$port "; do port=$((port + 1)); done
    echo "== cluster: $CLUSTER_DIR (port $port, runs as $(server_user))"
    as_server_user "$PG_BIN/initdb" -D "$CLUSTER_DIR/data" -U postgres -A trust --no-sync -E UTF8 \
        --locale=C.UTF-8 >"$CLUSTER_DIR/initdb.log" 2>&1
    as_server_user "$PG_BIN/pg_ctl" -D "$CLUSTER_DIR/data" -l "$CLUSTER_DIR/server.log" -w -s \
        -o "-c listen_addresses='' -c unix_socket_directories='$CLUSTER_DIR' -p $port -c fsync=off -c max_connections=100" \
        start
    export PGHOST=$CLUSTER_DIR PGPORT=$port PGUSER=postgres PGDATABASE=postgres
    trap stop_cluster EXIT
}

# Stops and removes the throwaway cluster (printing the server log's errors if asked).
stop_cluster() {
    if [ -n "${CLUSTER_DIR:-}" ] && [ -d "$CLUSTER_DIR" ]; then
        as_server_user "$PG_BIN/pg_ctl" -D "$CLUSTER_DIR/data" -m fast -w -s stop >/dev/null 2>&1 || true
        if [ -n "${KEEP_SERVER_LOG:-}" ]; then cp "$CLUSTER_DIR/server.log" "$KEEP_SERVER_LOG" 2>/dev/null || true; fi
        rm -rf "$CLUSTER_DIR"
    fi
}
