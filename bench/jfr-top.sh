#!/usr/bin/env bash
# Where the CPU time goes in a JFR recording (bench/run.sh with BENCH_JFR=1 records the embedded saturation run):
#
#   bench/jfr-top.sh RECORDING.jfr [TOP]
#
# From jdk.ExecutionSample (Java threads running Java code, sampled every 10 ms with settings=profile; time in GC
# and JIT threads is not in these samples: see the GC line), it prints:
#   - samples per thread group (thread name without its number)
#   - self time: the top frame, by method and by package
#   - total time: samples with a frame of that package/area anywhere on the stack
# plus GC pauses (jdk.GarbageCollection) and the machine/JVM CPU load (jdk.CPULoad).
set -euo pipefail
jfr_file=$1
top=${2:-25}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

jfr summary "$jfr_file" >"$tmp/summary.txt"
jfr print --stack-depth 96 --events jdk.ExecutionSample "$jfr_file" >"$tmp/samples.txt"

# one line per sample: THREAD<TAB>frame1<TAB>frame2... (frame = package.Class.method)
awk '
  /^jdk.ExecutionSample/ { inst = 1; thread = ""; n = 0; next }
  inst && /sampledThread = / { t = $0; sub(/.*sampledThread = "/, "", t); sub(/".*/, "", t); thread = t; next }
  inst && /stackTrace = \[/ { instack = 1; next }
  instack && /^[[:space:]]*\]/ { instack = 0; next }
  instack { f = $0; gsub(/^[[:space:]]+/, "", f); sub(/\(.*/, "", f); if (f != "..." && f != "") { n++; fr[n] = f }; next }
  /^}/ && inst { line = thread; for (i = 1; i <= n; i++) line = line "\t" fr[i]; print line; inst = 0 }
' "$tmp/samples.txt" >"$tmp/stacks.tsv"

total=$(wc -l <"$tmp/stacks.tsv")
echo "== $jfr_file: $total execution samples"
grep -E 'jdk.ExecutionSample|jdk.GarbageCollection |jdk.CPULoad' "$tmp/summary.txt" | sed 's/^/   /' || true

# COUNT WORDS... lines (from uniq -c) -> count, share of all samples, text; only the first $1 lines (no head: pipefail)
pct() { awk -v t="$total" -v top="$1" 'NR <= top { printf "%6d %5.1f%%  %s\n", $1, 100 * $1 / t, substr($0, index($0, $2)) }'; }

echo
echo "== samples by thread group"
cut -f1 "$tmp/stacks.tsv" | sed -E 's/-[0-9]+$//; s/thread #[0-9]+ - /thread - /' | sort | uniq -c | sort -rn | pct 15

echo
echo "== self time: top frame, by method"
cut -f2 "$tmp/stacks.tsv" | sort | uniq -c | sort -rn | pct "$top"

echo
echo "== self time: top frame, by package"
cut -f2 "$tmp/stacks.tsv" | awk '{ n = split($0, p, "."); s = p[1]; for (i = 2; i <= n - 2 && i <= 4; i++) s = s "." p[i]; print s }' |
  sort | uniq -c | sort -rn | pct "$top"

echo
echo "== total time: samples with this area anywhere on the stack (areas overlap)"
awk -F'\t' '
  BEGIN {
    a["hookhub.decode (vendor body decoding)"] = "^hookhub\\.decode\\."
    a["hookhub.record (ids, record JSON)"] = "^hookhub\\.record\\."
    a["hookhub.edge"] = "^hookhub\\.edge\\."
    a["hookhub.store"] = "^hookhub\\.store\\."
    a["hookhub.deliver (sinks)"] = "^hookhub\\.deliver\\."
    a["hookhub.ops (metrics, status)"] = "^hookhub\\.ops\\."
    a["hookhub.config (route files)"] = "^hookhub\\.config\\."
    a["org.sqlite (SQLite JDBC + native)"] = "^org\\.sqlite\\."
    a["org.postgresql (JDBC)"] = "^org\\.postgresql\\."
    a["org.apache.camel (routing engine)"] = "^org\\.apache\\.camel\\."
    a["org.apache.camel.processor.idempotent"] = "^org\\.apache\\.camel\\.processor\\.idempotent\\."
    a["org.apache.camel.processor.Split/Multicast"] = "^org\\.apache\\.camel\\.processor\\.(Splitter|MulticastProcessor)"
    a["org.apache.camel.component.kamelet"] = "^org\\.apache\\.camel\\.component\\.kamelet\\."
    a["org.apache.camel.component.platform.http"] = "^org\\.apache\\.camel\\.component\\.platform\\.http\\."
    a["org.apache.camel language/simple"] = "^org\\.apache\\.camel\\.language\\."
    a["io.vertx"] = "^io\\.vertx\\."
    a["io.netty"] = "^io\\.netty\\."
    a["com.fasterxml.jackson"] = "^com\\.fasterxml\\.jackson\\."
    a["io.micrometer / prometheus"] = "^(io\\.micrometer|io\\.prometheus)\\."
    a["software.amazon.awssdk"] = "^software\\.amazon\\.awssdk\\."
    a["java.util.zip (gzip)"] = "^java\\.util\\.zip\\."
    a["logging (slf4j/log4j/logback)"] = "^(org\\.slf4j|org\\.apache\\.logging|ch\\.qos\\.logback)\\."
    a["java.util.regex"] = "^java\\.util\\.regex\\."
    a["java.security / MessageDigest"] = "^(java\\.security|sun\\.security)\\."
    a["java.nio.charset / String coding"] = "^(java\\.nio\\.charset|sun\\.nio\\.cs|java\\.lang\\.StringCoding)"
    a["java.time"] = "^java\\.time\\."
    a["java.lang.Throwable (exceptions)"] = "^java\\.lang\\.Throwable\\."
    a["java.lang.reflect / invoke"] = "^(java\\.lang\\.reflect|java\\.lang\\.invoke|jdk\\.internal\\.reflect)\\."
    a["java.util.concurrent (locks, queues)"] = "^java\\.util\\.concurrent\\."
  }
  { for (k in a) { hit = 0; for (i = 2; i <= NF; i++) if ($i ~ a[k]) { hit = 1; break }; if (hit) c[k]++ } }
  END { for (k in c) print c[k] "\t" k }' "$tmp/stacks.tsv" | sort -rn |
  awk -F'\t' -v t="$total" '{ printf "%6d %5.1f%%  %s\n", $1, 100 * $1 / t, $2 }'

echo
echo "== GC (jdk.GarbageCollection) and CPU load (jdk.CPULoad)"
jfr print --events jdk.GarbageCollection "$jfr_file" | awk '
  function ms(v, u) { return u == "ms" ? v : (u == "s" ? v * 1000 : (u == "us" ? v / 1000 : v / 1e6)) }
  /name = / { n = $3 }
  /sumOfPauses = / { s[n] += ms($3, $4); c[n]++ }
  /longestPause = / { x = ms($3, $4); if (x > mx[n]) mx[n] = x }
  END { for (k in c) printf "   %s: %d collections, %.0f ms of pauses in total, longest %.1f ms\n", k, c[k], s[k], mx[k] }'
jfr print --events jdk.GCHeapSummary "$jfr_file" | awk '
  /when = / { w = $3 } /heapUsed = / { if (w == "\"After") { v = $3 + 0; if ($4 == "kB") v /= 1024; if ($4 == "GB") v *= 1024; a[++n] = v } }
  END { if (n) { asorted = 0; for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
        printf "   heap used after GC: min %.0f MB, median %.0f MB, max %.0f MB (%d collections)\n", a[1], a[int((n + 1) / 2)], a[n], n } }'
jfr print --events jdk.CPULoad "$jfr_file" | awk '
  /jvmUser = / { u += $3; n++ } /jvmSystem = / { s += $3 } /machineTotal = / { m += $3 }
  END { if (n) printf "   JVM user %.1f%%, JVM system %.1f%%, machine total %.1f%% (averages of %d samples; 100%% = all cores)\n", u / n, s / n, m / n, n }'
