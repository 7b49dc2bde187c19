#!/usr/bin/env bash
# PostgreSQL for tests/CI: the Debian cluster "<ver> main" of the machine.
#
# Usage: scripts/postgres.sh {start|stop|status|createdb NAME...}
#   start     install the Debian "postgresql" package if pg_lsclusters is missing,
#             apply the CI settings, start the cluster, set the password of the
#             "postgres" role to "postgres", wait for TCP connections and print
#             DATABASE_URL=postgresql+asyncpg://postgres:postgres@127.0.0.1:<port>/postgres
#             Idempotent: running it again on a running cluster is fine.
#   stop      stop the cluster (no-op if it is not running)
#   status    exit 0 if running
#   createdb  create the named databases if they do not exist (starts the cluster
#             if needed; idempotent)
#
# Must run as root (or with sudo available): it uses apt-get, pg_ctlcluster and
# `su postgres` for peer-authenticated superuser access over the local socket.
set -euo pipefail

PG_PASSWORD=postgres
CLUSTER=main
CI_CONF_NAME=zz-ci-tests.conf

log() { echo "postgres.sh: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

if [[ "$(id -u)" -eq 0 ]]; then
    SUDO=()
else
    command -v sudo >/dev/null || die "must run as root (or have sudo)"
    SUDO=(sudo)
fi

ensure_installed() {
    if command -v pg_lsclusters >/dev/null 2>&1; then
        return 0
    fi
    log "pg_lsclusters not found; installing the postgresql package"
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
        postgresql >&2
}

# Newest installed major version that has a "main" cluster; creates one if none.
PG_VER=""
PG_PORT=""
detect_cluster() {
    PG_VER="$(pg_lsclusters -h 2>/dev/null | awk -v c="$CLUSTER" '$2 == c {print $1}' | sort -V | tail -n1)"
    if [[ -z "$PG_VER" ]]; then
        local ver
        ver="$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n1)"
        [[ -n "$ver" ]] || die "no PostgreSQL server version found under /usr/lib/postgresql"
        log "creating cluster $ver/$CLUSTER"
        "${SUDO[@]}" pg_createcluster "$ver" "$CLUSTER" >&2
        PG_VER="$ver"
    fi
    PG_PORT="$(pg_lsclusters -h | awk -v v="$PG_VER" -v c="$CLUSTER" '$1 == v && $2 == c {print $3}')"
    [[ -n "$PG_PORT" ]] || die "could not read the port of cluster $PG_VER/$CLUSTER"
}

is_running() {
    "${SUDO[@]}" pg_ctlcluster "$PG_VER" "$CLUSTER" status >/dev/null 2>&1
}

# psql as the postgres superuser through the local Unix socket (peer auth; same
# as `su postgres -c psql`, but the arguments are passed without a shell).
# SQL is read from stdin so that psql variables (-v) are interpolated.
su_psql() {
    local as_pg
    if [[ "$(id -u)" -eq 0 ]]; then
        as_pg=(runuser -u postgres --)
    else
        as_pg=(sudo -u postgres)
    fi
    (cd / && "${as_pg[@]}" psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" -d postgres "$@")
}

# CI-ONLY settings. fsync/synchronous_commit/full_page_writes off make the
# database fast but NOT crash-safe: an OS crash or power loss can corrupt it.
# This cluster only ever holds throwaway test data. max_connections is raised
# for tests that open many pools in parallel. TLS is off: the cluster listens on
# loopback only, where encryption is pure cost (asyncpg would negotiate it).
write_ci_conf() {
    local dir="/etc/postgresql/$PG_VER/$CLUSTER/conf.d"
    local file="$dir/$CI_CONF_NAME"
    local want
    want="# Written by scripts/postgres.sh -- CI/test-only settings, NOT crash-safe.
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 300
listen_addresses = 'localhost'
ssl = off
"
    if [[ -f "$file" && "$(cat "$file")" == "$(printf '%s' "$want")" ]]; then
        return 1   # unchanged
    fi
    "${SUDO[@]}" mkdir -p "$dir"
    printf '%s' "$want" | "${SUDO[@]}" tee "$file" >/dev/null
    "${SUDO[@]}" chown postgres:postgres "$file" 2>/dev/null || true
    return 0       # changed
}

wait_tcp() {
    local deadline=$(( $(date +%s) + 60 ))
    until pg_isready -q -h 127.0.0.1 -p "$PG_PORT" -t 2; do
        if (( $(date +%s) >= deadline )); then
            die "PostgreSQL did not accept TCP connections on 127.0.0.1:$PG_PORT within 60 s"
        fi
        sleep 0.3
    done
}

ensure_running() {
    ensure_installed
    detect_cluster
    local changed=0
    write_ci_conf && changed=1
    if is_running; then
        if (( changed )); then
            log "CI settings changed; restarting cluster $PG_VER/$CLUSTER"
            "${SUDO[@]}" pg_ctlcluster "$PG_VER" "$CLUSTER" restart -m fast >&2
        fi
    else
        log "starting cluster $PG_VER/$CLUSTER"
        "${SUDO[@]}" pg_ctlcluster "$PG_VER" "$CLUSTER" start >&2
    fi
    wait_tcp
}

do_start() {
    ensure_running
    su_psql <<SQL
ALTER ROLE postgres WITH PASSWORD '$PG_PASSWORD';
SQL
    log "running: PostgreSQL $PG_VER on 127.0.0.1:$PG_PORT"
    echo "DATABASE_URL=postgresql+asyncpg://postgres:$PG_PASSWORD@127.0.0.1:$PG_PORT/postgres"
}

do_stop() {
    command -v pg_lsclusters >/dev/null 2>&1 || return 0
    detect_cluster
    if is_running; then
        "${SUDO[@]}" pg_ctlcluster "$PG_VER" "$CLUSTER" stop -m fast >&2
        log "stopped cluster $PG_VER/$CLUSTER"
    fi
}

do_status() {
    command -v pg_lsclusters >/dev/null 2>&1 || { log "not installed"; return 1; }
    detect_cluster
    if is_running; then
        log "running: PostgreSQL $PG_VER on 127.0.0.1:$PG_PORT"
        return 0
    fi
    log "not running"
    return 1
}

do_createdb() {
    (( $# > 0 )) || die "usage: $0 createdb NAME..."
    ensure_running
    local name
    for name in "$@"; do
        # \gexec runs the generated CREATE DATABASE only when the database is missing;
        # format(%I) quotes the identifier.
        su_psql -v "dbname=$name" <<'SQL'
SELECT format('CREATE DATABASE %I', :'dbname')
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'dbname')
\gexec
SQL
        log "database $name ready"
    done
}

cmd="${1:-}"
[[ $# -gt 0 ]] && shift
case "$cmd" in
    start)    do_start ;;
    stop)     do_stop ;;
    status)   do_status ;;
    createdb) do_createdb "$@" ;;
    *) echo "usage: $0 {start|stop|status|createdb NAME...}" >&2; exit 2 ;;
esac
