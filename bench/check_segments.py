#!/usr/bin/env python3
"""Recomputes `recscope eval --by activity|popularity|regularity` from exported runs with pandas.

For each model: `recscope export-run --format csv` gives the lists; the catalog (read with sqlite3) gives the
interactions, the stored split and the ids. pandas then rebuilds the three segmentations (tertiles by numpy's
linear quantiles of training-history length and of the coefficient of variation of training time gaps; head /
mid / tail target items by cumulative training popularity) and, per segment, recall, precision, NDCG, MRR, novelty,
ARP, coverage, Jain, Jain_our, Gini, Gini_our, entropy and the k-occurrence skewness, and compares them with
`recscope eval --by AXIS --json --metrics all`.

Usage:
  python3 bench/check_segments.py --catalog ml.sqlite [--models pop,itemknn,als,ease] [--k 10]
      [--recscope .build/release/recscope] [--tolerance 1e-9]
Exit status 0 when every difference is within the tolerance and the segments have the same users.
"""
import argparse
import json
import math
import os
import sqlite3
import subprocess
import sys
import tempfile

import numpy as np
import pandas as pd

MEASURES = ["recall", "precision", "ndcg", "mrr", "novelty", "arp", "coverage", "jain", "jain_our", "gini", "gini_our",
            "ent", "kocc_skew"]


def run(cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def load(catalog, split):
    db = sqlite3.connect(catalog)
    users = pd.read_sql("SELECT idx, external_id FROM users ORDER BY idx", db)
    items = pd.read_sql("SELECT idx, external_id FROM items ORDER BY idx", db)
    rows = pd.read_sql("SELECT user, item, ts, id FROM interactions ORDER BY user, ts, id", db)
    held = pd.read_sql("SELECT h.interaction AS id, h.role FROM split_holdout h JOIN splits s ON s.id = h.split "
                       "WHERE s.name = ?", db, params=(split,))
    rows = rows.merge(held, on="id", how="left")
    rows["role"] = rows["role"].fillna("train")
    return users, items, rows


def tertiles(values):
    low, high = np.quantile(values.to_numpy(), [1 / 3, 2 / 3])
    return values.apply(lambda v: 0 if v <= low else 1 if v <= high else 2)


def segments(axis, rows, train, test_users, n_items):
    """{segment name: (users, truth frame)} as RecScope defines them."""
    test = rows[rows.role == "test"]
    if axis == "activity":
        lengths = train.groupby("user").item.nunique().reindex(test_users, fill_value=0).astype(float)
        group = tertiles(lengths)
        return {name: (sorted(group.index[group == g]), test) for g, name in enumerate(["cold", "medium", "heavy"])}
    if axis == "popularity":
        pop = train.groupby("item").user.nunique().reindex(range(n_items), fill_value=0)
        order = sorted(range(n_items), key=lambda i: (-pop[i], i))
        total, held, group = pop.sum(), 0, {}
        for i in order:
            group[i] = 0 if held < 0.2 * total else 1 if held < 0.8 * total else 2
            held += pop[i]
        tagged = test.assign(group=test.item.map(group))
        return {name: (sorted(tagged[tagged.group == g].user.unique()), tagged[tagged.group == g])
                for g, name in enumerate(["head", "mid", "tail"])}
    gaps = train.sort_values(["user", "ts", "id"]).groupby("user").ts.diff().dropna()
    stats = pd.DataFrame({"gap": gaps, "user": train.loc[gaps.index, "user"]}).groupby("user").gap.agg(["count", "mean", "std"])
    stats["std"] = train.loc[gaps.index].assign(gap=gaps).groupby("user").gap.std(ddof=0)
    stats = stats.reindex(test_users)
    known = stats[(stats["count"] >= 2) & (stats["mean"] > 0)]
    group = tertiles(known["std"] / known["mean"])
    out = {name: (sorted(group.index[group == g]), test) for g, name in enumerate(["regular", "mixed", "irregular"])}
    out["unknown"] = (sorted(set(test_users) - set(known.index)), test)
    return out


def measures(lists, truth, users, k, n_items, pop, train_users):
    lists = lists[lists.user.isin(users) & (lists["rank"] <= k)]
    truth = truth[truth.user.isin(users)]
    rel = truth.groupby("user").item.apply(set)
    hits = lists.assign(hit=[i in rel.get(u, set()) for u, i in zip(lists.user, lists.item)])
    per_user = []
    for u in users:
        h = hits[hits.user == u].sort_values("rank")
        t = len(rel.get(u, ()))
        flags = h.hit.to_numpy()
        dcg = sum(1 / math.log2(p + 2) for p, f in enumerate(flags) if f)
        idcg = sum(1 / math.log2(p + 2) for p in range(min(t, k)))
        first = next((p for p, f in enumerate(flags) if f), None)
        info = [math.log2(max(train_users, 1) / max(pop[i], 1)) for i in h.item]
        per_user.append({"recall": flags.sum() / t, "precision": flags.sum() / k, "ndcg": dcg / idcg,
                         "mrr": 0 if first is None else 1 / (first + 1), "novelty": np.mean(info) if info else 0,
                         "arp": np.mean([pop[i] for i in h.item]) if len(h) else 0})
    out = pd.DataFrame(per_user).mean().to_dict()
    counts = lists.item.value_counts().reindex(range(n_items), fill_value=0).to_numpy().astype(float)
    slots, m = counts.sum(), len(users)
    f, r = divmod(int(slots), n_items)
    jain = slots ** 2 / (n_items * (counts ** 2).sum())
    best = slots ** 2 / n_items / (n_items * f * f + r * (2 * f + 1))
    c = np.sort(counts)
    gini = ((2 * np.arange(1, n_items + 1) - n_items - 1) * c).sum() / (n_items * slots)
    least = (n_items - r) * r / (n_items * slots)
    p = counts[counts > 0] / slots
    mu = slots / n_items
    m2, m3 = ((counts - mu) ** 2).mean(), ((counts - mu) ** 3).mean()
    out.update({"coverage": (counts > 0).mean(), "jain": jain, "jain_our": (jain - k / n_items) / (best - k / n_items),
                "gini": gini, "gini_our": (gini - least) / (1 - k / n_items - least),
                "ent": -(p * np.log(p) / np.log(n_items)).sum(), "kocc_skew": m3 / m2 ** 1.5 if m2 > 0 else 0.0})
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--catalog", required=True)
    parser.add_argument("--models", default="pop,itemknn,als,ease")
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--split", default="loo")
    parser.add_argument("--recscope", default=".build/release/recscope")
    parser.add_argument("--tolerance", type=float, default=1e-9)
    args = parser.parse_args()
    users, items, rows = load(args.catalog, args.split)
    n_items, k = len(items), args.k
    train = rows[rows.role == "train"]
    pop = train.groupby("item").user.nunique().reindex(range(n_items), fill_value=0).to_numpy()
    test_users = sorted(rows[rows.role == "test"].user.unique())
    user_index = dict(zip(users.external_id.astype(str), users.idx))
    item_index = dict(zip(items.external_id.astype(str), items.idx))
    worst, compared, mismatched = 0.0, 0, []
    with tempfile.TemporaryDirectory() as tmp:
        lists = {}
        for model in args.models.split(","):
            path = os.path.join(tmp, model + ".csv")
            run([args.recscope, "export-run", "--catalog", args.catalog, "--model", model, "--split", args.split,
                 "--k", str(k), "--format", "csv", "--out", path])
            frame = pd.read_csv(path, dtype={"user": str, "item": str})
            lists[model] = pd.DataFrame({"user": frame.user.map(user_index), "item": frame.item.map(item_index),
                                         "rank": frame["rank"]})
        for axis in ["activity", "popularity", "regularity"]:
            ours = json.loads(run([args.recscope, "eval", "--catalog", args.catalog, "--models", args.models, "--split",
                                   args.split, "--k", str(k), "--by", axis, "--json", "--metrics", "all"]))["by"]
            theirs = segments(axis, rows, train, test_users, n_items)
            for segment in ours["segments"]:
                members, truth = theirs[segment["name"]]
                if len(members) != segment["users"]:
                    mismatched.append(f"{axis}/{segment['name']}: {segment['users']} users here, {len(members)} in pandas")
                    continue
                for model in segment["models"]:
                    values = measures(lists[model["name"]], truth, members, k, n_items, pop, train.user.nunique())
                    for key in MEASURES:
                        mine = model["metrics"][f"{key}@{k}"]
                        diff = abs(mine - values[key])
                        worst = max(worst, diff)
                        compared += 1
                print(f"{axis:<10} {segment['name']:<9} {len(members):>5} users  checked "
                      f"{', '.join(m['name'] for m in segment['models'])}")
    for line in mismatched:
        print("MISMATCH", line)
    ok = worst <= args.tolerance and not mismatched
    print(f"{compared} values compared; largest difference {worst:.3e} ({'OK' if ok else 'FAIL'}, tolerance {args.tolerance:g})")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
