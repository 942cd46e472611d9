#!/usr/bin/env bash
# hookhub benchmark: one command, everything on 127.0.0.1, bounded in time. See bench/README.md.
#
#   bench/run.sh                       # the full run (about 8 minutes on 2 cores with the defaults)
#   BENCH_DURATION=10 bench/run.sh     # shorter saturation runs
#   BENCH_JFR=1 bench/run.sh           # also record a JFR profile of the embedded saturation run
#
# Every knob is an environment variable (defaults in the block below). Output: the progress log on stderr, the
# results table on stdout, and everything (logs, metrics scrapes, wrk output, results) under $BENCH_WORK.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/bench

# ------------------------------------------------------------------------------------------------ knobs
: "${BENCH_WORK:=/tmp/hhbench}"                 # work dir: wiped at start
: "${BENCH_STORES:=sqlite postgres}"            # which stores to run (sqlite = the embedded default)
: "${BENCH_SCALEOUT:=1}"                        # 1 = two hubs on one PostgreSQL, one shared lake
: "${BENCH_CEILING:=1}"                         # 1 = measure the bare platform-http route (embedded run only)
: "${BENCH_CONNECTIONS:=64}"                    # wrk connections (all runs)
: "${BENCH_THREADS:=2}"                         # wrk threads
: "${BENCH_WARMUP:=45}"                         # s of load before each measurement (JIT: C2 still compiles at 20 s); not measured
: "${BENCH_DURATION:=30}"                       # s of saturation load per store
: "${BENCH_CEILING_DURATION:=20}"               # s of load on the ceiling route (after BENCH_WARMUP/2 s warm-up)
: "${BENCH_RATE:=2000}"                         # fixed-rate run: requests/s (each request = one event)
: "${BENCH_RATE_DURATION:=30}"                  # s of the fixed-rate run per store
: "${BENCH_SCALEOUT_DURATION:=20}"              # s of load on the two-instance pair
: "${BENCH_DRAIN_TIMEOUT:=240}"                 # s to wait for every sink to confirm every accepted event
: "${BENCH_JFR:=0}"                             # 1 = JFR profile of the embedded saturation run (bench/jfr-top.sh)
: "${BENCH_PROFILE:=0}"                         # 1 (or saturation) / rate: async-profiler profile of the embedded saturation / fixed-rate run
: "${BENCH_PROFILE_EVENT:=itimer}"              # itimer = where the CPU goes; wall = where threads spend their time, waits included
: "${BENCH_PORT_BASE:=28400}"                   # ports BASE..BASE+9 on 127.0.0.1
: "${BENCH_PG_PORT:=25432}"                     # the throwaway PostgreSQL (.ci/postgres.sh) for the benchmark
: "${BENCH_HUB_ENV:=}"                          # extra NAME=VALUE settings for every hub (experiments), e.g. HOOKHUB_FIREHOSE_STREAM= (off)
: "${HOOKHUB_JAVA_OPTS:=-Xmx192m -XX:+UseParallelGC}"  # JVM options of every hub process (bounded heap, throughput GC; see README)
: "${BENCH_SOAK:=0}"                            # N > 0: instead of the benchmark, a soak run: N minutes at a fixed rate (embedded store)
: "${BENCH_SOAK_RATE:=500}"                     # soak: requests/s
: "${BENCH_SOAK_WINDOW:=5m}"                    # soak: hookhub.dedup.window (short, so that key purging is part of the run)
: "${BENCH_SOAK_SAMPLE:=30}"                    # soak: s between samples
: "${BENCH_SIZING:=0}"                          # 1: instead of the benchmark, CPU and memory at each rate of BENCH_SIZING_RATES (embedded store)
: "${BENCH_SIZING_RATES:=0 50 200 500 1000 2000}"  # sizing: requests/s (0 = idle), BENCH_SIZING_DURATION s each
: "${BENCH_SIZING_DURATION:=60}"
if [ "$BENCH_SOAK" -gt 0 ] || [ "$BENCH_SIZING" = 1 ]; then BENCH_STORES=sqlite; BENCH_SCALEOUT=0; fi
# targets (the issue's numbers to beat)
: "${TARGET_RATE:=5000}" "${TARGET_P99_MS:=50}" "${TARGET_RSS_MIB:=512}" "${TARGET_CEILING_RATIO:=0.3}"

HUB_PORT=$((BENCH_PORT_BASE + 0)); HUB_MPORT=$((BENCH_PORT_BASE + 1))
HUB2_PORT=$((BENCH_PORT_BASE + 2)); HUB2_MPORT=$((BENCH_PORT_BASE + 3))
S3_PORT=$((BENCH_PORT_BASE + 4)); FH_PORT=$((BENCH_PORT_BASE + 5))
WORK=$BENCH_WORK
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java

# ------------------------------------------------------------------------------------------------ helpers
# an async-profiler recording of the hub: itimer = where the CPU goes, wall = where threads spend their time (waits too)
profile_start() { # pid event
  # (jcmd would read an unquoted a=b as its own option)
  jcmd "$1" JVMTI.agent_load "$(async_profiler)" "\"start,event=$2,interval=1ms,threads\"" >/dev/null
}
profile_stop() { # pid file-stem what
  jcmd "$1" JVMTI.agent_load "$(async_profiler)" "\"stop,collapsed,file=$2.collapsed\"" >/dev/null
  python3 "$BENCH/profile-top.py" "$2.collapsed" >"$2-top.txt" 2>&1 || true
  log "$3: $2.collapsed; by thread and area: $2-top.txt"
}
# async-profiler's agent from Maven Central (the jar carries the native library), unpacked once under $WORK
async_profiler() {
  local so=$WORK/async-profiler/linux-x64/libasyncProfiler.so jar=$HOME/.m2/repository/tools/profiler/async-profiler/4.1/async-profiler-4.1.jar
  if [ ! -f "$so" ]; then
    [ -f "$jar" ] || mvn -q dependency:get -Dartifact=tools.profiler:async-profiler:4.1 -Dtransitive=false >&2
    unzip -o -q "$jar" 'linux-x64/*' -d "$WORK/async-profiler"
  fi
  echo "$so"
}
log() { printf '%s %s\n' "$(date +%T)" "$*" | tee -a "$WORK/bench.log" >&2; }
die() { log "FAILED: $*"; exit 1; }
now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"%.${2:-1}f\", $1 }"; }

declare -A PIDS=()          # name -> pid of what this script started
PG_STARTED=0
cleanup() {
  local rc=$? name pid
  trap - EXIT INT TERM
  for name in "${!PIDS[@]}"; do
    pid=${PIDS[$name]}
    kill "$pid" 2>/dev/null || true
  done
  for name in "${!PIDS[@]}"; do
    pid=${PIDS[$name]}
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  if [ "$PG_STARTED" = 1 ]; then
    HOOKHUB_TEST_PG_PORT=$BENCH_PG_PORT HOOKHUB_TEST_PG_DIR=$WORK/pg "$ROOT/.ci/postgres.sh" stop || true
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

stop_pid() { # name: TERM, wait up to 30 s, then KILL
  local pid=${PIDS[$1]:-}
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  unset "PIDS[$1]"
}

wait_for() { # seconds description command...: retries the command every 0.2 s
  local limit=$1 what=$2; shift 2
  local deadline=$(( $(date +%s) + limit ))
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || die "$what not ready within ${limit}s"
    sleep 0.2
  done
}

scrape() { # MPORT: the metrics of the hub on this management port (dies when the hub is gone)
  curl -sf --max-time 10 "http://127.0.0.1:$1/observe/metrics" || die "no metrics on :$1 (did the hub process stop? see its hub.log)"
}

# msum FILE NAME [LABEL-SUBSTRING...]: sum of the samples of metric NAME whose labels contain every substring
msum() {
  local file=$1 name=$2; shift 2
  awk -v n="$name" -v filters="$*" '
    /^#/ || NF < 2 { next }
    { v = $NF; key = substr($0, 1, length($0) - length(v) - 1); base = key; sub(/\{.*/, "", base)
      if (base != n) next
      k = split(filters, f, " "); ok = 1
      for (i = 1; i <= k; i++) if (index(key, f[i]) == 0) ok = 0
      if (ok) s += v }
    END { printf "%.0f\n", s }' "$file"
}

# hquantile Q BEFORE AFTER NAME [LABEL-SUBSTRING...]: quantile of histogram NAME_bucket over the samples recorded
# between two scrapes (bucket deltas summed over all other labels), interpolated inside the bucket like Prometheus'
# histogram_quantile. Prints the value in the metric's unit (seconds), or "n/a" when nothing was recorded.
hquantile() {
  local q=$1 before=$2 after=$3 name=$4; shift 4
  awk -v n="${name}_bucket" -v filters="$*" '
    /^#/ || NF < 2 { next }
    { v = $NF; key = substr($0, 1, length($0) - length(v) - 1); base = key; sub(/\{.*/, "", base)
      if (base != n) next
      k = split(filters, f, " "); ok = 1
      for (i = 1; i <= k; i++) if (index(key, f[i]) == 0) ok = 0
      if (!ok) next
      if (!match(key, /le="[^"]*"/)) next
      le = substr(key, RSTART + 4, RLENGTH - 5)
      d[le] += (FILENAME == ARGV[1] ? -v : v) }
    END { for (le in d) print le, d[le] }' "$before" "$after" |
    sort -g -k1,1 |
    awk -v q="$q" '
      { le[NR] = $1; c[NR] = $2 }
      END {
        total = c[NR]
        if (NR == 0 || total <= 0) { print "n/a"; exit }
        rank = q * total; prev = 0; prevc = 0
        for (i = 1; i <= NR; i++) {
          if (c[i] >= rank) {
            if (le[i] ~ /Inf/) { printf "%.4f\n", prev; exit }
            if (c[i] == prevc) { printf "%.4f\n", le[i]; exit }
            printf "%.4f\n", prev + (le[i] - prev) * (rank - prevc) / (c[i] - prevc); exit
          }
          prev = le[i]; prevc = c[i]
        }
        print "n/a" }'
}

# CPU accounting (jiffies, 100 per second): where the machine's CPU went during a measurement window
pid_jiffies() { local t=0 p; for p in "$@"; do t=$(( t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0) )); done; echo "$t"; }
machine_jiffies() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
pg_pids() { local pm; pm=$(head -n 1 "$WORK/pg/postmaster.pid" 2>/dev/null) || return 0; echo "$pm" $(pgrep -P "$pm"); }
# cpu_mark HUB_PID...: "machine hubs helpers postgres" now
cpu_mark() { echo "$(machine_jiffies) $(pid_jiffies "$@") $(pid_jiffies "${PIDS[s3proxy]}" "${PIDS[firehose]}") $(pid_jiffies $(pg_pids))"; }
# cpu_report KEY MARK0 MARK1 SECONDS WRK_CPU_SECONDS REQUESTS: sets R[KEY.cpu_*] and logs the split in cores
cpu_report() {
  local key=$1 secs=$4 wrk=$5 reqs=$6
  read -r m0 h0 x0 p0 <<<"$2"; read -r m1 h1 x1 p1 <<<"$3"
  R[$key.cpu_hub]=$(calc "($h1 - $h0) / 100 / $secs" 2)
  R[$key.cpu_wrk]=$(calc "$wrk / $secs" 2)
  R[$key.cpu_helpers]=$(calc "($x1 - $x0) / 100 / $secs" 2)
  R[$key.cpu_pg]=$(calc "($p1 - $p0) / 100 / $secs" 2)
  R[$key.cpu_machine]=$(calc "($m1 - $m0) / 100 / $secs" 2)
  R[$key.cpu_other]=$(calc "(($m1 - $m0) - ($h1 - $h0) - ($x1 - $x0) - ($p1 - $p0)) / 100 / $secs - $wrk / $secs" 2)
  R[$key.cpu_ms_req]=$(calc "($h1 - $h0) * 10 / $reqs" 3)
  log "[$key] CPU in cores: hub ${R[$key.cpu_hub]} (${R[$key.cpu_ms_req]} ms per request), wrk ${R[$key.cpu_wrk]}, S3Proxy+Firehose ${R[$key.cpu_helpers]}, PostgreSQL ${R[$key.cpu_pg]}, other processes ${R[$key.cpu_other]}; machine ${R[$key.cpu_machine]} of $(nproc)"
  if awk -v o="${R[$key.cpu_other]}" 'BEGIN { exit !(o > 0.25) }'; then
    log "[$key] WARNING: processes outside the benchmark used ${R[$key.cpu_other]} cores during this measurement: its figures are lower than on an otherwise idle machine"
    WARNINGS="$WARNINGS $key"
  fi
}
WARNINGS=""
wrk_cpu() { awk '{ print $1 + $2 }' "$WORK/wrk-$1.out.cpu" 2>/dev/null || echo 0; }

done_field() { sed -n "s/.*[ ]$2=\([^ ]*\).*/\1/p" "$1" | head -n 1; }

# ------------------------------------------------------------------------------------------------ preparation
if [ -f "$WORK/pg/postmaster.pid" ]; then # a PostgreSQL left by an earlier run that was killed: stop it first
  HOOKHUB_TEST_PG_PORT=$BENCH_PG_PORT HOOKHUB_TEST_PG_DIR=$WORK/pg "$ROOT/.ci/postgres.sh" stop || true
fi
rm -rf "$WORK"
mkdir -p "$WORK"
: > "$WORK/bench.log"
log "work dir $WORK; machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
for tool in wrk curl "$JAVA" jcmd; do command -v "$tool" >/dev/null || die "$tool is missing (apt-get install -y wrk curl openjdk-17-jdk-headless)"; done

cd "$ROOT"
if [ ! -f target/hookhub.jar ] || [ ! -f target/s3proxy/s3proxy.jar ] || [ ! -f target/test-classes/hookhub/testinfra/FirehoseTestServer.class ]; then
  log "building (mvn -B -q test-compile package -DskipTests)"
  mvn -B -q test-compile package -DskipTests >"$WORK/build.log" 2>&1 || { tail -n 30 "$WORK/build.log" >&2; die "build"; }
fi
# private copies: a rebuild in the work tree during the run must not change what is measured (and the processes'
# command lines do not contain "hookhub.jar", so a broad pkill meant for test hubs does not stop the benchmark's)
mkdir -p "$WORK/bin"
cp target/hookhub.jar "$WORK/bin/bench-hub.jar"
cp target/s3proxy/s3proxy.jar "$WORK/bin/s3proxy.jar"
cp -r target/test-classes "$WORK/bin/test-classes"
JAR=$WORK/bin/bench-hub.jar
if ! mvn -B -q -o dependency:build-classpath -Dmdep.outputFile="$WORK/bin/test-cp.txt" -Dmdep.includeScope=test >"$WORK/cp.log" 2>&1; then
  mvn -B -q dependency:build-classpath -Dmdep.outputFile="$WORK/bin/test-cp.txt" -Dmdep.includeScope=test >"$WORK/cp.log" 2>&1 \
    || { cat "$WORK/cp.log" >&2; die "mvn dependency:build-classpath"; }
fi
log "hookhub jar: $(sha256sum "$JAR" | cut -c1-12) ($(git -C "$ROOT" log -1 --format='%h %cs' 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet -- src pom.xml 2>/dev/null || echo ', work tree has changes')); JVM options: $HOOKHUB_JAVA_OPTS"

# ------------------------------------------------------------------------------------------------ S3Proxy, Firehose, PostgreSQL
mkdir -p "$WORK/s3proxy"
cat >"$WORK/s3proxy/s3proxy.conf" <<EOF
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=test
s3proxy.credential=test
s3proxy.endpoint=http://127.0.0.1:$S3_PORT
jclouds.provider=transient-nio2
EOF
"$JAVA" -Xmx1g -jar "$WORK/bin/s3proxy.jar" --properties "$WORK/s3proxy/s3proxy.conf" >"$WORK/s3proxy/s3proxy.log" 2>&1 &
PIDS[s3proxy]=$!
"$JAVA" -Xmx3g -cp "$WORK/bin/test-classes:$(cat "$WORK/bin/test-cp.txt")" hookhub.testinfra.FirehoseTestServer \
  --port "$FH_PORT" --stream bench --no-auth $([ "$BENCH_SOAK" -gt 0 ] && echo --count-only) >"$WORK/firehose.log" 2>&1 &
PIDS[firehose]=$!

need_pg=0
case " $BENCH_STORES " in *" postgres "*) need_pg=1 ;; esac
[ "$BENCH_SCALEOUT" = 1 ] && need_pg=1
if [ "$need_pg" = 1 ]; then
  export HOOKHUB_TEST_PG_PORT=$BENCH_PG_PORT HOOKHUB_TEST_PG_DIR=$WORK/pg
  log "starting PostgreSQL on 127.0.0.1:$BENCH_PG_PORT (.ci/postgres.sh)"
  PG_STARTED=1
  eval "$("$ROOT/.ci/postgres.sh" start)"
  PSQL="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)/psql"
fi
new_pg_url() { # name: a fresh, empty database on the benchmark's PostgreSQL
  "$PSQL" -q -h 127.0.0.1 -p "$BENCH_PG_PORT" -U "$HOOKHUB_TEST_PG_USER" -d hookhub_test -c "CREATE DATABASE $1" >/dev/null
  echo "jdbc:postgresql://127.0.0.1:$BENCH_PG_PORT/$1"
}

wait_for 90 "S3Proxy" curl -s -o /dev/null "http://127.0.0.1:$S3_PORT/"
wait_for 60 "Firehose test server" curl -sf "http://127.0.0.1:$FH_PORT/_stats"
# CreateBucket, SigV4-signed by curl (S3Proxy wants the real payload hash: this is sha256 of the empty body)
code=$(curl -s -o "$WORK/s3proxy/create-bucket.xml" -w '%{http_code}' -X PUT --aws-sigv4 "aws:amz:us-east-1:s3" --user test:test \
  -H "x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" "http://127.0.0.1:$S3_PORT/bench")
[ "$code" = 200 ] || die "S3 CreateBucket answered $code: $(cat "$WORK/s3proxy/create-bucket.xml")"
log "S3Proxy on :$S3_PORT (bucket bench), Firehose test server on :$FH_PORT (stream bench)"

# ------------------------------------------------------------------------------------------------ hub processes
# start_hub NAME DIR PORT MPORT [ENV=VALUE...]: java -jar hookhub.jar in DIR with a copy of routes/, every sink on
start_hub() {
  local name=$1 dir=$2 port=$3 mport=$4; shift 4
  mkdir -p "$dir/routes"
  cp "$ROOT"/routes/*.yaml "$dir/routes/"
  ( cd "$dir" && exec env \
      HOOKHUB_HTTP_HOST=127.0.0.1 HOOKHUB_HTTP_PORT="$port" HOOKHUB_MANAGEMENT_PORT="$mport" HOOKHUB_DATA_DIR="$dir/data" \
      HOOKHUB_S3_BUCKET=bench HOOKHUB_S3_ENDPOINT="http://127.0.0.1:$S3_PORT" HOOKHUB_S3_PATH_STYLE=true \
      HOOKHUB_FIREHOSE_STREAM=bench HOOKHUB_FIREHOSE_ENDPOINT="http://127.0.0.1:$FH_PORT" \
      AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_EC2_METADATA_DISABLED=true "$@" $BENCH_HUB_ENV \
      "$JAVA" $HOOKHUB_JAVA_OPTS -jar "$JAR" ) >"$dir/hub.log" 2>&1 &
  PIDS[$name]=$!
  local deadline=$(( $(date +%s) + 120 ))
  until curl -sf --max-time 2 "http://127.0.0.1:$mport/observe/health" 2>/dev/null | grep -q 'route:call050'; do
    kill -0 "${PIDS[$name]}" 2>/dev/null || { tail -n 40 "$dir/hub.log" >&2; die "hub $name exited"; }
    [ "$(date +%s)" -lt "$deadline" ] || { tail -n 40 "$dir/hub.log" >&2; die "hub $name not ready"; }
    sleep 0.3
  done
  if [ -f "$dir/routes/ceiling.yaml" ]; then
    wait_for 30 "ceiling route" curl -sf -X POST "http://127.0.0.1:$port/ceiling"
  fi
  log "hub $name ready (pid ${PIDS[$name]}, :$port, management :$mport)"
}

# sampler NAME PID MPORT OUT: peak heap (sum of jvm_memory_used_bytes area=heap) and peak VmRSS, once a second
start_sampler() {
  local name=$1 pid=$2 mport=$3 out=$4
  (
    maxheap=0; maxrss=0
    while kill -0 "$pid" 2>/dev/null; do
      if curl -sf --max-time 2 "http://127.0.0.1:$mport/observe/metrics" >"$out.scrape" 2>/dev/null; then
        h=$(msum "$out.scrape" jvm_memory_used_bytes 'area="heap"')
        [ "$h" -gt "$maxheap" ] && maxheap=$h
      fi
      r=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
      [ "${r:-0}" -gt "$maxrss" ] && maxrss=$r
      echo "$maxheap $maxrss" >"$out"
      sleep 1
    done
  ) &
  PIDS[sampler-$name]=$!
}
vmhwm_kib() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status"; }

# run_wrk LABEL PORT TAG MODE OTHER_TAG RATE DURATION CONNECTIONS THREADS [EXPECTED_FILE]: one wrk run; its summary
# (the done() line) is left in $WORK/wrk-LABEL.out; the events it generated are appended to EXPECTED_FILE
run_wrk() {
  local label=$1 port=$2 tag=$3 mode=$4 other=$5 rate=$6 duration=$7 conns=$8 threads=$9 expected=${10:-}
  local out=$WORK/wrk-$label.out rate_env=()
  [ "$rate" -gt 0 ] && rate_env=(WRK_RATE="$rate" WRK_THREADS="$threads")
  local TIMEFORMAT='%3U %3S'
  { time env "${rate_env[@]}" wrk -t"$threads" -c"$conns" -d"${duration}s" --timeout 10s --latency \
    -s "$BENCH/workload.lua" "http://127.0.0.1:$port" -- "$tag" "$mode" "$other" >"$out" 2>&1 || true; } 2>"$out.cpu"
  if grep -q 'cannot open' "$out" || ! grep -q '^BENCH_DONE ' "$out"; then
    cat "$out" >&2; die "wrk $label did not run bench/workload.lua"
  fi
  if [ -n "$expected" ]; then
    done_field "$out" threads | tr ',' '\n' | sed -n "s/^t\([0-9]*\):\([0-9]*\)$/$tag \1 \2/p" >>"$expected"
  fi
  log "wrk $label: $(grep '^BENCH_DONE ' "$out" | cut -d' ' -f2-14)"
}

# drain MPORT...: wait until every sink confirmed every accepted event on these hubs (summed) and no backlog is left
drain() {
  local t0 deadline acc s ok scr
  t0=$(now); deadline=$(( $(date +%s) + BENCH_DRAIN_TIMEOUT ))
  while :; do
    ok=1; acc=0
    declare -A del=([lake]=0 [s3]=0 [firehose]=0)
    local backlog=0 sinks=""
    for m in "$@"; do
      scr=$WORK/drain-$m.prom
      curl -sf --max-time 10 "http://127.0.0.1:$m/observe/metrics" >"$scr" || { ok=0; continue; }
      acc=$(( acc + $(msum "$scr" hookhub_events_accepted_total) ))
      backlog=$(( backlog + $(msum "$scr" hookhub_store_backlog_events) ))
      # the enabled sinks: those with a backlog gauge
      sinks=$(sed -n 's/^hookhub_store_backlog_events{sink="\([a-z0-9]*\)".*/\1/p' "$scr" | sort -u | tr '\n' ' ')
      for s in lake s3 firehose; do del[$s]=$(( ${del[$s]} + $(msum "$scr" hookhub_sink_delivered_events_total "sink=\"$s\"") )); done
    done
    [ -n "$sinks" ] || ok=0
    for s in $sinks; do [ "${del[$s]}" -ge "$acc" ] || ok=0; done
    [ "$backlog" -eq 0 ] || ok=0
    if [ "$ok" = 1 ]; then
      DRAIN_SECONDS=$(calc "$(now) - $t0" 1)
      log "drained in ${DRAIN_SECONDS}s: accepted $acc, delivered lake ${del[lake]} s3 ${del[s3]} firehose ${del[firehose]}"
      return 0
    fi
    [ "$(date +%s)" -lt "$deadline" ] || { log "NOT drained after ${BENCH_DRAIN_TIMEOUT}s: accepted $acc, delivered lake ${del[lake]} s3 ${del[s3]} firehose ${del[firehose]}, backlog $backlog"; DRAIN_SECONDS=timeout; return 1; }
    sleep 1
  done
}

# check_lake NAME LAKE_DIR EXPECTED_FILE ACCEPTED BOUND: exactly-once check; sets LAKE_OK and LAKE_LINE
check_lake() {
  local name=$1 lake=$2 expected=$3 accepted=$4 bound=$5 line lines ids dup missing unexpected
  line=$("$JAVA" "$BENCH/LakeCheck.java" "$lake" "$expected" | grep '^LAKE ')
  lines=$(echo "$line" | sed -n 's/.* lines=\([0-9]*\).*/\1/p'); ids=$(echo "$line" | sed -n 's/.* distinct_ids=\([0-9]*\).*/\1/p')
  dup=$(echo "$line" | sed -n 's/.* duplicate_lines=\([0-9]*\).*/\1/p'); missing=$(echo "$line" | sed -n 's/.* missing=\([0-9]*\).*/\1/p')
  unexpected=$(echo "$line" | sed -n 's/.* unexpected=\([0-9]*\).*/\1/p')
  LAKE_OK=1
  [ "$dup" -eq 0 ] || LAKE_OK=0
  [ "$lines" -eq "$ids" ] || LAKE_OK=0
  [ "$ids" -eq "$accepted" ] || LAKE_OK=0
  [ "$missing" -le "$bound" ] || LAKE_OK=0
  [ "$unexpected" -eq 0 ] || LAKE_OK=0
  LAKE_LINE="$line accepted_total=$accepted unanswered_bound=$bound"
  log "lake $name: $LAKE_LINE -> $([ $LAKE_OK = 1 ] && echo 'exactly once' || echo 'NOT exactly once')"
}

declare -A R=()   # results: KEY -> value

# ------------------------------------------------------------------------------------------------ one store
bench_store() {
  local store=$1 dir=$WORK/$store extra=() expected pid s0 s1 s2 s3 s4 t0 t1 t2 t3 acc0 acc1 bound=0
  mkdir -p "$dir"
  expected=$dir/expected.txt; : >"$expected"
  if [ "$store" = postgres ]; then
    extra=(HOOKHUB_STORE_URL="$(new_pg_url bench_single)" HOOKHUB_STORE_USER="$HOOKHUB_TEST_PG_USER")
  fi
  if [ "$store" = sqlite ] && [ "$BENCH_CEILING" = 1 ]; then
    mkdir -p "$dir/routes"; cp "$BENCH/ceiling.yaml" "$dir/routes/ceiling.yaml"
  fi
  curl -sf -X POST "http://127.0.0.1:$FH_PORT/_reset" >/dev/null
  start_hub "$store" "$dir" "$HUB_PORT" "$HUB_MPORT" "${extra[@]}"
  pid=${PIDS[$store]}
  start_sampler "$store" "$pid" "$HUB_MPORT" "$dir/peak"

  log "[$store] warm-up ${BENCH_WARMUP}s"
  run_wrk "$store-warmup" "$HUB_PORT" "${store:0:2}w" hub "" 0 "$BENCH_WARMUP" "$BENCH_CONNECTIONS" "$BENCH_THREADS" "$expected"
  bound=$((bound + BENCH_CONNECTIONS + BENCH_THREADS))

  log "[$store] saturation ${BENCH_DURATION}s, $BENCH_CONNECTIONS connections"
  if [ "$store" = sqlite ] && [ "$BENCH_JFR" = 1 ]; then
    # JDK's "profile" settings with Java method sampling every 1 ms instead of 10 ms (more samples in one run)
    awk '/"jdk.ExecutionSample"/ { f = 1 } f && /method-sampling-java-interval/ && !d { sub(/10 ms/, "1 ms"); d = 1 } { print }' \
      "$(dirname "$(dirname "$(readlink -f "$(command -v "$JAVA")")")")/lib/jfr/profile.jfc" >"$WORK/profile-1ms.jfc"
    jcmd "$pid" JFR.start name=bench settings="$WORK/profile-1ms.jfc" filename="$dir/hub.jfr" >/dev/null
  fi
  if [ "$store" = sqlite ] && [[ "$BENCH_PROFILE" =~ ^(1|saturation)$ ]]; then profile_start "$pid" "$BENCH_PROFILE_EVENT"; fi
  s0=$dir/m0.prom; scrape "$HUB_MPORT" >"$s0"; t0=$(now); local c0 c1; c0=$(cpu_mark "$pid")
  run_wrk "$store-saturation" "$HUB_PORT" "${store:0:2}s" hub "" 0 "$BENCH_DURATION" "$BENCH_CONNECTIONS" "$BENCH_THREADS" "$expected"
  c1=$(cpu_mark "$pid"); t1=$(now); s1=$dir/m1.prom; scrape "$HUB_MPORT" >"$s1"
  bound=$((bound + BENCH_CONNECTIONS + BENCH_THREADS))
  if [ "$store" = sqlite ] && [ "$BENCH_JFR" = 1 ]; then
    jcmd "$pid" JFR.stop name=bench >/dev/null
    "$BENCH/jfr-top.sh" "$dir/hub.jfr" 30 >"$dir/jfr-top.txt" 2>&1 || true
    log "[$store] JFR recording of the saturation run: $dir/hub.jfr; where the time goes: $dir/jfr-top.txt"
  fi
  if [ "$store" = sqlite ] && [[ "$BENCH_PROFILE" =~ ^(1|saturation)$ ]]; then profile_stop "$pid" "$dir/hub" "$BENCH_PROFILE_EVENT profile of the saturation run"; fi
  local secs; secs=$(calc "$t1 - $t0" 3)
  acc0=$(msum "$s0" hookhub_events_accepted_total); acc1=$(msum "$s1" hookhub_events_accepted_total)
  R[$store.rate]=$(calc "($acc1 - $acc0) / $secs" 0)
  R[$store.dup_rate]=$(calc "($(msum "$s1" hookhub_events_duplicate_total) - $(msum "$s0" hookhub_events_duplicate_total)) / $secs" 0)
  R[$store.rps]=$(done_field "$WORK/wrk-$store-saturation.out" rps)
  for f in p50_ms p99_ms max_ms non2xx timeouts connect_err read_err write_err; do
    R[$store.$f]=$(done_field "$WORK/wrk-$store-saturation.out" $f)
  done
  R[$store.errors]=$(( ${R[$store.non2xx]} + ${R[$store.timeouts]} + ${R[$store.connect_err]} + ${R[$store.read_err]} + ${R[$store.write_err]} ))
  R[$store.rejected]=$(( $(msum "$s1" hookhub_requests_rejected_total) - $(msum "$s0" hookhub_requests_rejected_total) ))
  for s in lake s3 firehose; do
    R[$store.del_$s]=$(calc "($(msum "$s1" hookhub_sink_delivered_events_total "sink=\"$s\"") - $(msum "$s0" hookhub_sink_delivered_events_total "sink=\"$s\"")) / $secs" 0)
  done
  R[$store.backlog_end]=$(msum "$s1" hookhub_store_backlog_events)
  cpu_report "$store" "$c0" "$c1" "$secs" "$(wrk_cpu "$store-saturation")" "$(done_field "$WORK/wrk-$store-saturation.out" requests)"
  log "[$store] accepted ${R[$store.rate]} events/s (+${R[$store.dup_rate]} duplicates/s), wrk p50 ${R[$store.p50_ms]} p99 ${R[$store.p99_ms]} max ${R[$store.max_ms]} ms, errors ${R[$store.errors]}, rejected ${R[$store.rejected]}; delivered/s lake ${R[$store.del_lake]} s3 ${R[$store.del_s3]} firehose ${R[$store.del_firehose]}; backlog at the end ${R[$store.backlog_end]}"

  drain "$HUB_MPORT" || true
  R[$store.drain_s]=$DRAIN_SECONDS
  s2=$dir/m2.prom; scrape "$HUB_MPORT" >"$s2"
  for s in lake s3 firehose; do
    local q; q=$(hquantile 0.99 "$s0" "$s2" hookhub_sink_lag_seconds "sink=\"$s\"")
    R[$store.lag99_$s]=$q
  done
  log "[$store] end-to-end lag p99 (events delivered from the start of the saturation run to the drain): lake ${R[$store.lag99_lake]} s, s3 ${R[$store.lag99_s3]} s, firehose ${R[$store.lag99_firehose]} s"

  log "[$store] fixed rate: $BENCH_RATE requests/s for ${BENCH_RATE_DURATION}s"
  if [ "$store" = sqlite ] && [ "$BENCH_PROFILE" = rate ]; then profile_start "$pid" "$BENCH_PROFILE_EVENT"; fi
  s3=$dir/m3.prom; scrape "$HUB_MPORT" >"$s3"; t2=$(now); c0=$(cpu_mark "$pid")
  run_wrk "$store-rate" "$HUB_PORT" "${store:0:2}r" hub "" "$BENCH_RATE" "$BENCH_RATE_DURATION" "$BENCH_CONNECTIONS" "$BENCH_THREADS" "$expected"
  if [ "$store" = sqlite ] && [ "$BENCH_PROFILE" = rate ]; then profile_stop "$pid" "$dir/hub-rate" "$BENCH_PROFILE_EVENT profile of the fixed-rate run"; fi
  c1=$(cpu_mark "$pid"); t3=$(now); s4=$dir/m4.prom; scrape "$HUB_MPORT" >"$s4"
  cpu_report "$store-rate" "$c0" "$c1" "$(calc "$t3 - $t2" 3)" "$(wrk_cpu "$store-rate")" "$(done_field "$WORK/wrk-$store-rate.out" requests)"
  bound=$((bound + BENCH_CONNECTIONS + BENCH_THREADS))
  R[$store.rate_rps]=$(done_field "$WORK/wrk-$store-rate.out" rps)
  R[$store.rate_events]=$(calc "($(msum "$s4" hookhub_events_accepted_total) - $(msum "$s3" hookhub_events_accepted_total) + $(msum "$s4" hookhub_events_duplicate_total) - $(msum "$s3" hookhub_events_duplicate_total)) / $(calc "$t3 - $t2" 3)" 0)
  R[$store.rate_p50]=$(done_field "$WORK/wrk-$store-rate.out" p50_ms)
  R[$store.rate_p99]=$(done_field "$WORK/wrk-$store-rate.out" p99_ms)
  R[$store.rate_max]=$(done_field "$WORK/wrk-$store-rate.out" max_ms)
  R[$store.rate_errors]=$(( $(done_field "$WORK/wrk-$store-rate.out" non2xx) + $(done_field "$WORK/wrk-$store-rate.out" timeouts) + $(done_field "$WORK/wrk-$store-rate.out" connect_err) + $(done_field "$WORK/wrk-$store-rate.out" read_err) ))
  local sp99; sp99=$(hquantile 0.99 "$s3" "$s4" hookhub_request_duration_seconds)
  R[$store.rate_server_p99]=$( [ "$sp99" = n/a ] && echo n/a || calc "$sp99 * 1000" 1)
  log "[$store] at ${R[$store.rate_rps]} requests/s (${R[$store.rate_events]} events/s answered): wrk p50 ${R[$store.rate_p50]} p99 ${R[$store.rate_p99]} max ${R[$store.rate_max]} ms, hub-side p99 ${R[$store.rate_server_p99]} ms, errors ${R[$store.rate_errors]}"

  drain "$HUB_MPORT" || true
  local sf=$dir/m5.prom; scrape "$HUB_MPORT" >"$sf"
  check_lake "$store" "$dir/data/lake" "$expected" "$(msum "$sf" hookhub_events_accepted_total)" "$bound"
  R[$store.lake_ok]=$LAKE_OK; R[$store.lake]=$LAKE_LINE
  R[$store.firehose_records]=$(curl -sf "http://127.0.0.1:$FH_PORT/_stats" | sed -n 's/.*"bench":\([0-9]*\).*/\1/p')

  if [ "$store" = sqlite ] && [ "$BENCH_CEILING" = 1 ]; then
    log "[$store] ceiling: bare platform-http route /ceiling, same requests and wrk settings"
    run_wrk "ceiling-warmup" "$HUB_PORT" cw ceiling "" 0 $(( BENCH_WARMUP / 2 + 1 )) "$BENCH_CONNECTIONS" "$BENCH_THREADS"
    local cc0 cc1 ct0 ct1; ct0=$(now); cc0=$(cpu_mark "$pid")
    run_wrk "ceiling" "$HUB_PORT" cs ceiling "" 0 "$BENCH_CEILING_DURATION" "$BENCH_CONNECTIONS" "$BENCH_THREADS"
    cc1=$(cpu_mark "$pid"); ct1=$(now)
    cpu_report ceiling "$cc0" "$cc1" "$(calc "$ct1 - $ct0" 3)" "$(wrk_cpu ceiling)" "$(done_field "$WORK/wrk-ceiling.out" requests)"
    R[ceiling.rps]=$(done_field "$WORK/wrk-ceiling.out" rps)
    R[ceiling.p99_ms]=$(done_field "$WORK/wrk-ceiling.out" p99_ms)
    R[ceiling.ratio]=$(calc "${R[sqlite.rps]} / ${R[ceiling.rps]}" 3)
    log "ceiling ${R[ceiling.rps]} requests/s (p99 ${R[ceiling.p99_ms]} ms); hookhub ${R[sqlite.rps]} requests/s -> ratio ${R[ceiling.ratio]}"
  fi

  R[$store.rss_mib]=$(calc "$(vmhwm_kib "$pid") / 1024" 0)
  read -r hp _ <"$dir/peak" || hp=0
  R[$store.heap_mib]=$(calc "$hp / 1048576" 0)
  log "[$store] peak RSS (VmHWM) ${R[$store.rss_mib]} MiB, peak heap used ${R[$store.heap_mib]} MiB"
  stop_pid "$store"
  stop_pid "sampler-$store"
}

# ------------------------------------------------------------------------------------------------ scale-out
bench_scaleout() {
  local dir=$WORK/scaleout url expected s0a s0b s1a s1b t0 t1 half=$(( BENCH_CONNECTIONS / 2 )) tpi=$(( BENCH_THREADS > 1 ? BENCH_THREADS / 2 : 1 ))
  mkdir -p "$dir/a" "$dir/b" "$dir/lake"
  expected=$dir/expected.txt; : >"$expected"
  url=$(new_pg_url bench_scaleout)
  curl -sf -X POST "http://127.0.0.1:$FH_PORT/_reset" >/dev/null
  local env=(HOOKHUB_STORE_URL="$url" HOOKHUB_STORE_USER="$HOOKHUB_TEST_PG_USER" HOOKHUB_LAKE_DIR="$dir/lake")
  start_hub scale-a "$dir/a" "$HUB_PORT" "$HUB_MPORT" "${env[@]}"
  start_hub scale-b "$dir/b" "$HUB2_PORT" "$HUB2_MPORT" "${env[@]}"
  start_sampler scale-a "${PIDS[scale-a]}" "$HUB_MPORT" "$dir/a/peak"
  start_sampler scale-b "${PIDS[scale-b]}" "$HUB2_MPORT" "$dir/b/peak"
  log "[scale-out] warm-up ${BENCH_WARMUP}s, then ${BENCH_SCALEOUT_DURATION}s: $half connections to each instance, each instance's redeliveries are events first sent to the other"
  run_wrk scale-a-warmup "$HUB_PORT" xaw hub xbw 0 "$BENCH_WARMUP" "$half" "$tpi" "$expected" &
  local w1=$!
  run_wrk scale-b-warmup "$HUB2_PORT" xbw hub xaw 0 "$BENCH_WARMUP" "$half" "$tpi" "$expected" &
  local w2=$!
  wait $w1 || die "wrk scale-a-warmup"; wait $w2 || die "wrk scale-b-warmup"
  s0a=$dir/a0.prom; s0b=$dir/b0.prom; scrape "$HUB_MPORT" >"$s0a"; scrape "$HUB2_MPORT" >"$s0b"; t0=$(now)
  local c0 c1; c0=$(cpu_mark "${PIDS[scale-a]}" "${PIDS[scale-b]}")
  run_wrk scale-a "$HUB_PORT" xas hub xbs 0 "$BENCH_SCALEOUT_DURATION" "$half" "$tpi" "$expected" &
  w1=$!
  run_wrk scale-b "$HUB2_PORT" xbs hub xas 0 "$BENCH_SCALEOUT_DURATION" "$half" "$tpi" "$expected" &
  w2=$!
  wait $w1 || die "wrk scale-a"; wait $w2 || die "wrk scale-b"
  c1=$(cpu_mark "${PIDS[scale-a]}" "${PIDS[scale-b]}")
  t1=$(now); s1a=$dir/a1.prom; s1b=$dir/b1.prom; scrape "$HUB_MPORT" >"$s1a"; scrape "$HUB2_MPORT" >"$s1b"
  local secs acc; secs=$(calc "$t1 - $t0" 3)
  cpu_report scale "$c0" "$c1" "$secs" "$(calc "$(wrk_cpu scale-a) + $(wrk_cpu scale-b)" 3)" \
    "$(( $(done_field "$WORK/wrk-scale-a.out" requests) + $(done_field "$WORK/wrk-scale-b.out" requests) ))"
  acc=$(( $(msum "$s1a" hookhub_events_accepted_total) - $(msum "$s0a" hookhub_events_accepted_total) + $(msum "$s1b" hookhub_events_accepted_total) - $(msum "$s0b" hookhub_events_accepted_total) ))
  R[scale.rate]=$(calc "$acc / $secs" 0)
  R[scale.rate_a]=$(calc "($(msum "$s1a" hookhub_events_accepted_total) - $(msum "$s0a" hookhub_events_accepted_total)) / $secs" 0)
  R[scale.rate_b]=$(calc "($(msum "$s1b" hookhub_events_accepted_total) - $(msum "$s0b" hookhub_events_accepted_total)) / $secs" 0)
  R[scale.p99_ms]=$(awk '{print}' <<<"$(done_field "$WORK/wrk-scale-a.out" p99_ms) $(done_field "$WORK/wrk-scale-b.out" p99_ms)" | awk '{print ($1 > $2 ? $1 : $2)}')
  R[scale.errors]=0
  for w in scale-a scale-b scale-a-warmup scale-b-warmup; do
    for f in non2xx timeouts connect_err read_err write_err; do R[scale.errors]=$(( ${R[scale.errors]} + $(done_field "$WORK/wrk-$w.out" $f) )); done
  done
  log "[scale-out] combined ${R[scale.rate]} accepted events/s (a ${R[scale.rate_a]}, b ${R[scale.rate_b]}), p99 (worse instance) ${R[scale.p99_ms]} ms, errors ${R[scale.errors]}"
  drain "$HUB_MPORT" "$HUB2_MPORT" || true
  local fa=$dir/a2.prom fb=$dir/b2.prom
  scrape "$HUB_MPORT" >"$fa"; scrape "$HUB2_MPORT" >"$fb"
  local total=$(( $(msum "$fa" hookhub_events_accepted_total) + $(msum "$fb" hookhub_events_accepted_total) ))
  R[scale.duplicates]=$(( $(msum "$fa" hookhub_events_duplicate_total) + $(msum "$fb" hookhub_events_duplicate_total) ))
  R[scale.redeliveries]=0
  for w in scale-a scale-b scale-a-warmup scale-b-warmup; do R[scale.redeliveries]=$(( ${R[scale.redeliveries]} + $(done_field "$WORK/wrk-$w.out" redeliveries) )); done
  check_lake scale-out "$dir/lake" "$expected" "$total" $(( 4 * (half + tpi) ))
  R[scale.lake_ok]=$LAKE_OK; R[scale.lake]=$LAKE_LINE
  log "[scale-out] redeliveries sent ${R[scale.redeliveries]}, answered duplicate ${R[scale.duplicates]}"
  R[scale.rss_mib]=$(calc "$(( $(vmhwm_kib "${PIDS[scale-a]}") > $(vmhwm_kib "${PIDS[scale-b]}") ? $(vmhwm_kib "${PIDS[scale-a]}") : $(vmhwm_kib "${PIDS[scale-b]}") )) / 1024" 0)
  stop_pid scale-a; stop_pid scale-b; stop_pid sampler-scale-a; stop_pid sampler-scale-b
}

# ------------------------------------------------------------------------------------------------ soak
# A long run at a fixed rate: does anything grow that should level off? Memory, file descriptors, threads, the
# database file, its write-ahead log, the backlog. The dedup window is short so that purging old keys is part of it.
soak_sample() { # MINUTE PID SCRAPE: one line of samples.tsv
  local min=$1 pid=$2 scr=$3 db=$WORK/soak/data/hookhub.db
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$min" \
    "$(awk '/^VmRSS:/ {printf "%.0f", $2/1024}' "/proc/$pid/status")" \
    "$(calc "$(msum "$scr" jvm_memory_used_bytes 'area="heap"') / 1048576" 0)" \
    "$(ls "/proc/$pid/fd" | wc -l)" "$(awk '/^Threads:/ {print $2}' "/proc/$pid/status")" \
    "$(calc "$(stat -c %s "$db" 2>/dev/null || echo 0) / 1048576" 1)" "$(calc "$(stat -c %s "$db-wal" 2>/dev/null || echo 0) / 1048576" 1)" \
    "$(msum "$scr" hookhub_store_backlog_events)" "$(msum "$scr" hookhub_events_accepted_total)"
}
bench_soak() {
  local dir=$WORK/soak expected pid w samples scr min=0 secs=$(( BENCH_SOAK * 60 )) t0 c0 c1
  mkdir -p "$dir"; expected=$dir/expected.txt; : >"$expected"; samples=$dir/samples.tsv; scr=$dir/now.prom
  start_hub soak "$dir" "$HUB_PORT" "$HUB_MPORT" HOOKHUB_DEDUP_WINDOW="$BENCH_SOAK_WINDOW" HOOKHUB_DEDUP_PURGE_INTERVAL=30s
  pid=${PIDS[soak]}
  log "[soak] $BENCH_SOAK min at $BENCH_SOAK_RATE requests/s, dedup window $BENCH_SOAK_WINDOW, a sample every ${BENCH_SOAK_SAMPLE}s -> $samples"
  printf 'min\trss_mib\theap_mib\tfds\tthreads\tdb_mib\twal_mib\tbacklog\taccepted\n' >"$samples"
  c0=$(cpu_mark "$pid"); t0=$(now)
  run_wrk soak "$HUB_PORT" so hub "" "$BENCH_SOAK_RATE" "$secs" "$BENCH_CONNECTIONS" "$BENCH_THREADS" "$expected" &
  w=$!
  while kill -0 "$w" 2>/dev/null; do
    sleep "$BENCH_SOAK_SAMPLE"
    kill -0 "$w" 2>/dev/null || break
    scrape "$HUB_MPORT" >"$scr"
    min=$(calc "($(now) - $t0) / 60" 1)
    soak_sample "$min" "$pid" "$scr" >>"$samples"
  done
  wait "$w" || die "wrk soak"
  c1=$(cpu_mark "$pid")
  cpu_report soak "$c0" "$c1" "$(calc "$(now) - $t0" 3)" "$(wrk_cpu soak)" "$(done_field "$WORK/wrk-soak.out" requests)"
  drain "$HUB_MPORT" || true
  scrape "$HUB_MPORT" >"$scr"
  check_lake soak "$dir/data/lake" "$expected" "$(msum "$scr" hookhub_events_accepted_total)" $(( BENCH_CONNECTIONS + BENCH_THREADS ))
  # level off: the highest value in the last quarter of the run against the highest in the second quarter
  local growth
  growth=$(awk -F'\t' 'NR > 1 { n++; v[n] = $0 } END {
      split("rss_mib heap_mib fds threads db_mib wal_mib backlog", name, " ")
      for (c = 2; c <= 8; c++) { a = 0; b = 0
        for (i = 1; i <= n; i++) { split(v[i], f, "\t"); if (i > n / 4 && i <= n / 2 && f[c] > a) a = f[c]; if (i > 3 * n / 4 && f[c] > b) b = f[c] }
        printf "%s %s -> %s%s; ", name[c - 1], a, b, (b > a * 1.1 + 2 ? " GROWS" : "") }
    }' "$samples")
  {
    echo
    echo "hookhub soak run, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores: $BENCH_SOAK min at $BENCH_SOAK_RATE requests/s ($BENCH_CONNECTIONS connections), dedup window $BENCH_SOAK_WINDOW, JVM options: $HOOKHUB_JAVA_OPTS"
    echo "wrk: $(grep '^BENCH_DONE ' "$WORK/wrk-soak.out" | cut -d' ' -f2-14)"
    echo "hub CPU ${R[soak.cpu_ms_req]} ms per request (${R[soak.cpu_hub]} cores); drained in ${DRAIN_SECONDS}s; peak RSS (VmHWM) $(calc "$(vmhwm_kib "$pid") / 1024" 0) MiB"
    echo "lake: $LAKE_LINE -> $([ "$LAKE_OK" = 1 ] && echo 'exactly once' || echo 'NOT exactly once')"
    echo "highest in the 2nd quarter -> highest in the last quarter: ${growth% }"
    echo
    awk -F'\t' -v every="$(( 300 / BENCH_SOAK_SAMPLE ))" 'NR == 1 || (NR - 1) % every == 0 { printf "%8s %8s %9s %5s %8s %8s %8s %8s %10s\n", $1, $2, $3, $4, $5, $6, $7, $8, $9 }' "$samples"
  } | tee "$WORK/results.txt"
  stop_pid soak
}

# ------------------------------------------------------------------------------------------------ sizing
# What the hub costs at the rates people run it at, not only at saturation: hub cores, CPU per request, latency and
# memory at each rate of BENCH_SIZING_RATES, after the usual warm-up, on the embedded store with the three sinks.
bench_sizing() {
  local dir=$WORK/sizing expected pid rate c0 c1 t0 t1 secs reqs
  mkdir -p "$dir"; expected=$dir/expected.txt; : >"$expected"
  start_hub sizing "$dir" "$HUB_PORT" "$HUB_MPORT"
  pid=${PIDS[sizing]}
  log "[sizing] warm-up ${BENCH_WARMUP}s at full speed, then ${BENCH_SIZING_DURATION}s at each of: $BENCH_SIZING_RATES requests/s"
  run_wrk sizing-warmup "$HUB_PORT" zw hub "" 0 "$BENCH_WARMUP" "$BENCH_CONNECTIONS" "$BENCH_THREADS" "$expected"
  drain "$HUB_MPORT" || true
  printf '%-12s %10s %12s %16s %10s %10s %10s\n' "requests/s" achieved "hub cores" "ms CPU/request" "p50 ms" "p99 ms" "RSS MiB" >"$dir/table.txt"
  for rate in $BENCH_SIZING_RATES; do
    c0=$(cpu_mark "$pid"); t0=$(now)
    if [ "$rate" = 0 ]; then
      sleep "$BENCH_SIZING_DURATION"
      c1=$(cpu_mark "$pid"); t1=$(now); secs=$(calc "$t1 - $t0" 3)
      cpu_report "sizing-idle" "$c0" "$c1" "$secs" 0 1
      printf '%-12s %10s %12s %16s %10s %10s %10s\n' "0 (idle)" 0 "${R[sizing-idle.cpu_hub]}" - - - \
        "$(awk '/^VmRSS:/ {printf "%.0f", $2/1024}' "/proc/$pid/status")" >>"$dir/table.txt"
      continue
    fi
    run_wrk "sizing-$rate" "$HUB_PORT" "z$rate" hub "" "$rate" "$BENCH_SIZING_DURATION" "$BENCH_CONNECTIONS" "$BENCH_THREADS" "$expected"
    c1=$(cpu_mark "$pid"); t1=$(now); secs=$(calc "$t1 - $t0" 3)
    reqs=$(done_field "$WORK/wrk-sizing-$rate.out" requests)
    cpu_report "sizing-$rate" "$c0" "$c1" "$secs" "$(wrk_cpu "sizing-$rate")" "$reqs"
    printf '%-12s %10s %12s %16s %10s %10s %10s\n' "$rate" "$(done_field "$WORK/wrk-sizing-$rate.out" rps)" "${R[sizing-$rate.cpu_hub]}" \
      "${R[sizing-$rate.cpu_ms_req]}" "$(done_field "$WORK/wrk-sizing-$rate.out" p50_ms)" "$(done_field "$WORK/wrk-sizing-$rate.out" p99_ms)" \
      "$(awk '/^VmRSS:/ {printf "%.0f", $2/1024}' "/proc/$pid/status")" >>"$dir/table.txt"
  done
  drain "$HUB_MPORT" || true
  scrape "$HUB_MPORT" >"$dir/end.prom"
  check_lake sizing "$dir/data/lake" "$expected" "$(msum "$dir/end.prom" hookhub_events_accepted_total)" \
    $(( (BENCH_CONNECTIONS + BENCH_THREADS) * (1 + $(echo "$BENCH_SIZING_RATES" | wc -w)) ))
  {
    echo
    echo "hookhub sizing run, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, embedded store, sinks lake + S3 + Firehose, ${BENCH_SIZING_DURATION}s per rate after a ${BENCH_WARMUP}s warm-up; JVM options: $HOOKHUB_JAVA_OPTS"
    echo "mix 50% AppsFlyer JSON / 30% adbrix form / 20% 050 EUC-KR form, 5% redeliveries, $BENCH_CONNECTIONS connections"
    echo
    cat "$dir/table.txt"
    echo
    echo "peak RSS (VmHWM) $(calc "$(vmhwm_kib "$pid") / 1024" 0) MiB; lake: $LAKE_LINE -> $([ "$LAKE_OK" = 1 ] && echo 'exactly once' || echo 'NOT exactly once')"
  } | tee "$WORK/results.txt"
  stop_pid sizing
}

# ------------------------------------------------------------------------------------------------ run
T_START=$(date +%s)
if [ "$BENCH_SOAK" -gt 0 ]; then bench_soak; log "results: $WORK/results.txt"; exit 0; fi
if [ "$BENCH_SIZING" = 1 ]; then bench_sizing; log "results: $WORK/results.txt"; exit 0; fi
for store in $BENCH_STORES; do bench_store "$store"; done
[ "$BENCH_SCALEOUT" = 1 ] && bench_scaleout

# ------------------------------------------------------------------------------------------------ report
verdict() { [ "$1" = 1 ] && echo "met" || echo "NOT MET"; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a != "" && a != "n/a" && a + 0 >= b + 0) }' && echo 1 || echo 0; }
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a != "" && a != "n/a" && a + 0 <= b + 0) }' && echo 1 || echo 0; }
{
  echo
  echo "hookhub benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), total $(( $(date +%s) - T_START ))s"
  echo "wrk: $BENCH_CONNECTIONS connections, $BENCH_THREADS threads, saturation ${BENCH_DURATION}s; mix 50% AppsFlyer JSON / 30% adbrix form / 20% 050 EUC-KR form, 5% redeliveries"
  echo "JVM options: $HOOKHUB_JAVA_OPTS"
  echo
  printf '%-44s' "figure"; for s in $BENCH_STORES; do printf '%18s' "$s"; done; echo
  row() { local label=$1 key=$2 unit=${3:-}; printf '%-44s' "$label"; for s in $BENCH_STORES; do printf '%18s' "${R[$s.$key]:-n/a}$unit"; done; echo; }
  row "accepted events/s (saturation)" rate
  row "duplicates answered/s" dup_rate
  row "requests/s (wrk)" rps
  row "latency p50 / ms (wrk)" p50_ms
  row "latency p99 / ms (wrk)" p99_ms
  row "latency max / ms (wrk)" max_ms
  row "errors (non-2xx, socket)" errors
  row "delivered events/s lake (during load)" del_lake
  row "delivered events/s S3 (during load)" del_s3
  row "delivered events/s Firehose (during load)" del_firehose
  row "backlog at the end of the load (events)" backlog_end
  row "drain time after the load / s" drain_s
  row "end-to-end lag p99 S3 / s" lag99_s3
  row "end-to-end lag p99 Firehose / s" lag99_firehose
  row "end-to-end lag p99 lake / s" lag99_lake
  row "fixed-rate run: requests/s achieved" rate_rps
  row "fixed-rate run: p50 / ms (wrk)" rate_p50
  row "fixed-rate run: p99 / ms (wrk)" rate_p99
  row "fixed-rate run: max / ms (wrk)" rate_max
  row "fixed-rate run: p99 / ms (hub histogram)" rate_server_p99
  row "fixed-rate run: errors" rate_errors
  row "hub CPU / ms per request (saturation)" cpu_ms_req
  row "CPU cores: hub (saturation)" cpu_hub
  row "CPU cores: wrk (saturation)" cpu_wrk
  row "CPU cores: S3Proxy + Firehose server" cpu_helpers
  row "CPU cores: PostgreSQL" cpu_pg
  row "CPU cores: other processes (contention)" cpu_other
  row "peak RSS / MiB (VmHWM)" rss_mib
  row "peak heap used / MiB" heap_mib
  row "lake exactly once (1 = yes)" lake_ok
  row "Firehose records received" firehose_records
  for s in $BENCH_STORES; do echo "lake $s: ${R[$s.lake]:-}"; done
  if [ -n "${R[ceiling.rps]:-}" ]; then
    echo "ceiling (bare platform-http route): ${R[ceiling.rps]} requests/s, p99 ${R[ceiling.p99_ms]} ms, hub CPU ${R[ceiling.cpu_ms_req]} ms per request; hookhub/ceiling = ${R[sqlite.rps]}/${R[ceiling.rps]} = ${R[ceiling.ratio]}"
  fi
  if [ "$BENCH_SCALEOUT" = 1 ]; then
    echo "scale-out (2 instances, 1 PostgreSQL, 1 lake): ${R[scale.rate]} accepted events/s combined (a ${R[scale.rate_a]}, b ${R[scale.rate_b]}), p99 ${R[scale.p99_ms]} ms, errors ${R[scale.errors]}, redeliveries ${R[scale.redeliveries]} -> duplicates ${R[scale.duplicates]}, peak RSS ${R[scale.rss_mib]} MiB"
    echo "scale-out CPU in cores: hubs ${R[scale.cpu_hub]}, wrk ${R[scale.cpu_wrk]}, S3Proxy+Firehose ${R[scale.cpu_helpers]}, PostgreSQL ${R[scale.cpu_pg]}, other processes ${R[scale.cpu_other]}"
    echo "lake scale-out: ${R[scale.lake]}"
  fi
  echo
  printf '%-48s%-30s%s\n' target value verdict
  t() { printf '%-48s%-30s%s\n' "$1" "$2" "$(verdict "$3")"; }
  if [ -n "${R[sqlite.rate]:-}" ]; then
    t ">= $TARGET_RATE accepted events/s (embedded)" "${R[sqlite.rate]}" "$(ge "${R[sqlite.rate]}" "$TARGET_RATE")"
  fi
  for s in $BENCH_STORES; do
    ok=$(le "${R[$s.rate_p99]}" "$TARGET_P99_MS")
    [ "$(ge "${R[$s.rate_rps]}" "$(calc "$BENCH_RATE * 0.95" 0)")" = 1 ] || ok=0
    t "p99 <= $TARGET_P99_MS ms at $BENCH_RATE/s ($s)" "${R[$s.rate_p99]} ms at ${R[$s.rate_rps]}/s" "$ok"
  done
  maxrss=0
  for s in $BENCH_STORES; do [ "${R[$s.rss_mib]:-0}" -gt "$maxrss" ] && maxrss=${R[$s.rss_mib]}; done
  [ "$BENCH_SCALEOUT" = 1 ] && [ "${R[scale.rss_mib]:-0}" -gt "$maxrss" ] && maxrss=${R[scale.rss_mib]}
  t "peak RSS <= $TARGET_RSS_MIB MiB (every hub process)" "$maxrss MiB" "$(le "$maxrss" "$TARGET_RSS_MIB")"
  if [ -n "${R[ceiling.ratio]:-}" ]; then
    t "hookhub/ceiling >= $TARGET_CEILING_RATIO" "${R[ceiling.ratio]}" "$(ge "${R[ceiling.ratio]}" "$TARGET_CEILING_RATIO")"
  fi
  once=1; what=""
  for s in $BENCH_STORES; do [ "${R[$s.lake_ok]:-0}" = 1 ] || once=0; [ "${R[$s.errors]:-1}" = 0 ] || once=0; what="$what $s"; done
  if [ "$BENCH_SCALEOUT" = 1 ]; then [ "${R[scale.lake_ok]:-0}" = 1 ] || once=0; what="$what scale-out"; fi
  t "zero lost or doubled events" "${what# }" "$once"
  if [ -n "$WARNINGS" ]; then
    echo
    echo "WARNING: processes outside the benchmark took more than 0.25 cores during:$WARNINGS (see 'other processes' above)"
  fi
} | tee "$WORK/results.txt"
log "results: $WORK/results.txt"
