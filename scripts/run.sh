#!/usr/bin/env bash
# Starts the packaged services and the gateway in the background, each on its own port with a
# bounded heap, waits until all are ready and prints where to reach them. `scripts/run.sh --stop`
# (make stop) stops them.
#   scripts/run.sh stock [receiving ...]        the gateway is started in front of them
# A second suite can run beside the first (the end-to-end tests do): ONHAND_RUN_DIR (where pids
# and logs go, .run), ONHAND_PORT_OFFSET (added to every port, 0), ONHAND_DB_SUFFIX (appended to
# every database name, e.g. _e2e) and ONHAND_RABBITMQ_VHOST (the broker's virtual host, /).
set -euo pipefail
cd "$(dirname "$0")/.."
RUN_DIR=${ONHAND_RUN_DIR:-.run}
mkdir -p "$RUN_DIR"

declare -A PORT=([gateway]=8080 [stock]=8081 [receiving]=8082 [fulfillment]=8083 [returns]=8084 [channel-sync]=8085)
for name in "${!PORT[@]}"; do PORT[$name]=$(( PORT[$name] + ${ONHAND_PORT_OFFSET:-0} )); done
DEV_KEY=onhand-dev-key

stop_all() {
  for pidfile in "$RUN_DIR"/*.pid; do
    [[ -f "$pidfile" ]] || continue
    local pid
    pid=$(cat "$pidfile")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    rm -f "$pidfile"
  done
}

if [[ "${1:-}" == --stop ]]; then stop_all; echo "stopped"; exit 0; fi
# --restart <service>: start one service of a running suite again (after it crashed or was
# killed), leaving the others alone; the fault programs use it
restart=""
if [[ "${1:-}" == --restart ]]; then restart=${2:?--restart needs a service}; else stop_all; fi

JAVA_OPTS=${JAVA_OPTS:--Xmx192m -XX:+UseSerialGC}
started=$(date +%s%N)

start() { # name jar [env...]
  local name=$1 jar=$2
  shift 2
  [[ -f $jar ]] || { echo "missing $jar: run make build" >&2; exit 1; }
  env ONHAND_HTTP_PORT="${PORT[$name]}" ONHAND_JSON_LOGS="${ONHAND_JSON_LOGS:-false}" "$@" \
    java $JAVA_OPTS -jar "$jar" >"$RUN_DIR/$name.log" 2>&1 &
  echo $! >"$RUN_DIR/$name.pid"
}

await_ready() { # name
  local name=$1 url=http://127.0.0.1:${PORT[$1]}/q/health/ready
  for _ in $(seq 1 600); do
    if curl -fs "$url" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$(cat "$RUN_DIR/$name.pid")" 2>/dev/null; then break; fi
    sleep 0.1
  done
  echo "$name did not become ready; see $RUN_DIR/$name.log" >&2
  tail -n 30 "$RUN_DIR/$name.log" >&2
  stop_all
  exit 1
}

service_jar() { echo "services/$1/target/quarkus-app/quarkus-run.jar"; }
service_db() { echo "ONHAND_DB_NAME=onhand_${1//-/_}${ONHAND_DB_SUFFIX:-}"; }
if [[ -n $restart ]]; then
  start "$restart" "$(service_jar "$restart")" "$(service_db "$restart")"
  await_ready "$restart"
  echo "$restart restarted"
  exit 0
fi

upstreams=()
for service in "$@"; do
  start "$service" "$(service_jar "$service")" "$(service_db "$service")"
  upper=$(tr 'a-z-' 'A-Z_' <<<"$service")
  upstreams+=("ONHAND_${upper}_URL=http://127.0.0.1:${PORT[$service]}")
done
for service in "$@"; do await_ready "$service"; done
# the local profile holds the development key; the production profile refuses to start with it
start gateway gateway/target/quarkus-app/quarkus-run.jar QUARKUS_PROFILE=local "${upstreams[@]}"
await_ready gateway

cat <<MSG
Onhand is running (ready in $(( ($(date +%s%N) - started) / 1000000 )) ms).
  API        http://127.0.0.1:${PORT[gateway]}/api/v1   (Authorization: Bearer $DEV_KEY)
  API docs   http://127.0.0.1:${PORT[gateway]}/api/docs
  services   $(for s in "$@"; do printf '%s :%s  ' "$s" "${PORT[$s]}"; done)
  logs       $RUN_DIR/*.log
  try        curl -H 'Authorization: Bearer $DEV_KEY' http://127.0.0.1:${PORT[gateway]}/api/v1/locations
  stop       make stop
MSG
