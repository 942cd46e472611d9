#!/usr/bin/env python3
"""How a sink's polls scale with dead letters in the SQLite store: the layout before against the current one.

    python3 bench/dead-letters.py [DEAD_LETTERS]      (default 1,000,000; about half a minute)

Builds hookhub_pending twice, as hookhub's Dialect.schema() does (SQLite) and as it did before the (sink, dead, seq)
key, each with DEAD_LETTERS dead letters of sink s3 (the oldest rows, as after an outage) and 50,000 waiting rows for
each of three sinks. Then times the statements a sink runs on every poll (PendingSql) and the body reaper's lookup,
and prints milliseconds per statement with the plan SQLite chose. Uses Python's sqlite3 module, so the SQLite
version may differ from the one in the jar; the plans are what matter.
"""
import os, sqlite3, sys, tempfile, time

DEAD = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
WAITING = 50_000
COLUMNS = """sink VARCHAR(32) NOT NULL, seq BIGINT NOT NULL, source VARCHAR(100) NOT NULL, received_at BIGINT NOT NULL,
  bytes INTEGER NOT NULL, batch VARCHAR(80), lease_until BIGINT NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 0,
  next_at BIGINT NOT NULL DEFAULT 0, dead SMALLINT NOT NULL DEFAULT 0, last_error TEXT"""
path = os.path.join(tempfile.mkdtemp(), "pending.db")
c = sqlite3.connect(path)
c.executescript(f"""
-- before: keyed (sink, seq); claimed rows (dead letters included) by batch; every row by seq
CREATE TABLE before ({COLUMNS}, PRIMARY KEY (sink, seq)) WITHOUT ROWID;
CREATE INDEX before_claimed ON before (sink, batch) WHERE batch IS NOT NULL;
CREATE INDEX before_seq ON before (seq);
-- now (Dialect.schema)
CREATE TABLE now ({COLUMNS}, PRIMARY KEY (sink, dead, seq)) WITHOUT ROWID;
CREATE INDEX now_inflight ON now (sink, batch) WHERE batch IS NOT NULL AND dead = 0;
CREATE INDEX now_live ON now (dead, seq);
""")
rows = [("s3", s, "appsflyer", 1, 2000, "%012d" % (s // 500), 0, 100, 0, 1, "AccessDenied") for s in range(DEAD)]
rows += [(sink, s, "appsflyer", 1, 2000, None, 0, 0, 0, 0, None)
         for s in range(DEAD, DEAD + WAITING) for sink in ("lake", "s3", "firehose")]
for table in ("before", "now"):
    c.executemany(f"INSERT INTO {table} VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)
c.commit()


def run(label, sql, *args):
    c.execute(sql, args).fetchall()  # warm the page cache
    n = 10
    t0 = time.perf_counter()
    for _ in range(n):
        c.execute(sql, args).fetchall()
    ms = (time.perf_counter() - t0) / n * 1000
    plan = "; ".join(r[3] for r in c.execute("EXPLAIN QUERY PLAN " + sql, args))
    print(f"{label:<40} {ms:9.2f} ms   {plan}")


print(f"sink s3: {DEAD:,} dead letters; {WAITING:,} waiting rows for each of lake, s3 and firehose")
for t in ("before", "now"):
    run(f"{t}: poll, ready rows due (dueSummary)", f"SELECT COUNT(*), MIN(received_at), SUM(bytes) FROM (SELECT received_at,"
        f" bytes FROM {t} WHERE sink = ? AND dead = 0 AND batch IS NULL AND next_at <= ? ORDER BY seq LIMIT 500)", "s3", 10)
    index = "before_claimed" if t == "before" else "now_inflight"
    run(f"{t}: poll, a lease over? (expiredExists)", f"SELECT 1 FROM {t} INDEXED BY {index} WHERE sink = ? AND batch IS NOT NULL"
        " AND dead = 0 AND lease_until < ? LIMIT 1", "s3", 10)
    index = "before_seq" if t == "before" else "now_live"
    run(f"{t}: body reaper, oldest live seq", f"SELECT MIN(seq) FROM {t} INDEXED BY {index} WHERE dead = 0")
    run(f"{t}: backlog count (store-backlog)", f"SELECT sink, SUM(1 - dead), SUM(CASE WHEN dead = 0 THEN bytes ELSE 0 END),"
        f" MIN(CASE WHEN dead = 0 THEN received_at END), SUM(dead) FROM {t} GROUP BY sink")
os.remove(path)
