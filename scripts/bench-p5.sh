#!/usr/bin/env bash
# Benchmark P5 of the targets: the whole suite on one machine. Starts every service and the gateway
# exactly as `make run` does (scripts/run.sh), but on fresh databases of its own
# (onhand_<service>_p5), the RabbitMQ virtual host onhand-bench and ports +22000 (below the ephemeral range), and prints:
#   - startup: from the first java process to all ready, against the same-run baseline of the
#     stock service started alone the same way;
#   - the resident memory (RSS) of each JVM idle, and again after a P1-like load (64 clients
#     reserving one hot SKU until it is sold out, through the gateway).
# Appends its lines to $BENCH_RESULTS when set (scripts/bench.sh does).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -f .onhand.env ]]; then set -a; . ./.onhand.env; set +a; fi
SERVICES=${P5_SERVICES:-stock receiving fulfillment returns channel-sync}
RESULTS=${BENCH_RESULTS:-/dev/null}
export ONHAND_RUN_DIR=.run/bench-p5 ONHAND_PORT_OFFSET=22000 ONHAND_DB_SUFFIX=_p5
export ONHAND_RABBITMQ_VHOST=onhand-bench
export PGHOST=${ONHAND_DB_HOST:-127.0.0.1} PGPORT=${ONHAND_DB_PORT:-5432} PGUSER=${ONHAND_DB_USER:-postgres}
[[ -n "${ONHAND_DB_PASSWORD:-}" ]] && export PGPASSWORD=$ONHAND_DB_PASSWORD
GATEWAY=http://127.0.0.1:$((8080 + ONHAND_PORT_OFFSET))

say() { echo "$*" | tee -a "$RESULTS"; }
cleanup() { scripts/run.sh --stop >/dev/null 2>&1 || true; }
trap cleanup EXIT

fresh_databases() {
  local dbs=()
  for s in $SERVICES; do
    local db="onhand_${s//-/_}_p5"
    psql -d postgres -qc "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1
    dbs+=("$db")
  done
  scripts/infra.sh "${dbs[@]}" >/dev/null
}

# milliseconds from scripts/run.sh's own "ready in N ms" line
started_in() { sed -nE 's/.*ready in ([0-9]+) ms.*/\1/p' "$1"; }

rss_mb() { # name
  local pid
  pid=$(cat "$ONHAND_RUN_DIR/$1.pid")
  awk '/VmRSS/ {printf "%d", $2 / 1024}' "/proc/$pid/status"
}

rss_line() { # label
  local line="  RSS $1:" name
  for name in $SERVICES gateway; do line+=" $name $(rss_mb "$name") MB,"; done
  say "${line%,}"
}

mkdir -p "$ONHAND_RUN_DIR"
fresh_databases
# the baseline: one service alone, the same way
scripts/run.sh stock >"$ONHAND_RUN_DIR/baseline.out" 2>&1
baseline=$(started_in "$ONHAND_RUN_DIR/baseline.out")
scripts/run.sh --stop >/dev/null
fresh_databases
# shellcheck disable=SC2086
scripts/run.sh $SERVICES >"$ONHAND_RUN_DIR/suite.out" 2>&1
suite=$(started_in "$ONHAND_RUN_DIR/suite.out")
say "P5 startup: the whole suite ($(wc -w <<<"$SERVICES") services + gateway) all ready in ${suite} ms; baseline, stock with its gateway alone: ${baseline} ms (target: all ready < 30 s)"
sleep 5
rss_line "idle"
classpath="e2e/target/classes:$(cat e2e/target/classpath.txt)"
BENCH_API_KEY=onhand-dev-key java -Xmx256m -XX:+UseSerialGC -cp "$classpath" dev.onhand.e2e.bench.HotSkuBench \
  --label P5-load --ports $((8080 + ONHAND_PORT_OFFSET)) --sku HOT-P5 --warm-sku WARM-P5 --stock 10000 \
  --clients 64 --warmup-seconds 5 >"$ONHAND_RUN_DIR/load.out" 2>"$ONHAND_RUN_DIR/load.log" \
  || { echo "P5: the load did not run; see $ONHAND_RUN_DIR/load.*" >&2; exit 1; }
sed -e 's/^/  load: /' -e 's/ | baseline.*//' "$ONHAND_RUN_DIR/load.out" | tee -a "$RESULTS"
rss_line "after the P1 load"
say "  (target: each JVM under 300 MB idle; java options: ${JAVA_OPTS:--Xmx192m -XX:+UseSerialGC})"
