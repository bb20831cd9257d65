#!/usr/bin/env python3
"""Grid-search model parameters on the validation rows of a split, with the recscope CLI.

Each point runs `recscope eval --on valid` (train on the split's training part, rank excluding train
items, judge on each user's validation item), so the test rows never inform the choice. Prints one line
per point and the best point per model by NDCG@10.

Usage:
  python3 bench/tune_models.py --recscope .build/release/recscope --catalog /tmp/ml-models.sqlite [--models als,ease]
"""
import argparse
import itertools
import json
import subprocess

GRIDS = {
    "als": {"alpha": ["0", "1", "2", "5"], "regularization": ["0.01", "1", "10", "30", "100"]},
    "bpr": {"lr": ["0.02", "0.05", "0.1"], "epochs": ["100", "200", "400"], "regularization": ["0.01", "0.001"]},
    "ease": {"lambda": ["25", "50", "100", "200", "500", "1000"]},
    "itemknn": {"k": ["50", "100", "200"], "shrink": ["0", "10", "50"]},
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--recscope", default=".build/release/recscope")
    parser.add_argument("--catalog", required=True)
    parser.add_argument("--split", default="loo")
    parser.add_argument("--models", default="als,bpr,ease,itemknn")
    args = parser.parse_args()
    for model in args.models.split(","):
        grid = GRIDS[model]
        best = None
        for values in itertools.product(*grid.values()):
            params = dict(zip(grid.keys(), values))
            cmd = [args.recscope, "eval", "--catalog", args.catalog, "--models", model, "--split", args.split,
                   "--on", "valid", "--k", "10", "--json"]
            for k, v in params.items():
                cmd += ["--param", f"{model}.{k}={v}"]
            doc = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
            m = doc["models"][0]
            r, n = m["metrics"]["recall@10"], m["metrics"]["ndcg@10"]
            print(f"{model:8} {' '.join(f'{k}={v}' for k, v in params.items()):40} valid recall@10 {r:.4f} "
                  f"ndcg@10 {n:.4f}  fit {m['fit_seconds']:.2f} s", flush=True)
            if best is None or n > best[0]:
                best = (n, r, params)
        print(f"best {model}: {best[2]} (valid ndcg@10 {best[0]:.4f}, recall@10 {best[1]:.4f})", flush=True)


if __name__ == "__main__":
    main()
