#!/usr/bin/env python3
"""Import speed and memory: `recscope import` vs the sqlite3 shell's .import of the same file, per size.

Usage:
  bench/import_bench.py [--rows 1000000] [--runs 5] [--binary .build/release/recscope]
  bench/import_bench.py --rows 24000000 --runs 3          # also runs 1M (--compare-rows) for the scaling ratio
  bench/import_bench.py --file /tmp/d1 --file /tmp/d24 --runs 3   # existing RecBole folders or .inter files

For each size: the median and min seconds of each, rows/s, peak resident memory (GNU time), the ratio,
the median of each phase of ours (`import --json`), and the load average before and after. Runs alternate
ours and the shell's, so both see the same machine. With more than one size it ends with the scaling table:
rows/s at each size against the smallest (the goal of issue 18: within 1.25x).

`--file` takes a folder holding NAME.inter (and NAME.item / NAME.user: ours imports the folder, the shell the
.inter only) or an .inter file. The shell loads the .inter without its header into a plain table with one
untyped column per header field. With --floor (default for up to 2M generated rows) it also measures what
SQLite alone costs for the same rows through prepared statements (bench/sqlite_floor.c).
"""
import argparse, json, os, random, shutil, sqlite3, statistics, subprocess, sys, tempfile, time

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

def load():
    return " ".join(f"{x:.2f}" for x in os.getloadavg())

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

def inter_of(source):
    """(what ours imports, the .inter file) for a folder or an .inter file."""
    if os.path.isdir(source):
        inters = [f for f in os.listdir(source) if f.endswith(".inter")]
        if len(inters) != 1:
            sys.exit(f"{source}: expected one .inter file in the folder, found {len(inters)}")
        return source, os.path.join(source, inters[0])
    return source, source

def bench_one(name, source, inter, args, binary, work):
    """Runs ours and the shell `args.runs` times each on one source; prints and returns the figures."""
    with open(inter) as f:
        header = f.readline().rstrip("\n").split("\t")
    rows = 0
    with open(inter, "rb") as f:
        for block in iter(lambda: f.read(1 << 24), b""):
            rows += block.count(b"\n")
    rows -= 1
    tsv = os.path.join(work, "shell.tsv")
    with open(inter) as src, open(tsv, "w") as dst:
        next(src)
        shutil.copyfileobj(src, dst, 1 << 24)
    columns = ", ".join(f"c{i}" for i in range(len(header)))
    script = f"CREATE TABLE interactions({columns});\n.mode tabs\n.import {tsv} interactions\n"
    script_path = os.path.join(work, "shell.sql")
    with open(script_path, "w") as f:
        f.write(script)
    ours, shell, summaries, ddl, page_size = [], [], [], None, None
    loads = [load()]
    for run in range(args.runs):
        db = os.path.join(work, f"ours{run}.sqlite")
        ours.append(timed([binary, "import", "--catalog", db, "--format", "recbole", "--json", source], output=summaries))
        if ddl is None:
            with sqlite3.connect(db) as c:
                ddl = c.execute("SELECT sql FROM sqlite_master WHERE name = 'interactions'").fetchone()[0]
                page_size = c.execute("PRAGMA page_size").fetchone()[0]
        for f in os.listdir(work):
            if f.endswith((".sqlite", "-wal", "-shm")):
                os.remove(os.path.join(work, f))
        db2 = os.path.join(work, f"shell{run}.sqlite")
        with open(script_path) as stdin:
            shell.append(timed(["sqlite3", db2], stdin=stdin))
        os.remove(db2)
        loads.append(load())
    os.remove(tsv)
    def row(label, samples):
        secs = [s for s, _ in samples]
        med = statistics.median(secs)
        print(f"  {label:<34} median {med:7.2f} s  min {min(secs):7.2f} s  {rows / med / 1e6:5.2f} M rows/s  "
              f"peak {max(m for _, m in samples):7.1f} MB")
        return med
    print(f"{name}: {rows} interactions, {args.runs} runs each, alternating, same file, same run")
    print(f"  load average (1, 5, 15 min) before and after each pair: {' | '.join(loads)}")
    a = row("recscope import", ours)
    b = row("sqlite3 shell .import (plain table)", shell)
    print(f"  ratio: recscope is {b / a:.2f}x the sqlite3 shell's speed")
    phases = {}
    for text in summaries:
        for phase in json.loads(text)["phases"]:
            phases.setdefault(phase["name"], []).append(phase["seconds"])
    print("  recscope phases (median s): " + ", ".join(f"{n} {statistics.median(v):.2f}" for n, v in phases.items()))
    return dict(name=name, rows=rows, ours=a, shell=b, peak=max(m for _, m in ours), ddl=ddl, page_size=page_size)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", default="1000000", help="rows to generate; a comma list runs each size")
    ap.add_argument("--compare-rows", type=int, default=1_000_000,
                    help="with one --rows size above this, also run this size for the scaling ratio (0: no)")
    ap.add_argument("--file", action="append", help="an existing RecBole folder or .inter file (repeatable)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--binary", default=".build/release/recscope")
    ap.add_argument("--floor", action="store_true", help="measure SQLite's own insert cost too")
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)
    work = tempfile.mkdtemp(prefix="recscope-import-bench-", dir=os.environ.get("BENCH_TMP"))
    try:
        results = []
        if args.file:
            for source in args.file:
                src, inter = inter_of(source)
                results.append(bench_one(os.path.basename(source.rstrip("/")), src, inter, args, binary, work))
        else:
            sizes = [int(r) for r in args.rows.split(",")]
            if len(sizes) == 1 and args.compare_rows and sizes[0] > args.compare_rows:
                sizes.insert(0, args.compare_rows)
            for rows in sizes:
                inter = os.path.join(work, "bench.inter")
                make_inter(inter, rows)
                results.append(bench_one(f"generated {rows}", inter, inter, args, binary, work))
                os.remove(inter)
            if args.floor or max(sizes) <= 2_000_000:
                r = results[-1]
                floor = sqlite_floor(work, r["rows"], args.runs, r["ddl"], r["page_size"])
                if floor is None:
                    print("no C compiler: SQLite floor not measured")
                else:
                    print(f"SQLite C API, prepared statements, pre-parsed rows in key order, journal off (bench/sqlite_floor.c), {r['rows']} rows:")
                    print(f"  catalog's interactions table ({r['page_size'] // 1024} kB pages) median {floor['interactions']:6.3f} s  {r['rows'] / floor['interactions'] / 1e6:5.2f} M rows/s")
                    print(f"  plain 4-column table (4 kB pages)     median {floor['plain']:6.3f} s  {r['rows'] / floor['plain'] / 1e6:5.2f} M rows/s")
        if len(results) > 1:
            base = results[0]
            print("scaling (rows/s against the smallest size; goal: within 1.25x):")
            for r in results:
                ours_rate, shell_rate = r["rows"] / r["ours"], r["rows"] / r["shell"]
                print(f"  {r['name']:<20} {r['rows']:>10} rows  recscope {ours_rate / 1e6:5.2f} M rows/s "
                      f"({base['rows'] / base['ours'] / ours_rate:4.2f}x slower per row than the smallest)  "
                      f"shell {shell_rate / 1e6:5.2f} M rows/s  peak {r['peak']:7.1f} MB  ours/shell time {r['ours'] / r['shell']:4.2f}")
    finally:
        shutil.rmtree(work)

if __name__ == "__main__":
    main()
