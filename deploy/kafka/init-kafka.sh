#!/usr/bin/env bash
# Runs once per `compose up` in the apache/kafka image, against the internal listener (the
# platform's super-user principal): creates LAYAR's topics, one SCRAM-SHA-512 user per partner
# agency, and the agency's prefixed ACLs (Read/Describe on its topics, Read on its consumer
# groups) so an agency reads its own offers and no one else's. Idempotent.
set -euo pipefail
bootstrap=${KAFKA_BOOTSTRAP:-kafka:9092}
partitions=${LAYAR_TOPIC_PARTITIONS:-6}
bin=/opt/kafka/bin

for _ in $(seq 60); do "$bin/kafka-topics.sh" --bootstrap-server "$bootstrap" --list >/dev/null 2>&1 && break; sleep 2; done

# The services' topics (LayarTopic) and each seeded institution's offer topic.
topics=(layar.intake.referrals.v1 layar.intake.contacts.v1 layar.verification.results.v1 layar.assignment.cases.v1
        layar.survey.invitations.v1 layar.notification.deliveries.v1 layar.intake.privacy.v1 layar.privacy.answers.v1)
agencies=(sentra-budi-luhur rsj-sambang-lihum bnnk-balangan pprslu-budi-sejahtera prs-fajar-harapan prspd-iskaya-banaran
          pprsar-mulia-satria)
for agency in "${agencies[@]}"; do topics+=("layar.partner.$agency.referrals.v1"); done
for topic in "${topics[@]}"; do
  "$bin/kafka-topics.sh" --bootstrap-server "$bootstrap" --create --if-not-exists --topic "$topic" \
    --partitions "$partitions" --replication-factor 1 --config min.insync.replicas=1 >/dev/null
done
echo "topics: ${#topics[@]} with $partitions partitions"

# Partner users: lines "agency password" (deploy/dev-secrets.sh writes a sample one).
while read -r agency password; do
  case "$agency" in ''|'#'*) continue ;; esac
  "$bin/kafka-configs.sh" --bootstrap-server "$bootstrap" --alter --entity-type users --entity-name "$agency" \
    --add-config "SCRAM-SHA-512=[iterations=8192,password=$password]" >/dev/null
  "$bin/kafka-acls.sh" --bootstrap-server "$bootstrap" --add --allow-principal "User:$agency" \
    --operation Read --operation Describe --topic "layar.partner.$agency." --resource-pattern-type prefixed >/dev/null
  "$bin/kafka-acls.sh" --bootstrap-server "$bootstrap" --add --allow-principal "User:$agency" \
    --operation Read --group "layar.partner.$agency." --resource-pattern-type prefixed >/dev/null
  echo "partner user $agency: read layar.partner.$agency.* and groups layar.partner.$agency.*"
done < "${LAYAR_PARTNERS_FILE:-/run/layar/partners.txt}"
