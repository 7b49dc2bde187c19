#!/bin/sh
# The compose broker (apache/kafka image): one KRaft node with SASL/SCRAM-SHA-512 and ACLs,
# set up as scripts/kafka.sh sets up CI's. The passwords are compose secrets
# (/run/secrets/kafka_<user>, made by `scripts/kafka.sh credentials`); the SCRAM users are
# made when the storage is formatted (first start). The services' ACLs are granted by the
# kafka-acls service (python -m enclave_shared.kafka acls) once this broker is healthy.
set -eu

secret() { tr -d '\n' <"/run/secrets/kafka_$1"; }
ADMIN="$(secret admin)"
CONTROLLER="$(secret controller)"
CONFIG=/tmp/server.properties
umask 077

cat >"$CONFIG" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@kafka:9093
controller.listener.names=CONTROLLER
listeners=BROKER://:9092,CONTROLLER://:9093
advertised.listeners=BROKER://kafka:9092
inter.broker.listener.name=BROKER
listener.security.protocol.map=CONTROLLER:SASL_PLAINTEXT,BROKER:SASL_PLAINTEXT
listener.name.broker.sasl.enabled.mechanisms=SCRAM-SHA-512
listener.name.broker.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$ADMIN";
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.controller.sasl.enabled.mechanisms=PLAIN
listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="controller" password="$CONTROLLER" user_controller="$CONTROLLER";
sasl.mechanism.controller.protocol=PLAIN
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
super.users=User:admin;User:controller
log.dirs=/var/lib/kafka/data
# One node: replication 1 (3 and 2 on a cluster). The event history is kept for ever.
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
unclean.leader.election.enable=false
log.retention.ms=-1
log.retention.bytes=-1
group.initial.rebalance.delay.ms=0
EOF

# What the healthcheck connects with.
cat >/tmp/admin.properties <<EOF
security.protocol=SASL_PLAINTEXT
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$ADMIN";
EOF

if [ ! -f /var/lib/kafka/data/meta.properties ]; then
    set --
    for user in admin console incubation intake hotline assessment; do
        set -- "$@" --add-scram "SCRAM-SHA-512=[name=$user,password=$(secret "$user")]"
    done
    /opt/kafka/bin/kafka-storage.sh format -t "$(/opt/kafka/bin/kafka-storage.sh random-uuid)" \
        -c "$CONFIG" "$@"
fi
exec /opt/kafka/bin/kafka-server-start.sh "$CONFIG"
