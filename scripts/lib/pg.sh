# shellcheck shell=bash
# Private PostgreSQL clusters for scripts/run and scripts/test (sourced, not executed).
#
# A "private" cluster lives entirely in one directory we own (data, socket, log), listens on
# 127.0.0.1 only and trusts local connections, so nothing on the machine is touched or exposed.
#
#   pg_require_server          find (or, as root on Debian, install) initdb/pg_ctl/postgres; sets PG_BIN
#   pg_free_port               print a TCP port nobody listens on
#   start_private_pg DIR PORT  initdb DIR/data if it is new, start it and wait until it answers
#   stop_private_pg DIR        stop the cluster in DIR (immediately; safe when it is not running)
#   pg_url PORT [DB]           print the superuser URL of a private cluster
#
# PG_EXTRA_OPTS (optional) adds server settings, e.g. "-c fsync=off" for throwaway test clusters.

PG_BIN=""

# Prints a one-sentence error and stops the calling script.
pg_die() {
    echo "error: $*" >&2
    exit 1
}

# Finds the server binaries: PATH first, else the newest Debian versioned directory.
pg_find_bin_dir() {
    local initdb_path dir
    if initdb_path="$(command -v initdb)" && command -v pg_ctl >/dev/null && command -v postgres >/dev/null; then
        dirname "$(readlink -f "$initdb_path")"
        return 0
    fi
    for dir in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V -r); do
        if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" && -x "$dir/postgres" ]]; then
            echo "$dir"
            return 0
        fi
    done
    return 1
}

pg_require_server() {
    if PG_BIN="$(pg_find_bin_dir)"; then
        return 0
    fi
    # CI machines start without a server: install Debian's when we are allowed to.
    if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null; then
        echo "PostgreSQL server not found; installing Debian's postgresql package..." >&2
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
        PG_BIN="$(pg_find_bin_dir)" && return 0
    fi
    pg_die "PostgreSQL server programs (initdb, pg_ctl, postgres) were not found: install PostgreSQL 14 or newer (e.g. 'apt-get install postgresql' or 'brew install postgresql') and retry."
}

# Runs a command as the cluster's owner: initdb and postgres refuse to run as root,
# so root hands the cluster to the 'postgres' system user.
pg_as_owner() {
    if [[ "$(id -u)" -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# As root, make sure the 'postgres' user exists and owns DIR.
pg_prepare_owner() {
    local dir="$1"
    [[ "$(id -u)" -eq 0 ]] || return 0
    if ! id -u postgres >/dev/null 2>&1; then
        useradd --system --user-group --no-create-home --home-dir /nonexistent \
            --shell /usr/sbin/nologin postgres
    fi
    chown -R postgres: "$dir"
    if ! runuser -u postgres -- test -w "$dir"; then
        pg_die "the 'postgres' user cannot reach $dir (a parent directory is private): move the project under a world-readable path or set DATABASE_URL to an existing server."
    fi
}

pg_free_port() {
    if command -v python3 >/dev/null; then
        # The kernel picks an unused port; the tiny race until postgres binds it is acceptable.
        python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
        return 0
    fi
    local port
    for _ in $(seq 1 100); do
        port=$((20000 + RANDOM % 40000))
        # A refused connection means nobody listens there.
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    pg_die "could not find a free TCP port on 127.0.0.1."
}

pg_url() {
    echo "postgres://postgres@127.0.0.1:$1/${2:-postgres}"
}

# Polls pg_isready (or a TCP connect when the client tools are missing) until DEADLINE seconds pass.
pg_wait_ready() {
    local port="$1" deadline=$((SECONDS + ${2:-30}))
    local isready="$PG_BIN/pg_isready"
    [[ -x "$isready" ]] || isready="$(command -v pg_isready || true)"
    while ((SECONDS < deadline)); do
        if [[ -n "$isready" ]]; then
            "$isready" -q -h 127.0.0.1 -p "$port" -U postgres && return 0
        elif (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            return 0
        fi
        sleep 0.2
    done
    return 1
}

start_private_pg() {
    local dir="$1" port="$2"
    [[ -n "$PG_BIN" ]] || pg_require_server
    mkdir -p "$dir"
    dir="$(cd "$dir" && pwd)"
    pg_prepare_owner "$dir"

    if [[ ! -f "$dir/data/PG_VERSION" ]]; then
        pg_as_owner "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust \
            --encoding=UTF8 --no-locale >"$dir/initdb.log" 2>&1 ||
            { cat "$dir/initdb.log" >&2; pg_die "initdb failed in $dir/data (log above)."; }
    fi

    # postgres refuses a data directory others can read (a copy or an archive may have widened it).
    pg_as_owner chmod 700 "$dir/data"

    # Unix sockets are limited to ~107 bytes of path; TCP is what clients use anyway.
    local socket_dir="$dir"
    ((${#dir} < 90)) || socket_dir=""

    local opts="-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories='$socket_dir'"
    opts+=" -c max_connections=300 ${PG_EXTRA_OPTS:-}"
    if ! pg_as_owner "$PG_BIN/pg_ctl" start -w -t 60 -D "$dir/data" -l "$dir/postgres.log" \
        -o "$opts" >/dev/null; then
        tail -n 20 "$dir/postgres.log" >&2 || true
        return 1
    fi
    pg_wait_ready "$port" 30 || { tail -n 20 "$dir/postgres.log" >&2; return 1; }
}

# True when the cluster in DIR has a live postmaster.
pg_is_running() {
    local dir="$1"
    [[ -f "$dir/data/postmaster.pid" ]] && [[ -n "$PG_BIN" ]] &&
        pg_as_owner "$PG_BIN/pg_ctl" status -D "$dir/data" >/dev/null 2>&1
}

stop_private_pg() {
    local dir="$1"
    [[ -f "$dir/data/postmaster.pid" ]] || return 0
    [[ -n "$PG_BIN" ]] || PG_BIN="$(pg_find_bin_dir)" || return 0
    # Default "immediate": a throwaway cluster needs no shutdown checkpoint. scripts/run keeps
    # its data and asks for "fast" (clean shutdown) through PG_STOP_MODE.
    pg_as_owner "$PG_BIN/pg_ctl" stop -w -t 60 -m "${PG_STOP_MODE:-immediate}" -D "$dir/data" \
        >/dev/null 2>&1 || true
}
