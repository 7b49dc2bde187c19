#!/usr/bin/env bash
# Apache Kafka 4.x (KRaft) for tests/CI, run straight from the jars pinned in
# deploy/kafka/pom.xml (no Docker, no tarball): one combined broker+controller, or a
# cluster of KAFKA_NODES of them on this machine (three for the fault suite).
#
# Usage: scripts/kafka.sh {fetch|start|stop|restart|clean|status|kill N|start-node N|credentials}
#   fetch        copy the broker jars into $KAFKA_LIB_DIR (skipped when already there)
#   start        fetch if needed, make the credentials and format storage once, start
#                every node in the background, wait until ready, grant the services'
#                ACLs (SASL), print the environment clients need (KAFKA_BOOTSTRAP_SERVERS=...,
#                and with SASL KAFKA_SASL_CREDENTIALS_DIR=...); no-op apart from the
#                print for the nodes already running
#   stop         SIGTERM, wait up to 60 s, then SIGKILL (no-op if not running)
#   restart      stop + start on the SAME data dirs (committed data is kept)
#   clean        stop and delete the data dirs (jars and credentials are kept)
#   status       exit 0 and print the environment if every node runs, else exit 1
#   kill N       SIGKILL node N (a crash, for the fault suite)
#   start-node N start node N again (after kill)
#   credentials  make the passwords (as start does) and print KAFKA_SASL_CREDENTIALS_DIR=...
#                (docker compose mounts the same files as secrets)
#
# Security (KAFKA_SECURITY, fixed for a data dir when it is formatted):
#   sasl (default)  clients authenticate with SASL/SCRAM-SHA-512 and are authorized by
#                   ACLs (StandardAuthorizer): one user per service plus `admin` (the
#                   superuser: topic set-up, tests, operators' tools; it may also use
#                   SASL/PLAIN, for kcat: see write_properties). The passwords are
#                   made here, once, into $KAFKA_CREDENTIALS_DIR/<user>.password (0600,
#                   directory 0700); nodes talk to their controllers over SASL/PLAIN
#                   with a user of their own. Each service may write only its topic and
#                   its dead-letter topic, read only the topics it consumes, and use only
#                   its consumer groups: `python -m enclave_shared.kafka acls` grants that for the prefix
#                   $ENCLAVE_TOPIC_PREFIX (default enclave), derived from the services'
#                   handlers; start runs it.
#   plaintext       no authentication (a data dir formatted before SASL existed stays so)
#
# Environment:
#   KAFKA_HOME             default <repo>/.build/kafka (data/, server.properties, broker.out,
#                          kafka.pid; with KAFKA_NODES > 1 one node<N>/ each)
#   KAFKA_LIB_DIR          the jars, default <repo>/.build/kafka/lib (shared by every home)
#   KAFKA_NODES            1 (default) or more: node N listens on KAFKA_PORT + 2(N-1) and
#                          KAFKA_CONTROLLER_PORT + 2(N-1); all are controllers (quorum)
#   KAFKA_PORT             client listener port of node 1,  default 19092 (127.0.0.1 only)
#   KAFKA_CONTROLLER_PORT  KRaft controller port of node 1, default 19093 (127.0.0.1 only)
#                          Keep the ports below the ephemeral range (Linux: 32768 and up,
#                          /proc/sys/net/ipv4/ip_local_port_range): a client's outgoing
#                          connection may take the port of a broker that is down, and the
#                          broker cannot listen there again (seen in a chaos run at 39092).
#   KAFKA_REPLICATION_FACTOR / KAFKA_MIN_INSYNC_REPLICAS
#                          the brokers' defaults and internal topics; default 1/1 for one
#                          node, 3/2 for a cluster (the services read the same variables)
#   KAFKA_CREDENTIALS_DIR  default <repo>/var/kafka
#   KAFKA_HEAP_OPTS        default "-Xms256m -Xmx512m"
#   KAFKA_START_TIMEOUT    seconds to wait for readiness, default 90
#   MAVEN_REPO_LOCAL       optional Maven local repository (e.g. a CI cache dir)
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEPLOY_DIR="$REPO_ROOT/deploy/kafka"

KAFKA_HOME="${KAFKA_HOME:-$REPO_ROOT/.build/kafka}"
KAFKA_LIB_DIR="${KAFKA_LIB_DIR:-$REPO_ROOT/.build/kafka/lib}"
KAFKA_NODES="${KAFKA_NODES:-1}"
KAFKA_PORT="${KAFKA_PORT:-19092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-19093}"
KAFKA_CREDENTIALS_DIR="${KAFKA_CREDENTIALS_DIR:-$REPO_ROOT/var/kafka}"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
if (( KAFKA_NODES > 1 )); then
    KAFKA_REPLICATION_FACTOR="${KAFKA_REPLICATION_FACTOR:-3}"
    KAFKA_MIN_INSYNC_REPLICAS="${KAFKA_MIN_INSYNC_REPLICAS:-2}"
else
    KAFKA_REPLICATION_FACTOR="${KAFKA_REPLICATION_FACTOR:-1}"
    KAFKA_MIN_INSYNC_REPLICAS="${KAFKA_MIN_INSYNC_REPLICAS:-1}"
fi
STOP_TIMEOUT=60
# The users: one per service (as the launcher names them), the superuser, and the nodes'
# own user towards their controllers.
SERVICE_USERS=(console incubation intake hotline assessment)
ADMIN_USER=admin
CONTROLLER_USER=controller

LIB_DIR="$KAFKA_LIB_DIR"
STAMP_FILE="$LIB_DIR/.pom.sha256"
SECURITY_FILE="$KAFKA_HOME/security"

log() { echo "kafka.sh: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

now_ms() { date +%s%3N; }

[[ "$KAFKA_NODES" =~ ^[1-9]$ ]] || die "KAFKA_NODES must be 1 to 9"

# Per node: its folder (KAFKA_HOME itself for a single node, as before), ports, files.
node_dir() { if (( KAFKA_NODES == 1 )); then echo "$KAFKA_HOME"; else echo "$KAFKA_HOME/node$1"; fi; }
node_port() { echo $(( KAFKA_PORT + 2 * ($1 - 1) )); }
node_cport() { echo $(( KAFKA_CONTROLLER_PORT + 2 * ($1 - 1) )); }
props_of() { echo "$(node_dir "$1")/server.properties"; }
pidfile_of() { echo "$(node_dir "$1")/kafka.pid"; }
out_of() { echo "$(node_dir "$1")/broker.out"; }
data_of() { echo "$(node_dir "$1")/data"; }

bootstrap() {
    local n list=""
    for (( n = 1; n <= KAFKA_NODES; n++ )); do
        list+="${list:+,}127.0.0.1:$(node_port "$n")"
    done
    echo "$list"
}

voters() {
    local n list=""
    for (( n = 1; n <= KAFKA_NODES; n++ )); do
        list+="${list:+,}$n@127.0.0.1:$(node_cport "$n")"
    done
    echo "$list"
}

# Serialise concurrent invocations (e.g. parallel test workers) on one KAFKA_HOME.
# The lock fd is closed for the broker process (9>&- below) so it is not held
# for the broker's lifetime.
take_lock() {
    mkdir -p "$KAFKA_HOME"
    exec 9>"$KAFKA_HOME/.lock"
    flock 9
}

pom_hash() { sha256sum "$DEPLOY_DIR/pom.xml" | cut -d' ' -f1; }

jars_present() {
    [[ -f "$STAMP_FILE" ]] && [[ "$(cat "$STAMP_FILE")" == "$(pom_hash)" ]]
}

do_fetch() {
    if jars_present; then
        return 0
    fi
    command -v mvn >/dev/null || die "mvn not found (Maven 3.8+ and Java 17 are required)"
    local tmp="$LIB_DIR.tmp.$$" t0
    t0=$(now_ms)
    rm -rf "$tmp"
    mkdir -p "$(dirname "$LIB_DIR")"
    local mvn_args=(-B -q -Dstyle.color=never -f "$DEPLOY_DIR/pom.xml")
    if [[ -n "${MAVEN_REPO_LOCAL:-}" ]]; then
        mvn_args+=("-Dmaven.repo.local=$MAVEN_REPO_LOCAL")
    fi
    log "fetching Kafka jars with Maven into $LIB_DIR"
    mvn "${mvn_args[@]}" \
        org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy-dependencies \
        -DoutputDirectory="$tmp" -DincludeScope=runtime 2>&1 \
        | sed -e 's/\x1b\[[0-9;]*m//g' -e '/^$/d' >&2 \
        || { rm -rf "$tmp"; die "Maven dependency fetch failed"; }
    ls "$tmp"/kafka_2.13-*.jar >/dev/null 2>&1 || { rm -rf "$tmp"; die "kafka_2.13 jar missing after fetch"; }
    pom_hash >"$tmp/.pom.sha256"
    rm -rf "$LIB_DIR"
    mv "$tmp" "$LIB_DIR"
    log "fetched $(ls "$LIB_DIR" | wc -l) jars ($(du -sh "$LIB_DIR" | cut -f1)) in $(( $(now_ms) - t0 )) ms"
}

# Is $2 the pid of node $1 of this KAFKA_HOME? (guards against stale/reused pids)
is_our_broker() {
    local props pid="$2" cmdline
    props="$(props_of "$1")"
    [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || return 1
    cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
    [[ "$cmdline" == *" kafka.Kafka $props"* ]]
}

running_pid() {
    local node="$1" pid="" pidfile
    pidfile="$(pidfile_of "$node")"
    [[ -f "$pidfile" ]] && pid="$(cat "$pidfile" 2>/dev/null || true)"
    if is_our_broker "$node" "$pid"; then
        echo "$pid"
        return 0
    fi
    # Pid file lost or stale: look for a broker started with our server.properties.
    local p
    for p in /proc/[0-9]*; do
        p="${p#/proc/}"
        if is_our_broker "$node" "$p"; then
            echo "$p"
            return 0
        fi
    done
    return 1
}

# --- security -------------------------------------------------------------------------

# The mode of this home: what it was formatted with (a formatted home without the file
# predates SASL: plaintext), else what is asked for.
security_mode() {
    local mode
    case "${KAFKA_SECURITY:-sasl}" in
        sasl|plaintext) ;;
        *) die "KAFKA_SECURITY must be sasl or plaintext" ;;
    esac
    if [[ -f "$SECURITY_FILE" ]]; then
        mode="$(cat "$SECURITY_FILE")"
    elif [[ -f "$(data_of 1)/meta.properties" ]]; then
        mode=plaintext
    else
        mode="${KAFKA_SECURITY:-sasl}"
    fi
    if [[ -n "${KAFKA_SECURITY:-}" && "$KAFKA_SECURITY" != "$mode" ]]; then
        die "$KAFKA_HOME was formatted $mode, not $KAFKA_SECURITY (clean it, or use another KAFKA_HOME)"
    fi
    echo "$mode"
}

password_of() {
    local file="$KAFKA_CREDENTIALS_DIR/$1.password"
    [[ -s "$file" ]] || die "no password for $1 in $KAFKA_CREDENTIALS_DIR (formatted with other credentials? run clean)"
    cat "$file"
}

# Make the missing passwords (kept once made: every home formatted later uses them too).
make_credentials() {
    local user file
    ( umask 077; mkdir -p "$KAFKA_CREDENTIALS_DIR" )
    chmod 700 "$KAFKA_CREDENTIALS_DIR"
    for user in "$ADMIN_USER" "$CONTROLLER_USER" "${SERVICE_USERS[@]}"; do
        file="$KAFKA_CREDENTIALS_DIR/$user.password"
        [[ -s "$file" ]] && continue
        # 192 random bits in hex: nothing to quote in JAAS or in the format tool's syntax.
        ( umask 077; head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$file.tmp.$$" \
            && mv "$file.tmp.$$" "$file" )
    done
}

jaas_scram() {
    echo "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"$1\" password=\"$2\";"
}

write_properties() {
    local node="$1" mode="$2" dir data port cport props
    dir="$(node_dir "$node")"; data="$(data_of "$node")"; props="$(props_of "$node")"
    port="$(node_port "$node")"; cport="$(node_cport "$node")"
    mkdir -p "$data"
    local isr_internal=$(( KAFKA_MIN_INSYNC_REPLICAS ))
    ( umask 077; cat >"$props" <<EOF
# Generated by scripts/kafka.sh -- KRaft node $node of $KAFKA_NODES for tests/CI. Do not edit.
process.roles=broker,controller
node.id=$node
# Static quorum: formatting needs no --standalone and the voter endpoints come from this
# file, so they survive a change of ports.
controller.quorum.voters=$(voters)
controller.listener.names=CONTROLLER
log.dirs=$data

default.replication.factor=$KAFKA_REPLICATION_FACTOR
min.insync.replicas=$KAFKA_MIN_INSYNC_REPLICAS
offsets.topic.replication.factor=$KAFKA_REPLICATION_FACTOR
transaction.state.log.replication.factor=$KAFKA_REPLICATION_FACTOR
transaction.state.log.min.isr=$isr_internal
share.coordinator.state.topic.replication.factor=$KAFKA_REPLICATION_FACTOR
share.coordinator.state.topic.min.isr=$isr_internal
unclean.leader.election.enable=false
# The event history is the platform's record: kept for ever (the services also create
# their topics so; this covers any topic made otherwise).
log.retention.ms=-1
log.retention.bytes=-1

# Fast tests: small internal topics, no initial rebalance delay,
# allow short consumer session timeouts.
num.partitions=1
auto.create.topics.enable=true
offsets.topic.num.partitions=1
transaction.state.log.num.partitions=1
share.coordinator.state.topic.num.partitions=1
group.initial.rebalance.delay.ms=0
group.min.session.timeout.ms=1000

# Small footprint (2-core CI box shared with the tests).
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=2
num.replica.fetchers=1
background.threads=4
log.cleaner.threads=1
log.cleaner.dedupe.buffer.size=16777216

# Durability across restarts: a SIGTERM shutdown is a clean shutdown (all
# segments flushed, clean-shutdown marker written, no log recovery on the next
# start). Committed offsets live in __consumer_offsets on the same data dir.
controlled.shutdown.enable=true
# Note: after an UNCLEAN exit (SIGKILL) the restarted broker is refused as a
# duplicate registration until broker.session.timeout.ms (default 9 s) passes,
# so such a start takes ~12 s instead of ~2 s. Defaults kept on purpose: shorter
# session timeouts risk spurious fencing on a loaded 2-core CI box.
EOF
    if [[ "$mode" == plaintext ]]; then
        cat >>"$props" <<EOF

# No authentication (KAFKA_SECURITY=plaintext).
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
EOF
    else
        local admin_pw controller_pw
        admin_pw="$(password_of "$ADMIN_USER")"; controller_pw="$(password_of "$CONTROLLER_USER")"
        cat >>"$props" <<EOF

# SASL on every listener. Clients and the brokers among themselves: SCRAM-SHA-512 (the
# users are in the cluster's metadata, made when the storage was formatted). Towards the
# controllers: PLAIN with a user of this file (KRaft controllers cannot use SCRAM).
listeners=BROKER://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=BROKER://127.0.0.1:$port
inter.broker.listener.name=BROKER
listener.security.protocol.map=CONTROLLER:SASL_PLAINTEXT,BROKER:SASL_PLAINTEXT
# PLAIN too, for $ADMIN_USER only: the operators' kcat (Debian's, librdkafka 2.0) cannot use
# SCRAM here. librdkafka before 2.6.1 sends the client nonce twice in its SCRAM final
# message (the client's, then the server's, which already begins with it); Kafka 4
# compares the nonce strictly (RFC 5802) and answers "invalid credentials", SHA-256 and
# SHA-512 alike. PLAIN sends the password itself, on this loopback-only listener.
listener.name.broker.sasl.enabled.mechanisms=SCRAM-SHA-512,PLAIN
listener.name.broker.scram-sha-512.sasl.jaas.config=$(jaas_scram "$ADMIN_USER" "$admin_pw")
listener.name.broker.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_$ADMIN_USER="$admin_pw";
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.controller.sasl.enabled.mechanisms=PLAIN
listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="$CONTROLLER_USER" password="$controller_pw" user_$CONTROLLER_USER="$controller_pw";
sasl.mechanism.controller.protocol=PLAIN

# Authorization: ACLs only; nothing is allowed to a principal without one.
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
super.users=User:$ADMIN_USER;User:$CONTROLLER_USER
EOF
    fi
    )
}

is_formatted() { [[ -f "$(data_of "$1")/meta.properties" ]]; }

# Format every node that is not yet, with one cluster id (kept in $KAFKA_HOME/cluster.id)
# and, with SASL, the SCRAM users.
format_storage() {
    local mode="$1" node cluster_id scram=() user
    if [[ -s "$KAFKA_HOME/cluster.id" ]]; then
        cluster_id="$(cat "$KAFKA_HOME/cluster.id")"
    else
        cluster_id="$(java -cp "$LIB_DIR/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n1)"
        [[ -n "$cluster_id" ]] || die "could not generate a cluster id"
        echo "$cluster_id" >"$KAFKA_HOME/cluster.id"
    fi
    if [[ "$mode" == sasl ]]; then
        for user in "$ADMIN_USER" "${SERVICE_USERS[@]}"; do
            scram+=(--add-scram "SCRAM-SHA-512=[name=$user,password=$(password_of "$user")]")
        done
    fi
    for (( node = 1; node <= KAFKA_NODES; node++ )); do
        is_formatted "$node" && continue
        log "formatting $(data_of "$node") (cluster id $cluster_id, $mode)"
        java -Xmx256m -Dlog4j2.configurationFile="$DEPLOY_DIR/log4j2.properties" \
            -cp "$LIB_DIR/*" kafka.tools.StorageTool format \
            -t "$cluster_id" -c "$(props_of "$node")" "${scram[@]}" \
            >"$(node_dir "$node")/format.out" 2>&1 \
            || { cat "$(node_dir "$node")/format.out" >&2; die "storage format failed"; }
    done
    echo "$mode" >"$SECURITY_FILE"
}

port_busy() {
    # true if something listens on 127.0.0.1:$1
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# What clients need, on stdout (the only stdout of start and status).
print_env() {
    echo "KAFKA_BOOTSTRAP_SERVERS=$(bootstrap)"
    if [[ "$(security_mode)" == sasl ]]; then
        echo "KAFKA_SASL_CREDENTIALS_DIR=$KAFKA_CREDENTIALS_DIR"
    fi
}

launch_node() {
    local node="$1" out pidfile props
    out="$(out_of "$node")"; pidfile="$(pidfile_of "$node")"; props="$(props_of "$node")"
    [[ -f "$out" ]] && mv -f "$out" "$out.1"
    # setsid: the broker gets its own session so it outlives this script and the
    # caller's process group. -Dkafka.logs.dir is only read by log4j configs that
    # write files; ours logs to stdout (-> broker.out). Log4j's own shutdown hook
    # is disabled so that the broker's shutdown sequence is still logged.
    # shellcheck disable=SC2086
    setsid java $KAFKA_HEAP_OPTS \
        -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
        -XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15 -Djava.awt.headless=true \
        -Dkafka.logs.dir="$(node_dir "$node")/logs" \
        -Dlog4j2.configurationFile="$DEPLOY_DIR/log4j2.properties" \
        -Dlog4j2.shutdownHookEnabled=false \
        -cp "$LIB_DIR/*" kafka.Kafka "$props" \
        >"$out" 2>&1 </dev/null 9>&- &
    echo "$!" >"$pidfile"
}

# Wait until each given node logged "Kafka Server started".
wait_started() {
    local deadline=$(( $(date +%s) + KAFKA_START_TIMEOUT )) node pid waiting
    while :; do
        waiting=()
        for node in "$@"; do
            grep -q "Kafka Server started" "$(out_of "$node")" 2>/dev/null && continue
            pid="$(cat "$(pidfile_of "$node")" 2>/dev/null || true)"
            if ! kill -0 "$pid" 2>/dev/null && ! running_pid "$node" >/dev/null; then
                rm -f "$(pidfile_of "$node")"
                log "node $node exited during startup; last lines of $(out_of "$node"):"
                tail -n 40 "$(out_of "$node")" >&2 || true
                exit 1
            fi
            waiting+=("$node")
        done
        (( ${#waiting[@]} == 0 )) && break
        if (( $(date +%s) >= deadline )); then
            log "node(s) ${waiting[*]} not ready after ${KAFKA_START_TIMEOUT}s; last lines:"
            for node in "${waiting[@]}"; do tail -n 40 "$(out_of "$node")" >&2 || true; done
            do_stop
            exit 1
        fi
        sleep 0.2
    done
    for node in "$@"; do
        pid="$(running_pid "$node")" || die "node $node ready but its process was not found"
        echo "$pid" >"$(pidfile_of "$node")"
    done
}

# Grant the services' ACLs for the platform's topic prefix (idempotent).
grant_acls() {
    local python="$REPO_ROOT/.venv/bin/python"
    if [[ ! -x "$python" ]]; then
        log "no .venv: the services' ACLs are not granted (run \`python -m enclave_shared.kafka acls\` later)"
        return 0
    fi
    KAFKA_BOOTSTRAP_SERVERS="$(bootstrap)" KAFKA_SASL_USERNAME="$ADMIN_USER" \
        KAFKA_SASL_PASSWORD_FILE="$KAFKA_CREDENTIALS_DIR/$ADMIN_USER.password" \
        "$python" -m enclave_shared.kafka acls --prefix "${ENCLAVE_TOPIC_PREFIX:-enclave}" | tail -n1 >&2 \
        || die "granting the services' ACLs failed"
}

start_nodes() {
    local mode="$1" node started=() p
    shift
    for node in "$@"; do
        running_pid "$node" >/dev/null && continue
        rm -f "$(pidfile_of "$node")"
        for p in "$(node_port "$node")" "$(node_cport "$node")"; do
            port_busy "$p" && die "port 127.0.0.1:$p is already in use (set KAFKA_PORT / KAFKA_CONTROLLER_PORT)"
        done
        write_properties "$node" "$mode"
        launch_node "$node"
        started+=("$node")
    done
    (( ${#started[@]} == 0 )) && return 0
    local t0
    t0=$(now_ms)
    wait_started "${started[@]}"
    log "started node(s) ${started[*]} in $(( $(now_ms) - t0 )) ms"
}

do_start() {
    local mode node all=() missing=0
    for (( node = 1; node <= KAFKA_NODES; node++ )); do
        all+=("$node")
        running_pid "$node" >/dev/null || missing=1
    done
    mode="$(security_mode)"
    if (( missing == 0 )); then
        log "already running"
        print_env
        return 0
    fi
    command -v java >/dev/null || die "java not found (Java 17+ required)"
    do_fetch
    [[ "$mode" == sasl ]] && make_credentials
    for node in "${all[@]}"; do
        running_pid "$node" >/dev/null || write_properties "$node" "$mode"
    done
    format_storage "$mode"
    start_nodes "$mode" "${all[@]}"
    [[ "$mode" == sasl ]] && grant_acls
    print_env
}

stop_node() {
    local node="$1" signal="${2:-TERM}" pid t0 deadline
    if ! pid="$(running_pid "$node")"; then
        rm -f "$(pidfile_of "$node")"
        return 0
    fi
    t0=$(now_ms)
    kill "-$signal" "$pid" 2>/dev/null || true
    deadline=$(( $(date +%s) + STOP_TIMEOUT ))
    while kill -0 "$pid" 2>/dev/null; do
        if (( $(date +%s) >= deadline )); then
            log "node $node (pid $pid) did not stop within ${STOP_TIMEOUT}s; sending SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
            sleep 0.5
            break
        fi
        sleep 0.2
    done
    rm -f "$(pidfile_of "$node")"
    log "stopped node $node (pid $pid, SIG$signal) in $(( $(now_ms) - t0 )) ms"
}

do_stop() {
    local node pids=()
    # All at once: a cluster whose nodes stop one by one keeps moving leaders around.
    for (( node = KAFKA_NODES; node >= 1; node-- )); do
        stop_node "$node" &
        pids+=("$!")
    done
    wait "${pids[@]}"
}

do_clean() {
    do_stop
    local node
    for (( node = 1; node <= KAFKA_NODES; node++ )); do
        rm -rf "$(data_of "$node")" "$(node_dir "$node")/logs" "$(out_of "$node")" \
            "$(out_of "$node").1" "$(node_dir "$node")/format.out"
    done
    rm -f "$SECURITY_FILE" "$KAFKA_HOME/cluster.id"
    log "deleted the data of $KAFKA_HOME"
}

do_status() {
    local node pid down=0
    for (( node = 1; node <= KAFKA_NODES; node++ )); do
        if pid="$(running_pid "$node")"; then
            log "node $node running (pid $pid)"
        else
            log "node $node not running"
            down=1
        fi
    done
    (( down == 0 )) || return 1
    print_env
}

node_arg() {
    [[ "${1:-}" =~ ^[1-9]$ ]] && (( $1 <= KAFKA_NODES )) || die "a node number 1..$KAFKA_NODES is needed"
}

cmd="${1:-}"
case "$cmd" in
    fetch)      take_lock; do_fetch ;;
    start)      take_lock; do_start ;;
    stop)       take_lock; do_stop ;;
    restart)    take_lock; do_stop; do_start ;;
    clean)      take_lock; do_clean ;;
    status)     do_status ;;
    kill)       node_arg "${2:-}"; take_lock; stop_node "$2" KILL ;;
    start-node) node_arg "${2:-}"; take_lock; start_nodes "$(security_mode)" "$2" ;;
    credentials) make_credentials; echo "KAFKA_SASL_CREDENTIALS_DIR=$KAFKA_CREDENTIALS_DIR" ;;
    *) echo "usage: $0 {fetch|start|stop|restart|clean|status|kill N|start-node N|credentials}" >&2; exit 2 ;;
esac
