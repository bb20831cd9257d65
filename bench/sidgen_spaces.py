#!/usr/bin/env python3
"""sidgen (issue 19) next to sasrec, sid, rank, als and ease, per semantic-ID space, and on the cold-item split.

Every number comes from `recscope eval --json` (or `recscope bench content --json`) on the catalog given; the
script only orders the runs and prints one table. It makes the loo split first so that the als and aligned
embeddings (and their codes) are built from the loo training part only, never from test rows.

  python3 bench/sidgen_spaces.py --catalog ml.sqlite [--binary .build/release/recscope] [--spaces content,als,aligned]
      [--skip-build] [--skip-cold]

Prints, for the loo split: Recall@10 and NDCG@10 of als, ease, sid, rank, sasrec and sidgen per space with its
fit time; for cold-items: the same for pop, als, ease, sasrec and sidgen over content codes (the als and aligned
spaces are built from the loo training part, which holds the cold items' interactions, so they are left out), and
plain content retrieval (the history's mean content vector, cosine).
"""
import argparse
import json
import subprocess
import sys
import time


def run(binary, *args):
    started = time.time()
    out = subprocess.run([binary, *args], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"{' '.join(args)} failed ({out.returncode}):\n{out.stderr}")
    return out.stdout, time.time() - started


def evaluate(binary, catalog, split, models, params=()):
    args = ["eval", "--catalog", catalog, "--split", split, "--models", ",".join(models), "--metrics", "recall,ndcg", "--json"]
    for p in params:
        args += ["--param", p]
    out, _ = run(binary, *args)
    report = json.loads(out)
    return {m["name"]: (m["metrics"]["recall@10"], m["metrics"]["ndcg@10"], m.get("fit_seconds")) for m in report["models"]}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--catalog", required=True)
    ap.add_argument("--binary", default=".build/release/recscope")
    ap.add_argument("--spaces", default="content,als,aligned")
    ap.add_argument("--skip-build", action="store_true", help="the embeddings and semantic IDs are already built")
    ap.add_argument("--skip-cold", action="store_true")
    a = ap.parse_args()
    spaces = a.spaces.split(",")
    rows = []

    evaluate(a.binary, a.catalog, "loo", ["pop"])  # stores the loo split before anything is built from it
    if not a.skip_build:
        for space in spaces:
            run(a.binary, "embeddings", "build", "--catalog", a.catalog, "--space", space)
            run(a.binary, "sid", "build", "--catalog", a.catalog, "--space", space)
    for name, (r, n, fit) in evaluate(a.binary, a.catalog, "loo", ["als", "ease", "sid", "rank", "sasrec", "sidgen"]).items():
        rows.append(("loo", name + (" (own ALS codes)" if name == "sidgen" else ""), r, n, fit))
    for space in spaces:
        for name, (r, n, fit) in evaluate(a.binary, a.catalog, "loo", ["sidgen"], [f"sidgen.space={space}"]).items():
            rows.append(("loo", f"sidgen space={space}", r, n, fit))

    if not a.skip_cold:
        for name, (r, n, fit) in evaluate(a.binary, a.catalog, "cold-items", ["pop", "als", "ease", "sasrec"]).items():
            rows.append(("cold-items", name, r, n, fit))
        # Only content codes: the als and aligned embeddings are built from the loo split's training part,
        # which holds the cold items' interactions.
        for space in [s for s in spaces if s == "content"]:
            for name, (r, n, fit) in evaluate(a.binary, a.catalog, "cold-items", ["sidgen"], [f"sidgen.space={space}"]).items():
                rows.append(("cold-items", f"sidgen space={space}", r, n, fit))
        out, _ = run(a.binary, "bench", "content", "--catalog", a.catalog, "--space", "content", "--split", "cold-items", "--json")
        c = json.loads(out)["metrics"]
        rows.append(("cold-items", "content retrieval (mean vector, cosine)", c["recall@10"], c["ndcg@10"], None))

    print(f"{'split':<11} {'model':<42} {'Recall@10':>9} {'NDCG@10':>8} {'fit s':>7}")
    for split, name, r, n, fit in rows:
        print(f"{split:<11} {name:<42} {r:9.4f} {n:8.4f} {'' if fit is None else f'{fit:7.1f}'}")


if __name__ == "__main__":
    main()
