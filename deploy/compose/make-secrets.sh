#!/usr/bin/env bash
# One-shot, first start only: a private CA, the broker's TLS key pair signed by it (SAN kafka), a truststore for the
# clients, and a random SCRAM password per principal, written to the `kafka-secrets` volume. Nothing secret is in the
# compose files or the image. Runs in the vigil image (its JRE has keytool).
set -euo pipefail
out=${SECRETS_DIR:-/secrets}
if [[ -f $out/ready ]]; then
  echo "secrets exist in the kafka-secrets volume; remove the volume to make new ones"
  exit 0
fi
random() { head -c 24 /dev/urandom | base64 | tr -d '=+/' | cut -c1-24; }
store=$(random)
printf '%s' "$store" > $out/store.password
keytool -genkeypair -noprompt -alias ca -dname "CN=vigil-compose-ca" -keyalg RSA -keysize 3072 -validity 825 \
  -ext bc:c -keystore $out/ca.p12 -storetype PKCS12 -storepass "$store"
keytool -exportcert -rfc -alias ca -keystore $out/ca.p12 -storepass "$store" > $out/ca.pem
keytool -importcert -noprompt -alias ca -file $out/ca.pem -keystore $out/truststore.p12 -storetype PKCS12 \
  -storepass "$store"
keytool -genkeypair -noprompt -alias kafka -dname "CN=kafka" -keyalg RSA -keysize 3072 -validity 825 \
  -keystore $out/kafka.p12 -storetype PKCS12 -storepass "$store"
keytool -certreq -alias kafka -keystore $out/kafka.p12 -storepass "$store" \
  | keytool -gencert -rfc -alias ca -keystore $out/ca.p12 -storepass "$store" -ext san=dns:kafka,dns:localhost -validity 825 \
  > $out/kafka.pem
cat $out/ca.pem $out/kafka.pem | keytool -importcert -noprompt -alias kafka -keystore $out/kafka.p12 \
  -storepass "$store"
rm $out/ca.p12  # the CA's key signs nothing else
# one principal per stage (README: Kafka access control), plus the broker's own admin
: > $out/scram.args
for user in admin topics ingest inference matcher alerts console operator; do
  password=$(random)
  printf -- '--add-scram\nSCRAM-SHA-512=[name=vigil-%s,password=%s]\n' "$user" "$password" >> $out/scram.args
  printf 'org.apache.kafka.common.security.scram.ScramLoginModule required username="vigil-%s" password="%s";' \
    "$user" "$password" > $out/$user.jaas
done
head -c 16 /dev/urandom | base64 | tr '+/' '-_' | cut -c1-22 > $out/cluster.id
# the broker (uid 1000 in apache/kafka) and the stages (user vigil) read these; the volume is theirs alone
chmod 0444 $out/*
touch $out/ready
echo "made a CA, the broker's certificate and SCRAM users in the kafka-secrets volume"
