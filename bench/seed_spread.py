#!/usr/bin/env python3
"""Seed spread of BPR and ALS on MovieLens-100k leave-one-out: RecScope (CLI) beside implicit.

A single seed says little here: with 943 test users one hit moves Recall@10 by 0.0011, and BPR's
Recall@10 spans about 0.02 across seeds in both libraries. Prints Recall@10 and NDCG@10 per seed and the means.

Usage:
  python3 bench/seed_spread.py --recscope .build/release/recscope --catalog /tmp/ml-models.sqlite [--seeds 1,2,3,4,5]
"""
import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse
import json
import subprocess
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference_models as rm  # noqa: E402


def ours(args, model, seed):
    cmd = [args.recscope, "eval", "--catalog", args.catalog, "--models", model, "--split", "loo", "--k", "10",
           "--json", "--param", f"{model}.seed={seed}"]
    m = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)["models"][0]["metrics"]
    return m["recall@10"], m["ndcg@10"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--recscope", default=".build/release/recscope")
    parser.add_argument("--catalog", required=True, help="a catalog holding ml-100k (recscope import --format recbole)")
    parser.add_argument("--data", default=os.environ.get("RECSCOPE_ML100K", "/work/data/ml-100k"))
    parser.add_argument("--seeds", default="1,2,3,4,5")
    args = parser.parse_args()
    import implicit

    u, i, t = rm.load_inter(os.path.join(args.data, "ml-100k.inter"))
    users, _ = rm.dense(u)
    items, _ = rm.dense(i)
    nu, ni = users.max() + 1, items.max() + 1
    roles = rm.leave_one_out(users, t)
    train = rm.csr(users, items, roles == 0, nu, ni)
    seen = rm.csr(users, items, roles <= 1, nu, ni)
    truth = [set() for _ in range(nu)]
    for a, b, r in zip(users, items, roles):
        if r == 2:
            truth[a].add(int(b))
    test_users = np.array([x for x in range(nu) if truth[x]])
    seeds = [int(s) for s in args.seeds.split(",")]
    for kind in ("bpr", "als"):
        rows = []
        for seed in seeds:
            if kind == "bpr":
                model = implicit.cpu.bpr.BayesianPersonalizedRanking(factors=64, iterations=100, random_state=seed,
                                                                      num_threads=1)
            else:
                model = implicit.cpu.als.AlternatingLeastSquares(factors=64, iterations=15, random_state=seed,
                                                                  num_threads=1, calculate_training_loss=False)
            model.fit(train, show_progress=False)
            uf = np.asarray(model.user_factors, dtype=np.float64)
            itf = np.asarray(model.item_factors, dtype=np.float64)
            m = rm.evaluate(lambda us: uf[us] @ itf.T, test_users, seen, truth, 10)
            r, n = ours(args, kind, seed)
            rows.append((m["recall@10"], m["ndcg@10"], r, n))
            print(f"{kind} seed {seed}: implicit {m['recall@10']:.4f} / {m['ndcg@10']:.4f}   recscope {r:.4f} / {n:.4f}",
                  flush=True)
        mean = np.mean(np.array(rows), axis=0)
        print(f"{kind} mean over {len(seeds)} seeds: implicit {mean[0]:.4f} / {mean[1]:.4f}   "
              f"recscope {mean[2]:.4f} / {mean[3]:.4f}  (Recall@10 / NDCG@10)", flush=True)


if __name__ == "__main__":
    main()
