#!/usr/bin/env python3
"""Reference numbers for RecScope's evaluation on MovieLens-100k, from established Python libraries.

Reads RecBole's atomic file ml-100k.inter, builds the leave-one-out split exactly as RecEval's
`Split.leaveOneOut` does (per user, order by timestamp, ties by source order = row order in the file;
last row test, second-to-last valid; a user with two rows gets train + test, with one row train only),
and evaluates, single-threaded, with full ranking over all items:

  pop      popularity: number of training users per item, ties by lower item index
  als      implicit's AlternatingLeastSquares (64 factors, 15 iterations)
  bpr      implicit's BayesianPersonalizedRanking (64 factors, 100 iterations)
  ease     numpy EASE (Steck 2019), lambda chosen on the validation rows by NDCG@10
  itemknn  scipy cosine ItemKNN, 100 neighbours per item, each history item voting for its neighbours
  itemknn-candidate  the same neighbours, each candidate scored by the history items among its own
           neighbours (RecBole's orientation)

Test rankings exclude the user's train and valid items (RecBole's full-sort rule); validation rankings
exclude train items. Models are fit on the train rows only. Dense indices follow first appearance in the
file, as RecScope's Vocabulary does; ties in every ranking break by lower dense index.

Get the data (never commit it):
  pip download --no-deps recbole==1.2.1 -d /tmp/rb
  unzip -o /tmp/rb/recbole-1.2.1-*.whl 'recbole/dataset_example/ml-100k/*' -d /tmp/rb/x
  mkdir -p /work/data && cp -r /tmp/rb/x/recbole/dataset_example/ml-100k /work/data/

Usage:
  python3 bench/reference_models.py --data /work/data/ml-100k [--models pop,ease] [--json]

It also writes the split, one role per row of ml-100k.inter (0 train, 1 valid, 2 test), to
DATA/ml-100k.loo.roles (or --split-out), which RecEvalTests compare with their own split.
"""
import os

# Single-threaded, set before numpy loads its BLAS. OPENBLAS_CORETYPE, if set, is left alone.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse
import json
import sys
import time

import numpy as np
import scipy
import scipy.sparse as sp

SEED = 42
K = 10


def load_inter(path):
    """Rows of a RecBole .inter file as arrays (user id, item id, timestamp), in file order."""
    users, items, times = [], [], []
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        names = [h.split(":")[0] for h in header]
        try:
            cu, ci, ct = names.index("user_id"), names.index("item_id"), names.index("timestamp")
        except ValueError:
            sys.exit(f"{path}:1: expected columns user_id, item_id, timestamp in the header, got {header}")
        for line_no, line in enumerate(f, start=2):
            fields = line.rstrip("\n").split("\t")
            if len(fields) != len(header):
                sys.exit(f"{path}:{line_no}: expected {len(header)} tab-separated fields, got {len(fields)}")
            users.append(fields[cu])
            items.append(fields[ci])
            times.append(float(fields[ct]))
    return users, items, np.array(times)


def dense(ids):
    """Dense indices by first appearance, and the vocabulary."""
    index, vocab = {}, []
    out = np.empty(len(ids), dtype=np.int64)
    for n, x in enumerate(ids):
        if x not in index:
            index[x] = len(vocab)
            vocab.append(x)
        out[n] = index[x]
    return out, vocab


def leave_one_out(users, times):
    """Role per row: 0 train, 1 valid, 2 test (see the module docstring for the rule)."""
    seq = np.arange(len(users))
    order = np.lexsort((seq, times, users))  # by user, then time, then source order
    roles = np.zeros(len(users), dtype=np.int8)
    end = len(order)
    while end > 0:
        start = end - 1
        while start > 0 and users[order[start - 1]] == users[order[end - 1]]:
            start -= 1
        n = end - start
        if n >= 2:
            roles[order[end - 1]] = 2
        if n >= 3:
            roles[order[end - 2]] = 1
        end = start
    return roles


def csr(users, items, mask, n_users, n_items):
    m = sp.csr_matrix((np.ones(mask.sum(), dtype=np.float32), (users[mask], items[mask])),
                      shape=(n_users, n_items))
    m.sum_duplicates()
    m.data[:] = 1.0
    return m


def top_k(scores, seen, k):
    """Top-k per row of a dense score block, seen items removed, ties by lower index."""
    scores = np.array(scores, dtype=np.float64, copy=True)
    rows, cols = seen.nonzero()
    scores[rows, cols] = -np.inf
    return np.argsort(-scores, axis=1, kind="stable")[:, :k]


def metrics_at_k(ranked, truth, k):
    """Mean Recall@k, NDCG@k, MRR@k over rows with at least one truth item (RecEval's definitions)."""
    recall = ndcg = mrr = 0.0
    n = 0
    for row, items in zip(ranked, truth):
        if not items:
            continue
        n += 1
        hits = [int(i) in items for i in row[:k]]
        recall += sum(hits) / len(items)
        dcg = sum(1.0 / np.log2(p + 2) for p, h in enumerate(hits) if h)
        idcg = sum(1.0 / np.log2(p + 2) for p in range(min(len(items), k)))
        ndcg += dcg / idcg
        first = next((p for p, h in enumerate(hits) if h), None)
        mrr += 0.0 if first is None else 1.0 / (first + 1)
    return {f"recall@{k}": recall / n, f"ndcg@{k}": ndcg / n, f"mrr@{k}": mrr / n}


def evaluate(score_fn, users, seen, truth, k, batch=1024):
    ranked = []
    for start in range(0, len(users), batch):
        block = users[start:start + batch]
        ranked.append(top_k(score_fn(block), seen[block], k))
    ranked = np.vstack(ranked) if ranked else np.zeros((0, k), dtype=np.int64)
    return metrics_at_k(ranked, [truth[u] for u in users], k)


class Popularity:
    def fit(self, train):
        self.counts = np.asarray(train.sum(axis=0)).ravel()
        return self

    def scores(self, users):
        return np.tile(self.counts.astype(np.float64), (len(users), 1))


class EASE:
    """Embarrassingly Shallow Autoencoder (Steck, WWW 2019): B = I - P·diag(1/diag(P)), P = (XᵀX + λI)⁻¹."""

    def __init__(self, lam):
        self.lam = lam

    def fit(self, train):
        self.train = train
        gram = (train.T @ train).toarray().astype(np.float64)
        gram[np.diag_indices_from(gram)] += self.lam
        p = np.linalg.inv(gram)
        self.b = -p / np.diag(p)
        self.b[np.diag_indices_from(self.b)] = 0.0
        return self

    def scores(self, users):
        return self.train[users] @ self.b


class ItemKNN:
    """Cosine item-item similarity, each item's `k` most similar other items kept (ties by lower index)."""

    def __init__(self, k=100, orient="history"):
        self.k, self.orient = k, orient

    def fit(self, train):
        self.train = train
        norms = np.sqrt(np.asarray(train.multiply(train).sum(axis=0)).ravel())
        norms[norms == 0] = 1.0
        x = train @ sp.diags(1.0 / norms)
        sim = (x.T @ x).toarray()
        np.fill_diagonal(sim, 0.0)
        # Row i of `sim` holds item i's neighbours; keep the top k of each row.
        keep = np.argsort(-sim, axis=1, kind="stable")[:, :self.k]
        rows = np.repeat(np.arange(sim.shape[0]), keep.shape[1])
        vals = sim[rows, keep.ravel()]
        kept = sp.csr_matrix((vals, (rows, keep.ravel())), shape=sim.shape)
        # history: score(u, j) = Σᵢ x_ui · sim(i, j) over the neighbours j kept by each of the user's items i;
        # candidate: over the items i that j kept (the kept matrix transposed).
        self.sim = kept if self.orient == "history" else kept.T.tocsr()
        return self

    def scores(self, users):
        return (self.train[users] @ self.sim).toarray()


class ImplicitModel:
    def __init__(self, kind):
        import implicit
        self.kind = kind
        if kind == "als":
            self.model = implicit.cpu.als.AlternatingLeastSquares(
                factors=64, iterations=15, random_state=SEED, num_threads=1, calculate_training_loss=False)
        else:
            self.model = implicit.cpu.bpr.BayesianPersonalizedRanking(
                factors=64, iterations=100, random_state=SEED, num_threads=1)

    def fit(self, train):
        self.model.fit(train, show_progress=False)
        uf = np.asarray(self.model.user_factors)
        itf = np.asarray(self.model.item_factors)
        self.uf, self.itf = uf.astype(np.float64), itf.astype(np.float64)
        return self

    def scores(self, users):
        return self.uf[users] @ self.itf.T


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=os.environ.get("RECSCOPE_ML100K", "/work/data/ml-100k"),
                        help="folder holding ml-100k.inter (RecBole atomic files)")
    parser.add_argument("--models", default="pop,als,bpr,ease,itemknn")
    parser.add_argument("--split-out", default=None, help="where to write the split roles")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    args = parser.parse_args()

    path = os.path.join(args.data, "ml-100k.inter")
    if not os.path.exists(path):
        sys.exit(f"{path}: not found; see this script's docstring for how to get MovieLens-100k")
    raw_users, raw_items, times = load_inter(path)
    users, user_vocab = dense(raw_users)
    items, item_vocab = dense(raw_items)
    n_users, n_items = len(user_vocab), len(item_vocab)
    roles = leave_one_out(users, times)
    split_out = args.split_out or os.path.join(args.data, "ml-100k.loo.roles")
    with open(split_out, "w") as f:
        f.write("".join(f"{r}\n" for r in roles))

    train = csr(users, items, roles == 0, n_users, n_items)
    train_valid = csr(users, items, roles <= 1, n_users, n_items)
    test_truth = [set() for _ in range(n_users)]
    valid_truth = [set() for _ in range(n_users)]
    for u, i, r in zip(users, items, roles):
        if r == 2:
            test_truth[u].add(int(i))
        elif r == 1:
            valid_truth[u].add(int(i))
    test_users = np.array([u for u in range(n_users) if test_truth[u]])
    valid_users = np.array([u for u in range(n_users) if valid_truth[u]])

    results = []
    for name in args.models.split(","):
        extra = {}
        t0 = time.perf_counter()
        if name == "pop":
            model = Popularity().fit(train)
        elif name in ("als", "bpr"):
            model = ImplicitModel(name).fit(train)
        elif name in ("itemknn", "itemknn-candidate"):
            model = ItemKNN(100, "history" if name == "itemknn" else "candidate").fit(train)
            extra["validation_ndcg@10"] = evaluate(model.scores, valid_users, train, valid_truth, K)[f"ndcg@{K}"]
        elif name == "ease":
            best = None
            for lam in (50.0, 100.0, 200.0, 500.0, 1000.0, 2000.0):
                candidate = EASE(lam).fit(train)
                ndcg = evaluate(candidate.scores, valid_users, train, valid_truth, K)[f"ndcg@{K}"]
                extra.setdefault("validation_ndcg@10", {})[str(lam)] = ndcg
                if best is None or ndcg > best[0]:
                    best = (ndcg, lam, candidate)
            model = best[2]
            extra["lambda"] = best[1]
        else:
            sys.exit(f"unknown model {name!r}; expected pop, als, bpr, ease, itemknn or itemknn-candidate")
        fit_seconds = time.perf_counter() - t0
        t0 = time.perf_counter()
        metrics = evaluate(model.scores, test_users, train_valid, test_truth, K)
        eval_seconds = time.perf_counter() - t0
        results.append({"name": name, "metrics": metrics, "fit_seconds": fit_seconds,
                        "eval_seconds": eval_seconds, **extra})

    versions = {"python": sys.version.split()[0], "numpy": np.__version__, "scipy": scipy.__version__}
    if "implicit" in sys.modules:
        versions["implicit"] = sys.modules["implicit"].__version__
    doc = {
        "dataset": "ml-100k", "split": "loo", "ties": "source order", "candidates": "full",
        "users": n_users, "items": n_items, "interactions": len(users),
        "test_users": int(len(test_users)), "split_file": split_out,
        "versions": versions,
        "models": results,
    }
    if args.json:
        print(json.dumps(doc, indent=2))
        return
    print(f"ml-100k, leave-one-out (ties by source order), full ranking, {len(test_users)} test users, "
          f"single-threaded")
    print(f"{'model':<17} {'Recall@10':>9} {'NDCG@10':>9} {'MRR@10':>9} {'fit s':>8} {'eval s':>8}  notes")
    for r in results:
        m = r["metrics"]
        note = f"lambda={r['lambda']:g}" if "lambda" in r else ""
        if r["name"].startswith("itemknn"):
            note = f"valid NDCG@10 {r['validation_ndcg@10']:.4f}"
        print(f"{r['name']:<17} {m['recall@10']:>9.4f} {m['ndcg@10']:>9.4f} {m['mrr@10']:>9.4f} "
              f"{r['fit_seconds']:>8.3f} {r['eval_seconds']:>8.3f}  {note}")
    print("versions: " + ", ".join(f"{k} {v}" for k, v in doc["versions"].items()))


if __name__ == "__main__":
    main()
