#!/usr/bin/env python3
"""Compare RecScope's SIMD core with numpy and FAISS on the same sizes, in the same run.

Runs the release binary (`swift build -c release` first) for `recscope bench mips` and
`recscope bench cholesky`, then numpy (`E @ Q.T` + `argpartition`) and faiss-cpu `IndexFlatIP`
(one thread) on random data of the same shape, and prints one table of medians with ratios.
The machine may be shared and noisy: every number is a median of --runs repetitions (at least 5),
and the contenders alternate within each repetition, each turn a burst of 3 warm calls reduced to
its median ("(min)" is recscope's fastest repetition).

    python3 bench/compare_mips.py [--runs 7] [--threads 1] [--binary .build/release/recscope]
"""
import argparse
import json
import os
import subprocess
import sys
import time

parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument("--binary", default=".build/release/recscope")
parser.add_argument("--runs", type=int, default=7)
parser.add_argument("--threads", type=int, default=1, help="threads for recscope and faiss")
parser.add_argument("--k", type=int, default=100)
parser.add_argument("--sizes", default="1000000x64x1,1000000x64x64,100000x128x1,100000x128x64,10000x64x1,10000x64x64",
                    help="comma-separated ITEMSxDIMxQUERIES")
parser.add_argument("--cholesky", type=int, default=2000, help="n for the Cholesky row (0 to skip)")
parser.add_argument("--blas-threads", type=int, default=0,
                    help="if > 0, set OPENBLAS_NUM_THREADS for numpy (default: numpy's own default)")
parser.add_argument("--json", action="store_true", help="also print the rows as JSON")
args = parser.parse_args()
if args.runs < 5:
    sys.exit("--runs must be at least 5 (medians of noisy timings)")
if args.blas_threads > 0:
    os.environ["OPENBLAS_NUM_THREADS"] = str(args.blas_threads)
if not os.path.exists(args.binary):
    sys.exit(f"{args.binary} not found: run `swift build -c release` in the package root first")

import numpy as np  # noqa: E402  (after the thread environment is set)
try:
    import faiss  # noqa: E402
except ImportError:
    sys.exit("faiss is not installed: pip install faiss-cpu")
faiss.omp_set_num_threads(args.threads)


def median(xs):
    s = sorted(xs)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def time_once(fn):
    t = time.perf_counter()
    fn()
    return (time.perf_counter() - t) * 1e3


def recscope(*argv, runs=1):
    cmd = [args.binary, "bench", *argv, "--json", "--runs", str(runs)]
    res = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(res.stdout)


def interleaved(rs_argv, contenders, burst=3):
    """Alternates recscope and each contender once per repetition, so noise from other jobs falls on
    all of them alike. Each turn is a burst of `burst` warm calls reduced to their median (recscope:
    one process with `--runs burst` after its own warm-up); the table reports the median over the
    repetitions, and "(min)" the fastest repetition."""
    for fn in contenders.values():
        fn()  # warm-up
    rs_runs, times = [], {name: [] for name in contenders}
    for _ in range(args.runs):
        rs_runs.append(recscope(*rs_argv, runs=burst))
        for name, fn in contenders.items():
            times[name].append(median([time_once(fn) for _ in range(burst)]))
    rs = {
        "median_ms": median([r["median_ms"] for r in rs_runs]),
        "min_ms": min(r["median_ms"] for r in rs_runs),
        "stream_ms": median([r.get("stream_ms", 0) for r in rs_runs]),
        "gflop_per_s": median([r["gflop_per_s"] for r in rs_runs]),
    }
    return rs, {name: median(ts) for name, ts in times.items()}


def numpy_topk(E, Q, k):
    """Top-k per query: `E @ q` for one query; for a batch the same product as `Q @ E.T` (rows contiguous,
    which is numpy's faster layout for argpartition), then argpartition and a sort of the k winners."""
    scores = E @ Q[0] if Q.shape[0] == 1 else Q @ E.T
    scores = scores.reshape(Q.shape[0], -1)  # Q × N
    k = min(k, scores.shape[1])
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    top = np.take_along_axis(scores, part, axis=1)
    order = np.argsort(-top, axis=1, kind="stable")
    return np.take_along_axis(part, order, axis=1)


rows = []
rng = np.random.default_rng(42)
for spec in [s for s in args.sizes.split(",") if s]:
    n, d, q = (int(x) for x in spec.split("x"))
    E = rng.uniform(-1, 1, (n, d)).astype(np.float32)
    Q = rng.uniform(-1, 1, (q, d)).astype(np.float32)
    index = faiss.IndexFlatIP(d)
    index.add(E)
    rs, other = interleaved(
        ["mips", "--items", str(n), "--dim", str(d), "--queries", str(q), "--k", str(args.k),
         "--threads", str(args.threads)],
        {"numpy": lambda: numpy_topk(E, Q, args.k), "faiss": lambda: index.search(Q, args.k)})
    rows.append({
        "case": f"mips {n}x{d} q={q}", "recscope_ms": rs["median_ms"], "recscope_min_ms": rs["min_ms"],
        "stream_ms": rs["stream_ms"], "ratio_to_stream": rs["median_ms"] / rs["stream_ms"],
        "numpy_ms": other["numpy"], "faiss_ms": other["faiss"],
        "recscope_over_faiss": rs["median_ms"] / other["faiss"],
        "recscope_over_numpy": rs["median_ms"] / other["numpy"],
        "gflops": rs["gflop_per_s"],
    })
    del E, Q, index

if args.cholesky > 0:
    n = args.cholesky
    # Same construction as `recscope bench cholesky`: symmetric uniform(−1, 1), n on the diagonal.
    A = rng.uniform(-1, 1, (n, n)).astype(np.float32)
    A = np.tril(A, -1)
    A = A + A.T + np.float32(n) * np.eye(n, dtype=np.float32)
    rs, other = interleaved(["cholesky", "--n", str(n)], {"numpy": lambda: np.linalg.cholesky(A)})
    rows.append({"case": f"cholesky {n}", "recscope_ms": rs["median_ms"], "recscope_min_ms": rs["min_ms"],
                 "stream_ms": None, "ratio_to_stream": None, "numpy_ms": other["numpy"], "faiss_ms": None,
                 "recscope_over_faiss": None, "recscope_over_numpy": rs["median_ms"] / other["numpy"],
                 "gflops": rs["gflop_per_s"]})

try:
    from threadpoolctl import threadpool_info
    pools = ", ".join(f"{p.get('internal_api')}={p.get('num_threads')}" for p in threadpool_info())
except ImportError:
    pools = "threadpoolctl not installed"


def fmt(x, pattern="{:.2f}"):
    return "-" if x is None else pattern.format(x)


print(f"# medians of {args.runs} interleaved runs; k={args.k}; recscope/faiss threads={args.threads}; "
      f"numpy BLAS pools: {pools}; OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}; "
      f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', '(unset)')}")
header = ["case", "recscope ms", "(min)", "stream ms", "rs/stream", "numpy ms", "faiss ms", "rs/faiss", "rs/numpy",
          "GFLOP/s"]
print("| " + " | ".join(header) + " |")
print("|" + "---|" * len(header))
for r in rows:
    print("| " + " | ".join([r["case"], fmt(r["recscope_ms"]), fmt(r["recscope_min_ms"]), fmt(r["stream_ms"]),
                              fmt(r["ratio_to_stream"]), fmt(r["numpy_ms"]), fmt(r["faiss_ms"]),
                              fmt(r["recscope_over_faiss"]), fmt(r["recscope_over_numpy"]), fmt(r["gflops"], "{:.1f}")])
          + " |")
if args.json:
    print(json.dumps(rows, indent=1))
