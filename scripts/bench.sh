#!/usr/bin/env bash
# The benchmarks of docs/benchmarks.md (targets P1, P2, P3 and P4 of the spec), each printed as one line
# with its baseline measured in this same run. Starts its own stock instances on a fresh database
# (onhand_stock_bench) and RabbitMQ virtual host (onhand-bench), so it never touches the data or the
# queues of `make run` or of tests, and stops them on exit.
#   scripts/bench.sh            (make bench builds first)
#   BENCH_ONLY=p1 scripts/bench.sh   only P1: its pgbench baseline, then one and two instances
#   BENCH_ONLY=p2 scripts/bench.sh   only what P2 needs: P1 1-instance (its direct baseline), P2
#   BENCH_ONLY=p4 scripts/bench.sh   only P4 (adjustments over 1,000 SKUs against pgbench) and its ledger check
#   BENCH_ONLY=p5 scripts/bench.sh   only P5 (scripts/bench-p5.sh: the whole suite's startup and memory)
#   BENCH_ONLY=p3 scripts/bench.sh   only P3 (stock, fulfillment, channel-sync and the gateway of its
#                                    own, fresh databases onhand_<service>_bench, channel stubs)
# Exits non-zero only when something failed to run (a service that would not start, a hang, pgbench
# failing); never because of a figure.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -f .onhand.env ]]; then set -a; . ./.onhand.env; set +a; fi

export PGHOST=${ONHAND_DB_HOST:-127.0.0.1} PGPORT=${ONHAND_DB_PORT:-5432} PGUSER=${ONHAND_DB_USER:-postgres}
[[ -n "${ONHAND_DB_PASSWORD:-}" ]] && export PGPASSWORD=$ONHAND_DB_PASSWORD
DB=onhand_stock_bench
VHOST=onhand-bench
PORTS=(18081 18082)
RUN_DIR=.run/bench
STOCK_OPTS=${BENCH_STOCK_JAVA_OPTS:--Xmx256m -XX:+UseSerialGC}
CLIENT_OPTS=${BENCH_CLIENT_JAVA_OPTS:--Xmx256m -XX:+UseSerialGC}
WARMUP_SECONDS=${BENCH_WARMUP_SECONDS:-60}
P4_SECONDS=${BENCH_P4_SECONDS:-15}
GATEWAY_OPTS=${BENCH_GATEWAY_JAVA_OPTS:-$STOCK_OPTS}
GATEWAY_ACCESS_LOG=${BENCH_GATEWAY_ACCESS_LOG:-false}
GATEWAY_APP=${BENCH_GATEWAY_APP:-gateway/target/quarkus-app}
P2_LATENCY_REQUESTS=${BENCH_P2_LATENCY_REQUESTS:-3000}
# reservations at one client, spaced so each one's outbox relay has finished (GatewayLatencyBench)
P2_LATENCY_WRITES=${BENCH_P2_LATENCY_WRITES:-1500}
P3_SECONDS=${BENCH_P3_SECONDS:-20}
P3_DRAIN_SECONDS=${BENCH_P3_DRAIN_SECONDS:-60}
P3_WARMUP_SECONDS=${BENCH_P3_WARMUP_SECONDS:-15}
# P3's own suite: ports no other scenario uses
declare -A P3_PORT=([gateway]=18090 [stock]=18091 [fulfillment]=18093 [channel-sync]=18095)
ONLY=${BENCH_ONLY:-all}
[[ $ONLY =~ ^(all|p1|p2|p3|p4|p5)$ ]] || { echo "BENCH_ONLY must be all, p1, p2, p3, p4 or p5" >&2; exit 2; }
RESULTS=$RUN_DIR/results.txt

log() { printf 'bench: %s\n' "$*" >&2; }
failures=()
failed() { log "FAILED: $*"; failures+=("$*"); }

declare -A PIDS=()
stop_stock() { # port
  local pid=${PIDS[$1]:-}
  [[ -n $pid ]] || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  unset "PIDS[$1]"
}
cleanup() {
  for port in "${!PIDS[@]}"; do stop_stock "$port"; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_stock() { # port
  local port=$1
  ONHAND_RABBITMQ_VHOST=$VHOST \
  ONHAND_HTTP_PORT=$port ONHAND_DB_NAME=$DB ONHAND_JSON_LOGS=false \
    java $STOCK_OPTS -jar "$RUN_DIR/stock-app/quarkus-run.jar" >"$RUN_DIR/stock-$port.log" 2>&1 &
  PIDS[$port]=$!
  await_ready stock "$port"
}

await_ready() { # name port: waits for /q/health/ready, or exits when the process died
  local name=$1 port=$2 pid=${PIDS[$2]}
  for _ in $(seq 1 600); do
    if curl -fs "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1; then
      log "$name ready on :$port (pid $pid, log $RUN_DIR/$name-$port.log)"
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then break; fi
    sleep 0.1
  done
  tail -n 30 "$RUN_DIR/$name-$port.log" >&2
  log "$name on :$port did not become ready; see $RUN_DIR/$name-$port.log"
  exit 1
}

start_gateway() { # port upstream-port
  local port=$1 upstream=$2
  # a key for the load only, allowed far more than the load can send; the local profile is the
  # one `make run` uses
  java $GATEWAY_OPTS -Dquarkus.profile=local -Donhand.gateway.keys.bench.hash="$(printf %s "$BENCH_KEY" | sha256sum | cut -d' ' -f1)" \
    -Donhand.gateway.keys.bench.scopes=admin -Donhand.gateway.keys.bench.rate-per-second=1000000 \
    -Donhand.gateway.keys.bench.burst=1000000 -Dquarkus.http.access-log.enabled="$GATEWAY_ACCESS_LOG" \
    -Donhand.gateway.upstreams.stock.url="http://127.0.0.1:$upstream" -Dquarkus.http.port="$port" \
    -jar "$RUN_DIR/gateway-app/quarkus-run.jar" >"$RUN_DIR/gateway-$port.log" 2>&1 &
  PIDS[$port]=$!
  await_ready gateway "$port"
}
BENCH_KEY=bench-$(date +%s%N)
GATEWAY_PORT=18080

# CPU (clock ticks) spent so far by the stock instances, the gateway, PostgreSQL (live processes plus the exited
# backends the postmaster reaped), RabbitMQ and the whole machine, so each scenario shows where the
# two cores went. The machine is shared: other sessions' work shows up in "the rest".
TICKS=$(getconf CLK_TCK)
ticks_of() { # pid...
  local total=0 pid
  for pid in "$@"; do
    total=$((total + $(awk '{print $14 + $15 + $16 + $17}' "/proc/$pid/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}
cpu_snapshot() {
  local user nice system idle iowait irq softirq steal port stock=()
  read -r _ user nice system idle iowait irq softirq steal _ </proc/stat
  for port in "${!PIDS[@]}"; do [[ $port == "$GATEWAY_PORT" ]] || stock+=("${PIDS[$port]}"); done
  echo "$(ticks_of "${stock[@]}") $(ticks_of ${PIDS[$GATEWAY_PORT]:-}) $(ticks_of $(pgrep -u postgres || true))" \
    "$(ticks_of $(pgrep -u rabbitmq || true))" \
    "$((user + nice + system + irq + softirq + steal)) $((user + nice + system + idle + iowait + irq + softirq + steal))" \
    "$(date +%s%N)"
}
cpu_report() { # label "snapshot before" [state file with requests=N]
  local label=$1 s0 g0 p0 r0 b0 t0 n0 s1 g1 p1 r1 b1 t1 n1 requests=0
  read -r s0 g0 p0 r0 b0 t0 n0 <<<"$2"
  read -r s1 g1 p1 r1 b1 t1 n1 <<<"$(cpu_snapshot)"
  [[ -n ${3:-} && -f ${3:-} ]] && requests=$(sed -nE 's/^requests=//p' "$3")
  awk -v l="$label" -v s=$((s1 - s0)) -v g=$((g1 - g0)) -v p=$((p1 - p0)) -v r=$((r1 - r0)) -v b=$((b1 - b0)) \
      -v t=$((t1 - t0)) -v w=$((n1 - n0)) -v hz="$TICKS" -v n="${requests:-0}" 'BEGIN {
    printf "  cpu %s: %.1f s wall, machine %.0f%% busy; CPU s: stock %.1f,", l, w / 1e9, (t > 0 ? 100 * b / t : 0), s / hz
    if (g > 0) printf " gateway %.1f,", g / hz
    printf " postgres %.1f, rabbitmq %.1f, the rest (load generator or pgbench, other sessions) %.1f",
      p / hz, r / hz, (b - s - g - p - r) / hz
    if (n > 0) {
      printf "; per request (%d): stock %.2f ms,", n, 1000 * s / hz / n
      if (g > 0) printf " gateway %.2f ms,", 1000 * g / hz / n
      printf " postgres %.2f ms", 1000 * p / hz / n
    }
    printf "\n" }' | tee -a "$RESULTS" || true
}

sql() { psql -d "$DB" -v ON_ERROR_STOP=1 -Atq "$@"; }

# runs a benchmark program; its figure lines go to the terminal and to the results file
bench() { # label main-class args...
  local label=$1 rc=0
  shift
  java $CLIENT_OPTS -cp "$CLASSPATH" "$@" 2> >(tee -a "$RUN_DIR/bench-client.log" >&2) | tee -a "$RESULTS" || rc=$?
  [[ $rc -eq 0 ]] || failed "$label exited $rc"
}

field() { sed -nE "s#.* $1=([0-9.-]+).*#\1#p" <<<"$2"; }

TPS=0
run_pgbench() { # label output-file pgbench-args...; sets TPS
  local label=$1 out=$2
  shift 2
  TPS=0
  if ! pgbench "$@" "$DB" >"$out" 2>&1; then
    tail -n 20 "$out" >&2
    failed "pgbench $label (see $out)"
    return 0
  fi
  TPS=$(sed -nE 's/^tps = ([0-9.]+).*/\1/p' "$out" | head -n 1)
  if [[ -z $TPS ]] || grep -qE '^number of failed transactions: [1-9]' "$out"; then
    tail -n 20 "$out" >&2
    failed "pgbench $label reported failures (see $out)"
  fi
  TPS=${TPS:-0}
  log "pgbench $label: tps=$TPS"
}

# P1's baseline, the naive loop on bench_hot; one definition, so before and after measure the same
p1_pgbench() { # label output-file; sets TPS
  run_pgbench "$1" "$2" -c 64 -j 2 -T 10 -n -f e2e/src/main/pgbench/p1-naive-update.sql
}

# the end of a run: stop everything, repeat the figures, exit non-zero only if something failed to run
finish() {
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$RESULTS"
  cleanup
  echo
  echo "== results (also in $RESULTS; logs in $RUN_DIR/) =="
  cat "$RESULTS"
  if ((${#failures[@]})); then
    printf 'bench: did not run cleanly: %s\n' "${failures[@]}" >&2
    exit 1
  fi
  exit 0
}

# --- P3: orders through the gateway, and how soon three stubbed channels show the new quantity ---
start_service() { # name port database [env...]: a packaged service of .run/bench on the bench vhost
  local name=$1 port=$2 db=$3
  shift 3
  env ONHAND_RABBITMQ_VHOST="$VHOST" ONHAND_HTTP_PORT="$port" ONHAND_DB_NAME="$db" ONHAND_JSON_LOGS=false "$@" \
    java $STOCK_OPTS -jar "$RUN_DIR/$name-app/quarkus-run.jar" >"$RUN_DIR/$name-$port.log" 2>&1 &
  PIDS[$port]=$!
  await_ready "$name" "$port"
}
p3_cpu_snapshot() { # CPU ticks of each P3 JVM, PostgreSQL, RabbitMQ, the machine (busy, total), and the time
  local user nice system idle iowait irq softirq steal name out=""
  read -r _ user nice system idle iowait irq softirq steal _ </proc/stat
  for name in stock fulfillment channel-sync gateway; do out+="$(ticks_of ${PIDS[${P3_PORT[$name]}]:-}) "; done
  echo "$out$(ticks_of $(pgrep -u postgres || true)) $(ticks_of $(pgrep -u rabbitmq || true))" \
    "$((user + nice + system + irq + softirq + steal)) $((user + nice + system + idle + iowait + irq + softirq + steal))" \
    "$(date +%s%N)"
}
p3_cpu_report() { # label "snapshot before"
  local a b
  read -r -a a <<<"$2"
  read -r -a b <<<"$(p3_cpu_snapshot)"
  awk -v l="$1" -v hz="$TICKS" -v st=$((b[0] - a[0])) -v fu=$((b[1] - a[1])) -v cs=$((b[2] - a[2])) \
      -v gw=$((b[3] - a[3])) -v pg=$((b[4] - a[4])) -v rq=$((b[5] - a[5])) -v busy=$((b[6] - a[6])) \
      -v all=$((b[7] - a[7])) -v w=$((b[8] - a[8])) 'BEGIN {
    printf "  cpu %s: %.1f s wall, machine %.0f%% busy; CPU s: stock %.1f, fulfillment %.1f, channel-sync %.1f, gateway %.1f, postgres %.1f, rabbitmq %.1f, the rest (bench program with the stubs, other sessions) %.1f\n",
      l, w / 1e9, (all > 0 ? 100 * busy / all : 0), st / hz, fu / hz, cs / hz, gw / hz, pg / hz, rq / hz,
      (busy - st - fu - cs - gw - pg - rq) / hz }' | tee -a "$RESULTS" || true
}
# The bench's virtual host, emptied: P3's consumers leave their queues bound to the exchanges when
# they stop, and stock events published later (P1, P2, P4 of the next run) would pile up in them,
# costing RabbitMQ CPU that the figures would count.
fresh_vhost() {
  rabbitmqctl -q delete_vhost "$VHOST" >/dev/null 2>&1 || true
  rabbitmqctl -q add_vhost "$VHOST" >/dev/null
  rabbitmqctl -q set_permissions -p "$VHOST" "${ONHAND_RABBITMQ_USER:-guest}" '.*' '.*' '.*' >/dev/null
}
run_p3() {
  # P1 and P4's stock consumes the same queue names on the vhost: it must not take P3's messages
  stop_stock "${PORTS[0]}"
  if command -v rabbitmqctl >/dev/null; then
    fresh_vhost
  fi
  local service db
  for service in stock fulfillment channel_sync; do
    db=onhand_${service}_bench
    psql -d postgres -v ON_ERROR_STOP=1 -q -c "SET client_min_messages = warning" \
      -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
  done
  log "P3: fresh databases onhand_{stock,fulfillment,channel_sync}_bench and vhost $VHOST"
  start_service stock "${P3_PORT[stock]}" onhand_stock_bench
  start_service fulfillment "${P3_PORT[fulfillment]}" onhand_fulfillment_bench
  # the channels' credentials are env: references (the stubs accept one token)
  start_service channel-sync "${P3_PORT[channel-sync]}" onhand_channel_sync_bench \
    ONHAND_CHANNEL_BENCH_TOKEN=stub-access-token ONHAND_CHANNEL_BENCH_WEBHOOK_SECRET="whsec-bench-$(date +%s%N)"
  # the gateway as `make run` starts it: local profile, development key onhand-dev-key
  env QUARKUS_PROFILE=local ONHAND_HTTP_PORT="${P3_PORT[gateway]}" ONHAND_JSON_LOGS=false \
    ONHAND_STOCK_URL="http://127.0.0.1:${P3_PORT[stock]}" ONHAND_FULFILLMENT_URL="http://127.0.0.1:${P3_PORT[fulfillment]}" \
    ONHAND_CHANNEL_SYNC_URL="http://127.0.0.1:${P3_PORT[channel-sync]}" \
    java $GATEWAY_OPTS -Dquarkus.http.access-log.enabled="$GATEWAY_ACCESS_LOG" \
    -jar "$RUN_DIR/gateway-app/quarkus-run.jar" >"$RUN_DIR/gateway-${P3_PORT[gateway]}.log" 2>&1 &
  PIDS[${P3_PORT[gateway]}]=$!
  await_ready gateway "${P3_PORT[gateway]}"
  log "P3: setup (1,000 SKUs listed on 3 channels), ${P3_WARMUP_SECONDS}s of the load unmeasured (warm-up), idle baseline, then 100 orders/s for ${P3_SECONDS}s, drain up to ${P3_DRAIN_SECONDS}s"
  local cpu
  cpu=$(p3_cpu_snapshot)
  BENCH_API_KEY=onhand-dev-key bench "P3" dev.onhand.e2e.bench.ChannelSyncBench \
    --gateway-port "${P3_PORT[gateway]}" --channel-sync-port "${P3_PORT[channel-sync]}" --vhost "$VHOST" \
    --skus 1000 --stock 1000 --rate 100 --seconds "$P3_SECONDS" --drain-seconds "$P3_DRAIN_SECONDS" --warmup-seconds "$P3_WARMUP_SECONDS" \
    --state-file "$RUN_DIR/p3.state" --clock-ticks "$TICKS" \
    --pids "$(for service in stock fulfillment channel-sync gateway; do printf '%s:%s,' "$service" "${PIDS[${P3_PORT[$service]}]}"; done)"
  p3_cpu_report "P3 (setup, idle baseline, load and drain)" "$cpu"
  for service in gateway channel-sync fulfillment stock; do stop_stock "${P3_PORT[$service]}"; done
}

# --- infrastructure: PostgreSQL, RabbitMQ, a fresh database and an isolated virtual host ---
scripts/infra.sh
if command -v rabbitmqctl >/dev/null; then
  fresh_vhost
else
  log "rabbitmqctl not found: assuming the virtual host $VHOST exists"
fi
psql -d postgres -v ON_ERROR_STOP=1 -q -c "SET client_min_messages = warning" \
  -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
log "fresh database $DB, RabbitMQ virtual host $VHOST"

# --- what runs: a copy of the packaged service and the benchmark classes, so a rebuild during the
# run cannot pull the jars from under a running instance ---
[[ -f services/stock/target/quarkus-app/quarkus-run.jar ]] || { log "missing the stock service: run make build"; exit 1; }
if [[ ! -f e2e/target/classpath.txt || ! -d e2e/target/classes ]]; then
  ./mvnw -q -B -ntp -pl e2e package -DskipTests
fi
rm -rf "$RUN_DIR"
mkdir -p "$RUN_DIR"
cp -r services/stock/target/quarkus-app "$RUN_DIR/stock-app"
cp -r "$GATEWAY_APP" "$RUN_DIR/gateway-app"
if [[ $ONLY != p1 && $ONLY != p2 ]]; then
  for service in fulfillment channel-sync; do
    [[ -f services/$service/target/quarkus-app/quarkus-run.jar ]] || { log "missing $service: run make build"; exit 1; }
    cp -r "services/$service/target/quarkus-app" "$RUN_DIR/$service-app"
  done
fi
cp -r e2e/target/classes "$RUN_DIR/e2e-classes"
CLASSPATH=$RUN_DIR/e2e-classes:$(cat e2e/target/classpath.txt)
: >"$RESULTS"

{
  echo "machine: $(nproc) cores, $(lscpu | sed -nE 's/^Model name: *//p'), $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee -a "$RESULTS"

if [[ $ONLY == p3 ]]; then
  run_p3
  finish
fi
# P5: the whole suite as make run starts it (scripts/bench-p5.sh; its own databases and ports)
run_p5() {
  log "P5: the whole suite started as make run does; RSS idle and after a P1 load"
  BENCH_RESULTS=$RESULTS scripts/bench-p5.sh || failed "P5"
}
if [[ $ONLY == p5 ]]; then
  run_p5
  finish
fi

start_stock "${PORTS[0]}"

if [[ $ONLY != p4 ]]; then
# --- P1: one hot SKU, 64 clients until sold out, one then two instances ---
p1_tps=0
if [[ $ONLY == all || $ONLY == p1 ]]; then
  sql -c "CREATE TABLE bench_hot (id INT PRIMARY KEY, available BIGINT NOT NULL CHECK (available >= 0))" \
      -c "INSERT INTO bench_hot VALUES (1, 1000000000)"
  log "P1 baseline: pgbench, naive conditional UPDATE of one row, 64 clients, 10 s"
  cpu=$(cpu_snapshot)
  p1_pgbench P1 "$RUN_DIR/pgbench-p1.txt"
  p1_tps=$TPS
  echo "requests=$(sed -nE 's/^number of transactions actually processed: ([0-9]+).*/\1/p' "$RUN_DIR/pgbench-p1.txt")" >"$RUN_DIR/pgbench-p1.state"
  cpu_report "P1 pgbench baseline" "$cpu" "$RUN_DIR/pgbench-p1.state"
fi

log "P1 1-instance: warm-up ${WARMUP_SECONDS}s on WARM-1, then HOT-1 (10,000 units) until sold out"
cpu=$(cpu_snapshot)
bench "P1 1-instance" dev.onhand.e2e.bench.HotSkuBench --label 1-instance --ports "${PORTS[0]}" \
  --sku HOT-1 --warm-sku WARM-1 --stock 10000 --clients 64 --warmup-seconds "$WARMUP_SECONDS" --baseline-tps "$p1_tps" \
  --state-file "$RUN_DIR/p1-1.state"
cpu_report "P1 1-instance (warm-up and run)" "$cpu" "$RUN_DIR/p1-1.state"

# --- P2: P1 through the gateway, against the direct figure just measured ---
if [[ $ONLY != p1 ]]; then
start_gateway "$GATEWAY_PORT" "${PORTS[0]}"
log "P2: P1 through the gateway :$GATEWAY_PORT (warm-up on WARM-G, then HOT-G)"
cpu=$(cpu_snapshot)
BENCH_API_KEY=$BENCH_KEY bench "P2 gateway" dev.onhand.e2e.bench.HotSkuBench --label via-gateway --ports "$GATEWAY_PORT" \
  --sku HOT-G --warm-sku WARM-G --stock 10000 --clients 64 --warmup-seconds "$WARMUP_SECONDS" --baseline-tps "$p1_tps" \
  --state-file "$RUN_DIR/p2.state"
cpu_report "P2 via gateway (warm-up and run)" "$cpu" "$RUN_DIR/p2.state"
# the added latency where nothing queues: one client, direct and via the gateway in turn
log "P2 latency: 1 client, ${P2_LATENCY_WRITES} reservations (1-20 ms apart at random) then ${P2_LATENCY_REQUESTS} reads each way, direct :${PORTS[0]} and via :$GATEWAY_PORT interleaved"
cpu=$(cpu_snapshot)
echo "requests=$((2 * (P2_LATENCY_WRITES + 500) + 2 * (P2_LATENCY_REQUESTS + 500)))" >"$RUN_DIR/p2-latency.state"
BENCH_API_KEY=$BENCH_KEY bench "P2 latency" dev.onhand.e2e.bench.GatewayLatencyBench \
  --direct-port "${PORTS[0]}" --gateway-port "$GATEWAY_PORT" --sku LAT-P2 --warmup 500 \
  --requests "$P2_LATENCY_REQUESTS" --write-requests "$P2_LATENCY_WRITES"
cpu_report "P2 latency (per request: over all, half of them via the gateway)" "$cpu" "$RUN_DIR/p2-latency.state"
stop_stock "$GATEWAY_PORT"
direct=$(grep -m1 '^P1 1-instance reservations' "$RESULTS" || true)
gated=$(grep -m1 '^P1 via-gateway reservations' "$RESULTS" || true)
latency=$(grep -m1 '^P2 latency reservations ' "$RESULTS" || true)
reads=$(grep -m1 '^P2 latency reads ' "$RESULTS" || true)
if [[ -n $direct && -n $gated && -n $latency && -n $reads ]]; then
  awk -v d="$(field 'reservations/s' "$direct")" -v g="$(field 'reservations/s' "$gated")" \
      -v dp="$(field p50 "$direct")" -v gp="$(field p50 "$gated")" \
      -v a50="$(field added_p50 "$latency")" -v a99="$(field added_p99 "$latency")" \
      -v r50="$(field added_p50 "$reads")" -v r99="$(field added_p99 "$reads")" 'BEGIN {
    printf "P2 gateway throughput_ratio=%.2f (target >=0.8; 64 clients: gateway %.0f reservations/s, direct %.0f)", g / d, g, d
    printf " | added latency at 1 client (target p50 <1ms): reservations added_p50=%.2fms added_p99=%.2fms, reads added_p50=%.2fms added_p99=%.2fms", a50, a99, r50, r99
    printf " | at saturation p50 gateway=%.1fms direct=%.1fms (queueing, not the target)\n", gp, dp
  }' | tee -a "$RESULTS"
else
  failed "P2 figures missing"
fi

[[ $ONLY == p2 ]] && finish
fi

start_stock "${PORTS[1]}"
log "P1 2-instance: warm-up ${WARMUP_SECONDS}s on WARM-2, then HOT-2 (10,000 units), clients split over :${PORTS[0]} and :${PORTS[1]}"
cpu=$(cpu_snapshot)
bench "P1 2-instance" dev.onhand.e2e.bench.HotSkuBench --label 2-instance --ports "${PORTS[0]},${PORTS[1]}" \
  --sku HOT-2 --warm-sku WARM-2 --stock 10000 --clients 64 --warmup-seconds "$WARMUP_SECONDS" --baseline-tps "$p1_tps" \
  --state-file "$RUN_DIR/p1-2.state"
cpu_report "P1 2-instance (warm-up and run)" "$cpu" "$RUN_DIR/p1-2.state"
stop_stock "${PORTS[1]}"
if [[ $ONLY == all || $ONLY == p1 ]]; then
  # the baseline moves from one run to the next by as much as a third: measured again after the
  # P1 lines, the two show how far it moved within this run
  log "P1 baseline again, after the P1 lines: the same pgbench loop, 64 clients, 10 s"
  p1_pgbench "P1 after" "$RUN_DIR/pgbench-p1-after.txt"
  awk -v b="$p1_tps" -v a="$TPS" -v one="$(field 'reservations/s' "$(grep -m1 '^P1 1-instance reservations' "$RESULTS" || true)")" \
      -v two="$(field 'reservations/s' "$(grep -m1 '^P1 2-instance reservations' "$RESULTS" || true)")" 'BEGIN {
    if (b <= 0 || a <= 0 || one == "" || two == "") exit
    printf "P1 baseline before=%.0f after=%.0f tps | ratio against each: 1-instance %.2f / %.2f, 2-instance %.2f / %.2f (target >=3)\n",
      b, a, one / b, one / a, two / b, two / a
  }' | tee -a "$RESULTS"
fi
[[ $ONLY == p1 ]] && finish
fi

# --- P4: adjustments over 1,000 SKUs, 32 clients ---
log "P4 setup: items and balances ADJ-1..1000 (service), WADJ-1..1000 (warm-up), PGB-1..1000 (pgbench)"
bench "P4 prepare" dev.onhand.e2e.bench.LedgerBench prepare --ports "${PORTS[0]}" \
  --prefixes ADJ-,WADJ-,PGB- --count 1000 --sample-sku WADJ-1
# the sizes the service stores for one such request, so the pgbench rows weigh the same
response_len=$(sql -c "SELECT coalesce(max(length(response_body)), 700) FROM idempotency_key WHERE key LIKE 'p4-sample-%'")
headers_len=$(sql -c "SELECT coalesce(max(length(headers)), 73) FROM outbox WHERE aggregate = 'WADJ-1@BENCH' AND payload LIKE '%correction%'")
payload_len=$(sql -c "SELECT coalesce(max(length(payload)), 674) FROM outbox WHERE aggregate = 'WADJ-1@BENCH' AND payload LIKE '%correction%'")
sql -c "CREATE TABLE bench_outbox (LIKE outbox INCLUDING ALL)"
log "P4 baseline: pgbench, the service's adjustment transaction (e2e/src/main/pgbench/p4-adjustment.sql), 32 clients, ${P4_SECONDS} s (response ${response_len} B, headers ${headers_len} B, payload ${payload_len} B)"
cpu=$(cpu_snapshot)
run_pgbench P4 "$RUN_DIR/pgbench-p4.txt" -c 32 -j 2 -T "$P4_SECONDS" -n -M prepared \
  -D "response_len=$response_len" -D "headers_len=$headers_len" -D "payload_len=$payload_len" \
  -f e2e/src/main/pgbench/p4-adjustment.sql
p4_tps=$TPS
echo "requests=$(sed -nE 's/^number of transactions actually processed: ([0-9]+).*/\1/p' "$RUN_DIR/pgbench-p4.txt")" >"$RUN_DIR/pgbench-p4.state"
cpu_report "P4 pgbench baseline" "$cpu" "$RUN_DIR/pgbench-p4.state"

log "P4: warm-up ${WARMUP_SECONDS}s on WADJ-*, then ${P4_SECONDS}s on ADJ-*, 32 clients"
cpu=$(cpu_snapshot)
bench "P4" dev.onhand.e2e.bench.LedgerBench run --ports "${PORTS[0]}" --prefix ADJ- --warm-prefix WADJ- \
  --count 1000 --clients 32 --seconds "$P4_SECONDS" --warmup-seconds "$WARMUP_SECONDS" \
  --baseline-tps "$p4_tps" --state-file "$RUN_DIR/p4.state"
cpu_report "P4 (warm-up and run)" "$cpu" "$RUN_DIR/p4.state"

# --- checks: balances = sum of the ledger, sequences without gaps, one movement per 2xx ---
check=$(sql -F ' ' -f e2e/src/main/sql/ledger-check.sql) || failed "ledger check query"
confirmed=$(sed -nE 's/^confirmed=//p' "$RUN_DIR/p4.state" 2>/dev/null || true)
movements=$(sql -c "SELECT count(*) FROM ledger WHERE sku LIKE 'ADJ-%' AND reason = 'correction'")
verdict=ok
summary=""
while read -r group balances entries mismatches gaps; do
  [[ -n $group ]] || continue
  summary+=" $group(balances=$balances entries=$entries sum_mismatches=$mismatches sequence_gaps=$gaps)"
  [[ $mismatches == 0 && $gaps == 0 ]] || verdict=VIOLATED
done <<<"$check"
[[ "$movements" == "${confirmed:-x}" ]] || verdict=VIOLATED
echo "P4 check balances=sum(ledger) per (sku,location,state): $verdict |$summary | ADJ ledger movements=$movements for confirmed 201s=${confirmed:-?}" | tee -a "$RESULTS"
[[ $ONLY == p4 ]] && finish

run_p3
run_p5
finish
