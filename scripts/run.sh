#!/usr/bin/env bash
# Starts the packaged services, each on its own port, waits until all are ready and keeps them in
# the foreground; Ctrl-C (or `scripts/run.sh --stop`) stops them.
#   scripts/run.sh stock [receiving ...]
set -euo pipefail
cd "$(dirname "$0")/.."
RUN_DIR=.run
mkdir -p "$RUN_DIR"

declare -A PORT=([stock]=8081 [receiving]=8082 [fulfillment]=8083 [returns]=8084 [channel-sync]=8085 [gateway]=8080)

stop_all() {
  for pidfile in "$RUN_DIR"/*.pid; do
    [[ -f "$pidfile" ]] || continue
    kill "$(cat "$pidfile")" 2>/dev/null || true
    rm -f "$pidfile"
  done
}

if [[ "${1:-}" == --stop ]]; then stop_all; exit 0; fi
stop_all
trap 'echo; echo "stopping"; stop_all; exit 0' INT TERM

JAVA_OPTS=${JAVA_OPTS:--Xmx192m -XX:+UseSerialGC}
started=$(date +%s%N)
for service in "$@"; do
  jar=services/$service/target/quarkus-app/quarkus-run.jar
  [[ -f $jar ]] || { echo "missing $jar: run make build" >&2; exit 1; }
  ONHAND_HTTP_PORT=${PORT[$service]} ONHAND_JSON_LOGS=${ONHAND_JSON_LOGS:-false} \
    java $JAVA_OPTS -jar "$jar" >"$RUN_DIR/$service.log" 2>&1 &
  echo $! >"$RUN_DIR/$service.pid"
done

for service in "$@"; do
  url=http://127.0.0.1:${PORT[$service]}/q/health/ready
  for _ in $(seq 1 600); do
    if curl -fs "$url" >/dev/null 2>&1; then break; fi
    if ! kill -0 "$(cat "$RUN_DIR/$service.pid")" 2>/dev/null; then
      echo "$service failed to start; see $RUN_DIR/$service.log" >&2
      tail -n 30 "$RUN_DIR/$service.log" >&2
      stop_all
      exit 1
    fi
    sleep 0.1
  done
  curl -fs "$url" >/dev/null || { echo "$service not ready; see $RUN_DIR/$service.log" >&2; stop_all; exit 1; }
  echo "$service ready on http://127.0.0.1:${PORT[$service]} (API /api/v1, OpenAPI /q/openapi, metrics /q/metrics)"
done
echo "all ready in $(( ($(date +%s%N) - started) / 1000000 )) ms; logs in $RUN_DIR/; Ctrl-C stops"
wait
