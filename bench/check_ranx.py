#!/usr/bin/env python3
"""Recomputes RecScope's metrics from an exported TREC run with ranx and reports the largest difference.

Inputs: a run file written by RecEval's TRECWriter (`qid Q0 docid rank score tag`), its qrels
(`qid 0 docid 1`, by default RUN.qrels), and a JSON object of our mean metrics keyed like
`{"recall@10": 0.0859, "ndcg@10": ..., "mrr@10": ..., "precision@10": ..., "hit_rate@10": ..., "map@10": ...}`
(either at the top level or under "metrics"). Every key whose name ranx knows is recomputed.

The run must carry the rank-derived score column (TRECWriter's default): ranx sorts by score and its sort
is not stable, so a run with tied model scores would be read in another order than ours.

Usage:
  python3 bench/check_ranx.py RUN METRICS.json [--qrels QRELS] [--tolerance 1e-6] [--json]
Exit status 0 when every difference is within the tolerance, 1 otherwise.
"""
import argparse
import json
import sys

RANX_METRICS = {"recall", "precision", "hit_rate", "ndcg", "mrr", "map"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("run")
    parser.add_argument("metrics")
    parser.add_argument("--qrels", default=None, help="default: RUN.qrels")
    parser.add_argument("--tolerance", type=float, default=1e-6)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    import warnings
    from importlib.metadata import version

    from ranx import Qrels, Run, evaluate
    warnings.filterwarnings("ignore", message=".*unsafe cast.*")  # numba chatter inside ranx
    ranx_version = version("ranx")

    with open(args.metrics, encoding="utf-8") as f:
        ours = json.load(f)
    if "metrics" in ours and isinstance(ours["metrics"], dict):
        ours = ours["metrics"]
    keys = sorted(k for k in ours if k.split("@")[0] in RANX_METRICS and "@" in k)
    if not keys:
        sys.exit(f"{args.metrics}: no metric keys ranx knows (expected e.g. recall@10, ndcg@10)")

    qrels = Qrels.from_file(args.qrels or args.run + ".qrels", kind="trec")
    run = Run.from_file(args.run, kind="trec")
    missing = set(qrels.keys()) - set(run.keys())
    if missing:
        # A user with held-out items but an empty list scores 0 on every metric; ranx needs them present.
        print(f"note: {len(missing)} qrels queries have no run lines; ranx counts them as zero",
              file=sys.stderr)
    theirs = evaluate(qrels, run, keys, make_comparable=True)
    if len(keys) == 1:
        theirs = {keys[0]: theirs}
    rows = [{"metric": k, "recscope": ours[k], "ranx": float(theirs[k]), "abs_diff": abs(ours[k] - float(theirs[k]))}
            for k in keys]
    worst = max(r["abs_diff"] for r in rows)
    ok = worst <= args.tolerance
    if args.json:
        print(json.dumps({"ranx": ranx_version, "queries": len(qrels.keys()), "metrics": rows,
                          "max_abs_diff": worst, "tolerance": args.tolerance, "ok": ok}, indent=2))
    else:
        print(f"ranx {ranx_version}, {len(qrels.keys())} queries")
        print(f"{'metric':<16} {'recscope':>12} {'ranx':>12} {'abs diff':>10}")
        for r in rows:
            print(f"{r['metric']:<16} {r['recscope']:>12.8f} {r['ranx']:>12.8f} {r['abs_diff']:>10.2e}")
        print(f"max abs diff {worst:.3e} ({'OK' if ok else 'FAIL'}, tolerance {args.tolerance:g})")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
