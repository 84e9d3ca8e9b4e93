#!/usr/bin/env bash
# The fault and bad-input programs of the targets (R and S in TARGETS.md; docs/faults.md): starts
# the whole suite as `make run` does, but on fresh databases (onhand_<service>_faults), its own
# RabbitMQ virtual host (onhand-faults) and ports (+21000, below the ephemeral range tests draw from), runs each program, prints its counts
# and stops the suite. Exits non-zero when a program found an invariant broken.
#   scripts/faults.sh                 every program
#   FAULTS="s1 r3" scripts/faults.sh  some of them (r6 is also S3: the webhook program)
# r1 and r2 kill this machine's RabbitMQ and PostgreSQL (and start them again): nothing else should
# be using them meanwhile.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -f .onhand.env ]]; then set -a; . ./.onhand.env; set +a; fi
SERVICES=${FAULTS_SERVICES:-stock receiving fulfillment returns channel-sync}
export ONHAND_RUN_DIR=.run/faults ONHAND_PORT_OFFSET=21000 ONHAND_DB_SUFFIX=_faults
export ONHAND_RABBITMQ_VHOST=onhand-faults
# what a Secret would hold in production, made up for this run: a read-only API key (S2) and a
# Shopify channel's credentials (R6/S3); S5 then looks for them where no secret may be
export ONHAND_GATEWAY_KEYS_FAULTSREADER_HASH=$(printf %s faults-reader-key | sha256sum | cut -d' ' -f1)
export ONHAND_GATEWAY_KEYS_FAULTSREADER_SCOPES=inventory:read
export ONHAND_CHANNEL_FAULTS_SHOPIFY_TOKEN=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
export ONHAND_CHANNEL_FAULTS_SHOPIFY_HOOKS=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
export PGHOST=${ONHAND_DB_HOST:-127.0.0.1} PGPORT=${ONHAND_DB_PORT:-5432} PGUSER=${ONHAND_DB_USER:-postgres}
[[ -n "${ONHAND_DB_PASSWORD:-}" ]] && export PGPASSWORD=$ONHAND_DB_PASSWORD

log() { printf 'faults: %s\n' "$*" >&2; }
cleanup() { scripts/run.sh --stop >/dev/null 2>&1 || true; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# a fresh start: no rows and no queued messages from an earlier run
databases=()
for service in $SERVICES; do
  db="onhand_${service//-/_}_faults"
  psql -d postgres -qc "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null
  databases+=("$db")
done
rabbitmqctl -q delete_vhost "$ONHAND_RABBITMQ_VHOST" >/dev/null 2>&1 || true
scripts/infra.sh "${databases[@]}"

mkdir -p "$ONHAND_RUN_DIR"
log "starting the suite"
# shellcheck disable=SC2086
scripts/run.sh $SERVICES >"$ONHAND_RUN_DIR.out" 2>&1 || { cat "$ONHAND_RUN_DIR.out" >&2; exit 1; }
classpath="e2e/target/classes:$(cat e2e/target/classpath.txt)"
# shellcheck disable=SC2086
java -Xmx256m -cp "$classpath" dev.onhand.e2e.faults.Faults \
  "http://127.0.0.1:$((8080 + ONHAND_PORT_OFFSET))" "$ONHAND_RUN_DIR" ${FAULTS:-s1 s2 s4 r6 r5 r3 r4 r1 r2 s5}
