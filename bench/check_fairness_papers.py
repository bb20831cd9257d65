#!/usr/bin/env python3
"""Runs the item-fairness study's and DPFR's own code on RecScope's exported runs and prints the differences.

What is run, unchanged, from the papers' public repositories (not part of RecScope; point --papers at checkouts):
  * `RecBole/recbole/evaluator/metrics.py` of theresiavr/individual-item-fairness-measures-recsys
    (Rampisela et al., ACM TORS 2024): `FairWORel` (Jain, QF, Ent, Gini, Gini-w, FSat original and corrected,
    VoCD) and `IID_AID` (II-D, AI-D), fed each model's top-K item matrix as RecBole's collector would.
    Their `base_metric.py` and `enum_type.py` are loaded beside it; torch, scipy and pytest must be installed.
  * the DPFR notebook `experiments/02_pareto_pair_plot.ipynb` of theresiavr/DPFR-recsys-evaluation (WWW 2025):
    its cell defining `find_nearest_all` and `get_model_distance`, fed our Pareto frontier (`eval --json
    --frontier`) and our models' (NDCG, fairness) points, so DPFR's distance is their code's.
Not run: DPFR's `pareto/generate_pareto.py` (the oracle that builds the frontier) needs RecBole's Config, its
dataset layout and pickled collector structs; RecScope's oracle follows it step by step (docs/METRICS.md).

Our values come from `recscope eval --json --metrics all --frontier`; runs from `recscope export-run --format csv`.

Usage:
  python3 bench/check_fairness_papers.py --catalog ml.sqlite [--models pop,itemknn,als,ease] [--k 10]
      [--recscope .build/release/recscope] [--papers ~/.cache/recscope/papers] [--tolerance 1e-6]
Exit status 0 when every difference is within the tolerance (NaN on their side is reported, not compared).
"""
import argparse
import importlib.util
import json
import math
import os
import subprocess
import sys
import tempfile
import types

# Their key → ours (without @K).
ITEM_FAIRNESS = {
    "Jain_ori": "jain", "Jain_our": "jain_our", "QF_ori": "coverage", "QF_our": "qf_our", "Ent_ori": "ent",
    "Ent_our": "ent_our", "Gini_ori": "gini", "Gini_our": "gini_our", "Gini-w_ori": "gini_w", "Gini-w_our": "gini_w_our",
    "FSat_ori": "fsat", "FSat_our": "fsat_our", "VoCD_ori": "vocd", "II-D_ori": "ii_d", "AI-D_ori": "ai_d",
}


def load_module(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def load_item_fairness(repo):
    """Their metrics.py with the two RecBole modules it imports, loaded from their files."""
    base = os.path.join(repo, "RecBole", "recbole")
    for package in ["recbole", "recbole.evaluator"]:
        sys.modules[package] = types.ModuleType(package)
        sys.modules[package].__path__ = []
    enum_type = load_module("recbole.utils.enum_type", os.path.join(base, "utils", "enum_type.py"))
    utils = types.ModuleType("recbole.utils")
    utils.EvaluatorType = enum_type.EvaluatorType
    sys.modules["recbole.utils"] = utils
    load_module("recbole.evaluator.base_metric", os.path.join(base, "evaluator", "base_metric.py"))
    return load_module("recbole.evaluator.metrics", os.path.join(base, "evaluator", "metrics.py"))


def load_dpfr_distance(repo):
    """The notebook cell of DPFR that defines find_nearest_all and get_model_distance, executed as is."""
    import numpy as np
    import pandas as pd
    with open(os.path.join(repo, "experiments", "02_pareto_pair_plot.ipynb"), encoding="utf-8") as f:
        cells = json.load(f)["cells"]
    source = next("".join(c["source"]) for c in cells
                  if c["cell_type"] == "code" and "def find_nearest_all" in "".join(c["source"]))
    namespace = {"np": np, "pd": pd, "print": lambda *a, **k: None}
    exec(source, namespace)
    return namespace


class Tensor:
    """What RecBole's DataStruct hands a metric: something with .numpy()."""
    def __init__(self, array):
        self.array = array

    def numpy(self):
        return self.array


def run(cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--catalog", required=True)
    parser.add_argument("--models", default="pop,itemknn,als,ease")
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--split", default="loo")
    parser.add_argument("--recscope", default=".build/release/recscope")
    parser.add_argument("--papers", default=os.path.expanduser("~/.cache/recscope/papers"))
    parser.add_argument("--tolerance", type=float, default=1e-6)
    args = parser.parse_args()

    import numpy as np
    import pandas as pd
    item_repo = os.path.join(args.papers, "individual-item-fairness-measures-recsys")
    dpfr_repo = os.path.join(args.papers, "DPFR-recsys-evaluation")
    for repo in (item_repo, dpfr_repo):
        if not os.path.isdir(repo):
            sys.exit(f"{repo}: no checkout of the paper's repository (expected its files there, e.g. from git archive)")
    metrics = load_item_fairness(item_repo)
    dpfr = load_dpfr_distance(dpfr_repo)

    k = args.k
    ours = json.loads(run([args.recscope, "eval", "--catalog", args.catalog, "--models", args.models, "--split", args.split,
                           "--k", str(k), "--metrics", "all", "--json", "--frontier"]))
    n_items = json.loads(run([args.recscope, "stats", "--catalog", args.catalog, "--json"]))["items"]
    config = {"metric_decimal_place": 15, "topk": [k]}
    rows, worst = [], 0.0
    model_points = []
    with tempfile.TemporaryDirectory() as tmp:
        for model in ours["models"]:
            name = model["name"]
            path = os.path.join(tmp, f"{name}.csv")
            run([args.recscope, "export-run", "--catalog", args.catalog, "--model", name, "--split", args.split,
                 "--k", str(k), "--format", "csv", "--out", path])
            frame = pd.read_csv(path, dtype={"user": str, "item": str})
            ids = {item: i + 1 for i, item in enumerate(sorted(frame["item"].unique()))}   # RecBole ids start at 1
            frame["internal"] = frame["item"].map(ids)
            matrix = np.stack(frame.sort_values(["user", "rank"]).groupby("user", sort=False)["internal"]
                              .apply(lambda s: s.to_numpy()).to_list())
            struct = {"rec.items": Tensor(matrix), "data.num_items": n_items + 1}
            theirs = metrics.FairWORel(config).calculate_metric(struct)
            theirs.update(metrics.IID_AID(config).calculate_metric(struct))
            for key, value in theirs.items():
                measure = ITEM_FAIRNESS[key.split("@")[0]]
                mine = model["metrics"][f"{measure}@{k}"]
                if value is None or (isinstance(value, float) and math.isnan(value)):
                    rows.append((name, key, measure, mine, value, None))
                    continue
                diff = abs((mine if mine is not None else math.nan) - value)
                worst = max(worst, diff if not math.isnan(diff) else math.inf)
                rows.append((name, key, measure, mine, value, diff))
            model_points.append({"source": name, **{f"NDCG@{k}": model["metrics"][f"ndcg@{k}"]},
                                 **{f"{a}@{k}": model["metrics"][f"{a}@{k}"] for a in ("jain_our", "ent_our", "gini_our")}})

    print(f"item fairness: their FairWORel and IID_AID on our exported top-{k} lists ({len(ours['models'])} models, "
          f"n = {n_items} items)")
    print(f"{'model':<9} {'theirs':<12} {'ours':<11} {'recscope':>14} {'paper code':>14} {'abs diff':>10}")
    for name, key, measure, mine, value, diff in rows:
        shown = "nan" if diff is None else f"{diff:.2e}"
        print(f"{name:<9} {key:<12} {measure:<11} {mine if mine is not None else float('nan'):>14.10f} "
              f"{value:>14.10f} {shown:>10}")
    nan_rows = [r for r in rows if r[5] is None]
    if nan_rows:
        print(f"note: {len(nan_rows)} values are NaN in the paper's code (Ent_ori sums 0·log 0 over unexposed items); "
              "ours takes 0·log 0 = 0, which equals their Ent_our's numerator term")

    # DPFR: their notebook's reference point and distances on our frontier and our models.
    frontier = ours["frontier"][str(k)]["every_point"]
    pf = pd.DataFrame([{f"NDCG@{k}": p["ndcg"], f"Jain_our@{k}": p["jain_our"], f"Ent_our@{k}": p["ent_our"],
                        f"Gini_our@{k}": p["gini_our"]} for p in frontier])
    reference = pd.DataFrame(dpfr["find_nearest_all"](pf))
    models = pd.DataFrame([{f"NDCG@{k}": m[f"NDCG@{k}"], f"Jain_our@{k}": m[f"jain_our@{k}"],
                            f"Ent_our@{k}": m[f"ent_our@{k}"], f"Gini_our@{k}": m[f"gini_our@{k}"], "source": m["source"]}
                           for m in model_points])
    distances = dpfr["get_model_distance"](models, reference, return_all_dist=True)
    print(f"\nDPFR: their find_nearest_all / get_model_distance on our frontier ({len(frontier)} points) and models")
    print(f"{'model':<9} {'pair':<22} {'recscope':>12} {'paper code':>12} {'abs diff':>10}")
    for fair, ours_key in (("Jain_our", "dpfr_jain"), ("Ent_our", "dpfr_ent"), ("Gini_our", "dpfr_gini")):
        sources, dists = distances.loc[f"{fair}@{k}", f"NDCG@{k}"]
        for source, dist in zip(sources, dists):
            mine = next(m for m in ours["models"] if m["name"] == source)["metrics"][f"{ours_key}@{k}"]
            diff = abs(mine - dist)
            worst = max(worst, diff)
            print(f"{source:<9} {'NDCG-' + fair:<22} {mine:>12.8f} {dist:>12.8f} {diff:>10.2e}")
    ok = worst <= args.tolerance
    print(f"\nlargest difference {worst:.3e} ({'OK' if ok else 'FAIL'}, tolerance {args.tolerance:g})")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
