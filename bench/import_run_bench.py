#!/usr/bin/env python3
"""import-run speed: `recscope import-run` of a synthetic 1M-line TREC run, and what a table would cost instead.

Usage: bench/import_run_bench.py [--catalog /tmp/benchdata/now.sqlite] [--lines 1000000] [--depth 100]
                                 [--runs 3] [--format trec|csv] [--binary .build/release/recscope]

The catalog is copied (SQLite's backup API) into a temporary directory and never written. The run lists
`depth` distinct items for each of lines/depth users (seeded), scores descending. Prints the median and min
seconds of `import-run` (the first run stores, the others --replace), lines/s, its parse and store phases
(`import-run --json`), the stored size, and beside it the same lines inserted by Python's sqlite3 into a
plain table `(model, user, item, rank, score)` with a primary key (the alternative design): seconds and bytes.
The goal (issue 18): a 1M-line run imports in under 2 s.
"""
import argparse, json, os, random, shutil, sqlite3, statistics, subprocess, sys, tempfile, time


def copy_catalog(source, target):
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    src.backup(dst)
    dst.close()
    src.close()


def ids(catalog, table):
    db = sqlite3.connect(catalog)
    out = [r[0] for r in db.execute(f"SELECT external_id FROM {table} ORDER BY idx")]
    db.close()
    return out


def make_run(path, users, items, lines, depth, fmt, seed=7):
    rng = random.Random(seed)
    chosen = rng.sample(range(len(users)), min(len(users), lines // depth))
    written = 0
    with open(path, "w") as f:
        if fmt == "csv":
            f.write("user,item,score\n")
        for u in sorted(chosen):
            for rank, i in enumerate(rng.sample(range(len(items)), depth), start=1):
                score = f"{1.0 / (rank + rng.random()):.6f}"
                if fmt == "csv":
                    f.write(f"{users[u]},{items[i]},{score}\n")
                else:
                    f.write(f"{users[u]} Q0 {items[i]} {rank} {score} bench\n")
                written += 1
    return written


def table_reference(catalog, run_path, fmt):
    """Seconds and bytes to keep the same lines as rows of a table, through Python's sqlite3."""
    db = sqlite3.connect(catalog)
    user_index = {u: n for n, u in enumerate(r[0] for r in db.execute("SELECT external_id FROM users ORDER BY idx"))}
    item_index = {i: n for n, i in enumerate(r[0] for r in db.execute("SELECT external_id FROM items ORDER BY idx"))}
    before = os.path.getsize(catalog)
    start = time.perf_counter()
    db.execute("CREATE TABLE bench_run_rows (model INTEGER, user INTEGER, item INTEGER, rank INTEGER, score REAL, "
               "PRIMARY KEY (model, user, rank)) WITHOUT ROWID")
    rows = []
    with open(run_path) as f:
        if fmt == "csv":
            next(f)
        rank = {}
        for line in f:
            if fmt == "csv":
                u, i, s = line.rstrip("\n").split(",")
                r = rank[u] = rank.get(u, 0) + 1
            else:
                u, _, i, r, s, _ = line.split()
            rows.append((1, user_index[u], item_index[i], int(r), float(s)))
    db.executemany("INSERT INTO bench_run_rows VALUES (?, ?, ?, ?, ?)", rows)
    db.commit()
    seconds = time.perf_counter() - start
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    grown = os.path.getsize(catalog) - before
    db.execute("DROP TABLE bench_run_rows")
    db.commit()
    db.close()
    return seconds, grown


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--catalog", default="/tmp/benchdata/now.sqlite")
    ap.add_argument("--lines", type=int, default=1_000_000)
    ap.add_argument("--depth", type=int, default=100)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--format", choices=["trec", "csv"], default="trec")
    ap.add_argument("--binary", default=".build/release/recscope")
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)
    if not os.path.exists(binary):
        sys.exit(f"{binary}: build it first (swift build -c release --product recscope)")
    work = tempfile.mkdtemp(prefix="import-run-bench-")
    try:
        catalog = os.path.join(work, "catalog.sqlite")
        copy_catalog(args.catalog, catalog)
        users, items = ids(catalog, "users"), ids(catalog, "items")
        run = os.path.join(work, "run." + args.format)
        lines = make_run(run, users, items, args.lines, args.depth, args.format)
        print(f"catalog {args.catalog} (copied): {len(users)} users, {len(items)} items; "
              f"run: {lines} lines, {lines // args.depth} users x {args.depth}, {os.path.getsize(run) / 1e6:.1f} MB {args.format}")
        seconds, reports = [], []
        for n in range(args.runs):
            cmd = [binary, "import-run", "--catalog", catalog, "--name", "bench", run, "--json"] + (["--replace"] if n else [])
            start = time.perf_counter()
            p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            seconds.append(time.perf_counter() - start)
            if p.returncode != 0:
                sys.exit(f"import-run failed: {p.stderr}")
            reports.append(json.loads(p.stdout))
        median = statistics.median(seconds)
        print(f"recscope import-run: median {median:.3f} s, min {min(seconds):.3f} s of {args.runs} "
              f"({lines / median / 1e6:.2f}M lines/s); "
              f"parse+map {statistics.median(r['parse_seconds'] for r in reports):.3f} s, "
              f"store {statistics.median(r['store_seconds'] for r in reports):.3f} s, "
              f"stored {reports[-1]['stored_bytes'] / 1e6:.1f} MB of float32 BLOBs")
        print(f"goal: under 2 s for 1M lines -> {'met' if median < 2 and lines >= 1_000_000 else 'not met' if lines >= 1_000_000 else 'n/a'}")
        t, grown = table_reference(catalog, run, args.format)
        print(f"reference, a table of rows (model, user, item, rank, score) by Python sqlite3: {t:.3f} s, "
              f"{grown / 1e6:.1f} MB ({grown / max(1, reports[-1]['stored_bytes']):.1f}x the BLOBs)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
