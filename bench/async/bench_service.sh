#!/usr/bin/env bash
# bench_service.sh - the example service (examples/shop-service) under wrk
# on PostgreSQL: one thread with the non-blocking API against the same
# handlers with the blocking API on a pool of N threads, N being the
# connection pool's size in both. 64 connections, GET /products/{id} by a
# random key of 1,000; requests per second, latency p50/p90/p99 and the
# service's CPU time per request of each, and the ratios.
#
#   bash bench/async/bench_service.sh SERVICE_BINARY
#   bash bench/async/bench_service.sh BUILD_DIR      (its shop-service)
#
# It starts a throwaway PostgreSQL server of its own
# (tests/support/pg_server.sh) and stops it at the end, also on failure.
# BENCH_POOL sets N (default 8), BENCH_SECONDS the length of each run
# (default 5), BENCH_CONNECTIONS wrk's connections (default 64).
set -euo pipefail

arg=${1:?usage: bench_service.sh SERVICE_BINARY}
[ -d "$arg" ] && arg=$arg/shop-service
[ -x "$arg" ] || { echo "bench_service.sh: $arg is missing; build first" >&2; exit 1; }
service=$(cd "$(dirname "$arg")" && pwd)/$(basename "$arg")
src=$(cd "$(dirname "$0")/../.." && pwd)
command -v wrk >/dev/null || { echo "bench_service.sh: wrk is not installed (Debian: apt-get install wrk)" >&2; exit 1; }
pool=${BENCH_POOL:-8}
seconds=${BENCH_SECONDS:-5}
connections=${BENCH_CONNECTIONS:-64}
products=1000

work=$(mktemp -d "${TMPDIR:-/tmp}/retort-bench-service.XXXXXX")
pg_dir=${TMPDIR:-/tmp}/retort-bench-service-pg-$$
pg_port=$((30000 + ($$ + 17) % 20000))
service_pid=
cleanup() {
  if [ -n "$service_pid" ]; then
    kill -TERM "$service_pid" 2>/dev/null || true
    wait "$service_pid" 2>/dev/null || true
  fi
  if [ -f "$pg_dir/data/postmaster.pid" ]; then
    bash "$src/tests/support/pg_server.sh" stop "$pg_dir" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# Another server may hold the port: try a few.
for try in 1 2 3 4 5; do
  bash "$src/tests/support/pg_server.sh" start "$pg_dir" "$pg_port" >/dev/null 2>&1 && break
  [ "$try" = 5 ] && { echo "bench_service.sh: cannot start PostgreSQL" >&2; exit 1; }
  pg_port=$((pg_port + 101))
done
url=postgresql://postgres@127.0.0.1:$pg_port/postgres

# Starts the service with the given options; sets base and service_pid.
start_service() {
  : >"$work/service.out"
  "$service" --database "$url" --port 0 "$@" >"$work/service.out" 2>>"$work/service.log" &
  service_pid=$!
  for _ in $(seq 200); do
    grep -q 'listening on' "$work/service.out" && break
    kill -0 "$service_pid" 2>/dev/null || break
    sleep 0.05
  done
  base=$(sed -n 's|.*listening on \(http://[0-9.]*:[0-9]*\).*|\1|p' "$work/service.out")
  if [ -z "$base" ]; then
    cat "$work/service.log" >&2
    echo "bench_service.sh: the service did not start" >&2
    exit 1
  fi
}

stop_service() {
  kill -TERM "$service_pid"
  wait "$service_pid" || { echo "bench_service.sh: the service failed" >&2; exit 1; }
  service_pid=
}

# GET by a random key; the figures come back as one line from done().
cat >"$work/get.lua" <<EOF
math.randomseed(42)
request = function()
  return wrk.format("GET", "/products/" .. math.random(1, $products))
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d %d %d\n", summary.requests, summary.duration,
    e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(90), latency:percentile(99)))
end
EOF

# The CPU time the service has used, in clock ticks (user + system).
cpu_ticks() {
  awk '{ print $14 + $15 }' "/proc/$service_pid/stat"
}

# Runs wrk against base; prints the RESULT line and the service's CPU
# ticks during the run (on a machine shared with other work, CPU time per
# request compares the two modes where requests/s depends on the share of
# the CPUs each gets).
run_wrk() {
  wrk -t 2 -c "$connections" -d 1s -s "$work/get.lua" "$base" >/dev/null # warm-up
  local before after line
  before=$(cpu_ticks)
  line=$(wrk -t 2 -c "$connections" -d "${seconds}s" -s "$work/get.lua" "$base" | grep '^RESULT')
  after=$(cpu_ticks)
  echo "$line $((after - before))"
}

echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(nproc) logical CPUs"
echo "the service on PostgreSQL, wrk: $connections connections, ${seconds} s, GET /products/{id} (a random key of $products)"

start_service --pool "$pool"
python3 - "$base" "$products" <<'EOF'
import json, sys, urllib.request
base, count = sys.argv[1], int(sys.argv[2])
for i in range(1, count + 1):
    body = json.dumps({"name": "product %d" % i, "price": "%d.%02d" % (i, i % 100)}).encode()
    req = urllib.request.Request(base + "/products", data=body, method="POST")
    with urllib.request.urlopen(req) as response:
        assert response.status == 201
EOF
async=$(run_wrk)
stop_service
start_service --threads "$pool"
threads=$(run_wrk)
stop_service

# requests/s, and the latencies in ms, of a RESULT line; refuses errors.
report() {
  local name=$1 line=$2
  set -- $line
  local requests=$2 duration=$3 socket_errors=$4 status_errors=$5
  if [ "$socket_errors" != 0 ] || [ "$status_errors" != 0 ]; then
    echo "bench_service.sh: $name: $socket_errors socket errors, $status_errors non-2xx answers" >&2
    exit 1
  fi
  awk -v name="$name" -v r="$requests" -v d="$duration" -v p50="$6" -v p90="$7" -v p99="$8" \
    -v ticks="$9" -v hz="$(getconf CLK_TCK)" \
    'BEGIN { printf "%-34s %10.0f %9.2f %9.2f %9.2f %9.0f\n", name, r / (d / 1e6), p50 / 1e3,
             p90 / 1e3, p99 / 1e3, ticks / hz * 1e6 / r }'
}
printf '%-34s %10s %9s %9s %9s %9s\n' "" "requests/s" "p50 ms" "p90 ms" "p99 ms" "CPU us/req"
report "async, one thread, pool of $pool" "$async"
report "blocking, $pool threads, pool of $pool" "$threads"
set -- $async
a_rps=$(awk -v r="$2" -v d="$3" 'BEGIN { print r / (d / 1e6) }')
a_p99=$8
a_cpu=$(awk -v t="$9" -v r="$2" 'BEGIN { print t / r }')
set -- $threads
awk -v a="$a_rps" -v r="$2" -v d="$3" -v ap="$a_p99" -v tp="$8" -v ac="$a_cpu" -v tc="$9" \
  'BEGIN { printf "async / threads: %.2fx the requests per second, %.2fx the p99 latency, %.2fx the CPU time per request\n",
           a / (r / (d / 1e6)), ap / tp, ac / (tc / r) }'
