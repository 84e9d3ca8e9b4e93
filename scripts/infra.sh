#!/usr/bin/env bash
# Makes sure the local PostgreSQL and RabbitMQ this suite needs are installed, running and set up:
# installs them with apt on Debian when absent (as root), starts them when stopped, and creates each
# service's databases if missing. Safe to run any number of times.
#
#   scripts/infra.sh [database ...]
set -euo pipefail
cd "$(dirname "$0")/.."
# settings this script chose on an earlier run (see ensure_tcp_login)
if [[ -f .onhand.env ]]; then set -a; . ./.onhand.env; set +a; fi

PGHOST=${ONHAND_DB_HOST:-127.0.0.1}
PGPORT=${ONHAND_DB_PORT:-5432}
PGUSER=${ONHAND_DB_USER:-postgres}
RABBIT_HOST=${ONHAND_RABBITMQ_HOST:-127.0.0.1}
RABBIT_PORT=${ONHAND_RABBITMQ_PORT:-5672}
export PGHOST PGPORT PGUSER
[[ -n "${ONHAND_DB_PASSWORD:-}" ]] && export PGPASSWORD=$ONHAND_DB_PASSWORD

log() { printf 'infra: %s\n' "$*" >&2; }

is_local() { [[ "$1" == 127.0.0.1 || "$1" == localhost || "$1" == ::1 ]]; }

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

apt_install() {
  if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
    log "$1 is not installed; install it (Debian: apt-get install -y $1) and run again"
    exit 1
  fi
  log "installing $1"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null
}

wait_for() { # name host port seconds
  local i
  for ((i = 0; i < $4 * 10; i++)); do
    port_open "$2" "$3" && return 0
    sleep 0.1
  done
  log "$1 did not open $2:$3 within $4 s"
  exit 1
}

ensure_postgres() {
  if port_open "$PGHOST" "$PGPORT"; then return; fi
  is_local "$PGHOST" || { log "PostgreSQL at $PGHOST:$PGPORT is unreachable"; exit 1; }
  command -v pg_ctlcluster >/dev/null || apt_install postgresql
  local version
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  log "starting PostgreSQL $version"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  wait_for PostgreSQL "$PGHOST" "$PGPORT" 30
}

ensure_tcp_login() {
  # a fresh Debian install lets postgres log in by socket only; the services connect over TCP
  psql -d postgres -Atqc 'SELECT 1' >/dev/null 2>&1 && return
  if [[ $(id -u) -eq 0 ]] && is_local "$PGHOST" && command -v runuser >/dev/null; then
    log "giving $PGUSER a local password for TCP logins (kept in .onhand.env)"
    runuser -u postgres -- psql -Atqc "ALTER USER \"$PGUSER\" PASSWORD 'onhand-local'" >/dev/null
    echo "ONHAND_DB_PASSWORD=onhand-local" > .onhand.env
    export PGPASSWORD=onhand-local
    psql -d postgres -Atqc 'SELECT 1' >/dev/null && return
  fi
  log "cannot log in to PostgreSQL at $PGHOST:$PGPORT as $PGUSER; set ONHAND_DB_USER/ONHAND_DB_PASSWORD"
  exit 1
}

ensure_rabbitmq() {
  if port_open "$RABBIT_HOST" "$RABBIT_PORT"; then return; fi
  is_local "$RABBIT_HOST" || { log "RabbitMQ at $RABBIT_HOST:$RABBIT_PORT is unreachable"; exit 1; }
  command -v rabbitmq-server >/dev/null || apt_install rabbitmq-server
  log "starting RabbitMQ"
  rabbitmq-server -detached >/dev/null 2>&1 || true
  rabbitmqctl await_startup >/dev/null 2>&1 || true
  wait_for RabbitMQ "$RABBIT_HOST" "$RABBIT_PORT" 60
}

ensure_vhost() {
  # the tests' own virtual host; creating one needs rabbitmqctl on the broker's machine
  local vhost=$1 user=${ONHAND_RABBITMQ_USER:-guest}
  if ! command -v rabbitmqctl >/dev/null || ! is_local "$RABBIT_HOST"; then
    log "cannot create RabbitMQ virtual host $vhost here; create it (with permissions for $user) on the broker"
    return
  fi
  local vhosts
  if ! vhosts=$(rabbitmqctl -q list_vhosts 2>/dev/null); then
    log "rabbitmqctl cannot reach the broker (run as root?); create virtual host $vhost for $user"
    return
  fi
  if ! grep -qx "$vhost" <<<"$vhosts"; then
    log "creating RabbitMQ virtual host $vhost"
    rabbitmqctl -q add_vhost "$vhost" >/dev/null
  fi
  rabbitmqctl -q set_permissions -p "$vhost" "$user" '.*' '.*' '.*' >/dev/null
}

ensure_database() {
  local db=$1
  if [[ $(psql -d postgres -Atqc "SELECT 1 FROM pg_database WHERE datname = '$db'") != 1 ]]; then
    log "creating database $db"
    psql -d postgres -qc "CREATE DATABASE \"$db\"" >/dev/null 2>&1 \
      || [[ $(psql -d postgres -Atqc "SELECT 1 FROM pg_database WHERE datname = '$db'") == 1 ]]
  fi
}

ensure_postgres
ensure_tcp_login
ensure_rabbitmq
for db in "$@"; do ensure_database "$db"; done
for vhost in ${ONHAND_RABBITMQ_TEST_VHOST:-onhand-test} ${ONHAND_RABBITMQ_BENCH_VHOST:-onhand-bench} \
  ${ONHAND_RABBITMQ_E2E_VHOST:-onhand-e2e} ${ONHAND_RABBITMQ_FAULTS_VHOST:-onhand-faults}; do
  ensure_vhost "$vhost"
done
log "PostgreSQL $PGHOST:$PGPORT and RabbitMQ $RABBIT_HOST:$RABBIT_PORT ready${*:+; databases: $*}"
