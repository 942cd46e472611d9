#!/usr/bin/env python3
"""Where the hub's CPU goes, from an async-profiler collapsed-stack file recorded with `threads`.

    python3 bench/profile-top.py hub.collapsed [top-N]

Prints the share of samples per thread group, then, inside each group, per area, then the top self-time frames of
the whole profile. A sample's area is that of its innermost frame that some rule below matches (so Jackson called
by hookhub's decoder counts as decoding, and SQLite called by a sink as SQLite). bench/run.sh writes it as profile-top.txt with BENCH_PROFILE=1.
"""
import collections
import re
import sys

# thread name pattern -> group
THREADS = [
    (r"^vert\.x-worker-thread", "HTTP workers"),
    (r"^vert\.x-eventloop-thread", "Vert.x event loops"),
    (r"^hookhub-store-writer", "group-commit writer"),
    (r"^hookhub-deliver-(\w+)|timer://deliver-(\w+)", "delivery {}"),
    (r"^hookhub-store|timer://store-", "store background"),
    (r"^C[12] CompilerThre", "JIT compiler"),
    (r"^GC Thread|^VM Thread|^G1 |^ParGC", "GC and VM"),
]

# (area, regex on one frame) checked in order for each frame from the innermost outwards
AREAS = [
    ("gzip", r"java/util/zip/|libz\.so|^deflate|^inflate"),
    ("AWS SDK", r"software/amazon/awssdk"),
    ("SQLite", r"org/sqlite/|sqlite"),
    ("PostgreSQL driver", r"org/postgresql/"),
    ("waiting (park, commit)", r"CompletableFuture\.(get|waitingGet|timedGet)|LockSupport\.park"),
    ("decode + record", r"hookhub/edge/RequestDecoder|hookhub/decode/|hookhub/record/|hookhub/security/"),
    ("reply", r"hookhub/edge/AcceptedReply|hookhub/edge/Replies"),
    ("store submit", r"hookhub/store/"),
    ("hookhub, other", r"^hookhub/"),
    ("Camel exchange handling", r"org/apache/camel/"),
    ("HTTP I/O (Netty, Vert.x)", r"io/netty/|io/vertx/"),
]


def area_of(frames):
    for frame in reversed(frames):
        for area, rx in AREAS:
            if re.search(rx, frame):
                return area
    return "JVM / libc"


def thread_group(name):
    for pattern, group in THREADS:
        m = re.search(pattern, name)
        if m:
            sink = next((g for g in m.groups() if g), None) if m.groups() else None
            return group.format(sink) if sink else group.replace(" {}", "")
    return "other threads"


def main():
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    total = 0
    groups = collections.Counter()
    areas = collections.defaultdict(collections.Counter)
    leaves = collections.Counter()
    for line in open(path, encoding="utf-8", errors="replace"):
        line = line.rstrip("\n")
        if not line:
            continue
        stack, _, n = line.rpartition(" ")
        n = int(n)
        frames = stack.split(";")
        thread = re.sub(r"^\[|\s*tid=\d+\]$", "", frames[0])
        group = thread_group(thread)
        area = area_of(frames[1:])
        total += n
        groups[group] += n
        areas[group][area] += n
        leaves[frames[-1]] += n
    if total == 0:
        print("no samples")
        return
    jit = groups.get("JIT compiler", 0)
    print(f"{total} samples; JIT compiler threads {100 * jit / total:.1f} %; shares below are of the other {total - jit}")
    rest = total - jit
    print()
    print(f"{'share':>7}  thread group / area (share of the group)")
    for group, n in groups.most_common():
        if group == "JIT compiler":
            continue
        print(f"{100 * n / rest:6.1f}%  {group}")
        for area, m in areas[group].most_common():
            if 100 * m / n >= 2:
                print(f"{'':9}{100 * m / n:5.1f}%  {area}")
    print()
    print(f"top {top} self-time frames (all threads)")
    for frame, n in leaves.most_common(top):
        print(f"{100 * n / total:6.2f}%  {frame[:140]}")


if __name__ == "__main__":
    main()
