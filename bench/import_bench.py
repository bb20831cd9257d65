#!/usr/bin/env python3
"""Import speed: `recscope import` of a synthetic 1M-row RecBole .inter file vs the sqlite3 shell's .import.

Usage: bench/import_bench.py [--rows 1000000] [--runs 5] [--binary .build/release/recscope]
Prints the median and min seconds, rows/s, peak resident memory of each, and the ratio; then the median
of each phase of ours (from `import --json`), and what SQLite alone costs for the same rows through the
C API with prepared statements (bench/sqlite_floor.c, built with cc when there is one): into the
catalog's own interactions table, and into the shell's plain 4-column table.
The goal (issue 2): ours >= 1.5M rows/s with parsing, peak memory < 500 MB.
"""
import argparse, json, os, random, re, shutil, sqlite3, statistics, subprocess, sys, tempfile, time

def make_inter(path, rows, seed=7):
    """A synthetic .inter with the shape of real logs: long-tailed users and items, and each user's
    history in sessions (85% of steps 10-300 s apart, else hours to days), rows not in time order."""
    rng = random.Random(seed)
    users, items = max(rows // 20, 1), max(rows // 50, 1)
    clock = [1_600_000_000 + rng.randrange(86400 * 30) for _ in range(users)]
    with open(path, "w") as f:
        f.write("user_id:token\titem_id:token\trating:float\ttimestamp:float\n")
        for _ in range(rows):
            u = int(users * rng.random() ** 1.5)
            clock[u] += rng.randint(10, 300) if rng.random() < 0.85 else rng.randint(5 * 3600, 10 * 86400)
            f.write(f"u{u}\ti{int(items * rng.random() ** 2)}\t{rng.randint(1, 5)}\t{clock[u]}\n")

def timed(cmd, cwd=None, stdin=None, output=None):
    """Runs cmd under GNU time; returns (seconds, peak RSS in MB); appends its stdout to `output`."""
    start = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, cwd=cwd, stdin=stdin,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if p.returncode != 0:
        sys.exit(f"command failed: {' '.join(cmd)}\n{p.stderr}")
    if output is not None:
        output.append(p.stdout)
    rss_kb = int(p.stderr.strip().splitlines()[-1])
    return elapsed, rss_kb / 1024

def sqlite_floor(work, rows, runs, ddl, page_size):
    """Medians of bench/sqlite_floor.c's insert+commit seconds for both tables, or None without cc."""
    source = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sqlite_floor.c")
    binary = os.path.join(work, "sqlite_floor")
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc is None or subprocess.run([cc, "-O2", source, "-lsqlite3", "-o", binary]).returncode != 0:
        return None
    result = {}
    for table, extra in (("interactions", [ddl, str(page_size)]), ("plain", [])):
        secs = []
        for _ in range(runs):
            out = subprocess.run([binary, os.path.join(work, "floor.sqlite"), str(rows), table] + extra,
                                 stdout=subprocess.PIPE, text=True, check=True).stdout.split()
            secs.append(float(out[0]) + float(out[1]))
        result[table] = statistics.median(secs)
    return result

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--binary", default=".build/release/recscope")
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)
    work = tempfile.mkdtemp(prefix="recscope-import-bench-")
    try:
        inter = os.path.join(work, "bench.inter")
        make_inter(inter, args.rows)
        csv = os.path.join(work, "bench.tsv")
        with open(inter) as src, open(csv, "w") as dst:
            next(src)
            shutil.copyfileobj(src, dst)
        ours, shell, summaries, ddl, page_size = [], [], [], None, None
        for run in range(args.runs):
            db = os.path.join(work, f"ours{run}.sqlite")
            ours.append(timed([binary, "import", "--catalog", db, "--format", "recbole", "--json", inter], output=summaries))
            if ddl is None:
                with sqlite3.connect(db) as c:
                    ddl = c.execute("SELECT sql FROM sqlite_master WHERE name = 'interactions'").fetchone()[0]
                    page_size = c.execute("PRAGMA page_size").fetchone()[0]
            db2 = os.path.join(work, f"shell{run}.sqlite")
            script = ("CREATE TABLE interactions(user TEXT, item TEXT, value REAL, ts REAL);\n"
                      f".mode tabs\n.import {csv} interactions\n")
            shell.append(timed(["sqlite3", db2], stdin=subprocess.Popen(["printf", "%s", script], stdout=subprocess.PIPE).stdout))
            for f in os.listdir(work):
                if f.endswith((".sqlite", "-wal", "-shm")):
                    os.remove(os.path.join(work, f))
        def row(name, samples):
            secs = [s for s, _ in samples]
            med = statistics.median(secs)
            print(f"{name:<34} median {med:6.3f} s  min {min(secs):6.3f} s  {args.rows / med / 1e6:5.2f} M rows/s  peak {max(m for _, m in samples):6.1f} MB")
            return med
        print(f"{args.rows} interactions, {args.runs} runs each, same file, same machine, same run")
        a = row("recscope import (recbole .inter)", ours)
        b = row("sqlite3 shell .import (tsv)", shell)
        print(f"ratio: recscope is {b / a:.2f}x the sqlite3 shell's speed")
        phases = {}
        for text in summaries:
            for phase in json.loads(text)["phases"]:
                phases.setdefault(phase["name"], []).append(phase["seconds"])
        print("recscope phases (median s): " + ", ".join(f"{name} {statistics.median(v):.3f}" for name, v in phases.items()))
        floor = sqlite_floor(work, args.rows, args.runs, ddl, page_size)
        if floor is None:
            print("no C compiler: SQLite floor not measured")
        else:
            print(f"SQLite C API, prepared statements, pre-parsed rows in key order, journal off (bench/sqlite_floor.c):")
            print(f"  catalog's interactions table ({page_size // 1024} kB pages) median {floor['interactions']:6.3f} s  {args.rows / floor['interactions'] / 1e6:5.2f} M rows/s")
            print(f"  plain 4-column table (4 kB pages)     median {floor['plain']:6.3f} s  {args.rows / floor['plain'] / 1e6:5.2f} M rows/s")
    finally:
        shutil.rmtree(work)

if __name__ == "__main__":
    main()
