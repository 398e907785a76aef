#!/usr/bin/env bash
# The broker on SASL_SSL only: TLS with the certificate make-secrets.sh signed, SCRAM-SHA-512 users created when the
# storage is formatted, the standard authorizer with no access unless an ACL grants it. The KRaft controller listener
# stays on the container's loopback, plaintext, for the broker's own use.
set -euo pipefail
s=${SECRETS_DIR:-/secrets}
bin=${KAFKA_BIN:-/opt/kafka/bin}
data=${KAFKA_DATA:-/var/lib/kafka/data}
host=${KAFKA_ADVERTISED_HOST:-kafka}
port=${KAFKA_PORT:-9092}
controller=${KAFKA_CONTROLLER_PORT:-9093}
store=$(cat $s/store.password)
conf=${KAFKA_CONF_DIR:-/tmp}/server.properties
cat > $conf <<PROPS
node.id=1
process.roles=broker,controller
controller.quorum.voters=1@localhost:$controller
controller.listener.names=CONTROLLER
listeners=SASL_SSL://:$port,CONTROLLER://localhost:$controller
advertised.listeners=SASL_SSL://$host:$port
listener.security.protocol.map=SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT
inter.broker.listener.name=SASL_SSL
sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=$(cat $s/admin.jaas)
ssl.keystore.location=$s/kafka.p12
ssl.keystore.type=PKCS12
ssl.keystore.password=$store
ssl.key.password=$store
ssl.truststore.location=$s/truststore.p12
ssl.truststore.type=PKCS12
ssl.truststore.password=$store
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
super.users=User:vigil-admin;User:ANONYMOUS
allow.everyone.if.no.acl.found=false
log.dirs=$data
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
message.max.bytes=12582912
auto.create.topics.enable=false
PROPS
if [[ ! -f $data/meta.properties ]]; then
  mapfile -t scram < $s/scram.args
  $bin/kafka-storage.sh format -t "$(cat $s/cluster.id)" -c $conf "${scram[@]}"
fi
# the health check's client: the admin over TLS
cat > ${KAFKA_CONF_DIR:-/tmp}/admin.properties <<PROPS
security.protocol=SASL_SSL
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=$(cat $s/admin.jaas)
ssl.truststore.location=$s/truststore.p12
ssl.truststore.type=PKCS12
ssl.truststore.password=$store
PROPS
exec $bin/kafka-server-start.sh $conf
