#!/usr/bin/env bash
# Runs once per `compose up` in the apache/kafka image, as the broker's own certificate (the one
# super user) on the BROKER listener. Idempotent. It creates:
# - the topics, and for each LAYAR service its SCRAM-SHA-512 user and ACLs, as
#   deploy/kafka/layar-kafka.txt lists them (generated from the topic table by
#   `layarctl kafka-config compose`): each service writes only the topics it owns and reads only
#   those it consumes; the password of user U is the file $LAYAR_KAFKA_USERS_DIR/U;
# - one SCRAM-SHA-512 user per partner agency (deploy/.secrets/partners.txt: "agency password")
#   with its prefixed ACLs (Read/Describe on its topics, Read on its consumer groups), so an agency
#   reads its own offers and no one else's.
set -euo pipefail
bootstrap=${KAFKA_BOOTSTRAP:-kafka:9091}
admin=(--bootstrap-server "$bootstrap" --command-config "${KAFKA_ADMIN_CONFIG:-/etc/kafka/secrets/admin.properties}")
partitions=${LAYAR_TOPIC_PARTITIONS:-6}
table=${LAYAR_KAFKA_TABLE:-/run/layar/layar-kafka.txt}
users_dir=${LAYAR_KAFKA_USERS_DIR:-/run/layar/kafka-users}
bin=${KAFKA_BIN:-/opt/kafka/bin}

for _ in $(seq 60); do "$bin/kafka-topics.sh" "${admin[@]}" --list >/dev/null 2>&1 && break; sleep 2; done

add_scram_user() {  # user password
  "$bin/kafka-configs.sh" "${admin[@]}" --alter --entity-type users --entity-name "$1" \
    --add-config "SCRAM-SHA-512=[iterations=8192,password=$2]" >/dev/null
}

topics=0 users=0 acls=0
while read -r kind first rest; do
  case "$kind" in
    topic)
      "$bin/kafka-topics.sh" "${admin[@]}" --create --if-not-exists --topic "$first" \
        --partitions "$partitions" --replication-factor 1 --config min.insync.replicas=1 >/dev/null
      topics=$((topics + 1)) ;;
    user)
      [ -s "$users_dir/$first" ] || { echo "no password file $users_dir/$first for Kafka user $first" >&2; exit 1; }
      add_scram_user "$first" "$(tr -d '\n' < "$users_dir/$first")"
      users=$((users + 1)) ;;
    acl)  # acl <principal> <topic|group> <literal|prefixed> <name> <Operation,...>
      read -r resource pattern name operations <<< "$rest"
      operation_flags=()
      for operation in ${operations//,/ }; do operation_flags+=(--operation "$operation"); done
      "$bin/kafka-acls.sh" "${admin[@]}" --add --allow-principal "User:$first" "${operation_flags[@]}" \
        "--$resource" "$name" --resource-pattern-type "$pattern" >/dev/null
      acls=$((acls + 1)) ;;
  esac
done < "$table"
echo "from $table: $topics topics with $partitions partitions, $users users, $acls ACLs"

# Partner users: lines "agency password" (deploy/dev-secrets.sh writes a sample one).
while read -r agency password; do
  case "$agency" in ''|'#'*) continue ;; esac
  add_scram_user "$agency" "$password"
  "$bin/kafka-acls.sh" "${admin[@]}" --add --allow-principal "User:$agency" \
    --operation Read --operation Describe --topic "layar.partner.$agency." --resource-pattern-type prefixed >/dev/null
  "$bin/kafka-acls.sh" "${admin[@]}" --add --allow-principal "User:$agency" \
    --operation Read --group "layar.partner.$agency." --resource-pattern-type prefixed >/dev/null
  echo "partner user $agency: read layar.partner.$agency.* and groups layar.partner.$agency.*"
done < "${LAYAR_PARTNERS_FILE:-/run/layar/partners.txt}"
