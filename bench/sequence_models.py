#!/usr/bin/env python3
"""SASRec and BERT4Rec: recscope's Swift training vs a PyTorch reference of the same network (issue 14).

The reference is the architecture `Sources/RecModels/Sequence` implements, written with torch.nn:

  input    item embedding (tokens = items, + one [mask] row for BERT4Rec) + learned position, dropout.
           A sequence's last item sits at position max_len - 1 (left padding; padded keys are masked).
  blocks   pre-LayerNorm (eps 1e-5): x += Dropout(Attn(LN1(x)) W_o + b_o); x += Dropout(FFN(LN2(x))),
           FFN = W2 GELU_tanh(W1 . + b1) + b2, heads of dim/heads with scale 1/sqrt(dim/heads);
           causal attention for SASRec, bidirectional for BERT4Rec; no dropout on attention weights.
  output   a final LayerNorm; item i's logit at a position is h . e_i (the input embedding, shared).
  loss     softmax cross-entropy over every item, averaged over the target positions: every position's
           next item (SASRec, reading the last max_len + 1 training items) or the masked positions
           (BERT4Rec: the last max_len items, each replaced by [mask] with probability mask_prob, at least
           one per sequence).
  init     embeddings, positions and projection weights N(0, 0.02^2), biases 0, LayerNorm gains 1.
  training torch.optim.AdamW (betas 0.9/0.999, eps 1e-8), batches of whole user sequences in a seeded
           shuffled order; after each epoch NDCG@10 of the validation item (ranking every item but the
           user's training items); stop after `patience` epochs without improvement, keep the best epoch.
  serving  SASRec scores from the hidden state at the last training item; BERT4Rec appends [mask] after
           the last max_len - 1 training items and scores from it. Test rankings exclude train and valid
           items (RecBole's full-sort rule), as `recscope eval` does.

The split is leave-one-out as `bench/reference_models.py` builds it (time order, ties by source order),
which RecEvalTests check equals recscope's. Both sides train on the same training sequences with the same
hyperparameters (recscope's defaults, printed with the table); only the random streams differ.

Usage (get ml-100k as in reference_models.py; the binary a release build, -Xcc -mavx2 -Xcc -mfma):
  python3 bench/sequence_models.py --data DIR [--binary .build/release/recscope] [--models sasrec,bert4rec]
      [--seeds 42,43,44] [--param k=v ...] [--json]
  python3 bench/sequence_models.py --data DIR --tune    # recscope only: the grid the defaults came from

Speed: both sides on one thread (torch.set_num_threads(1); recscope --param threads=1); "s/epoch" is the
median over every epoch of every seed of one pass over the training sequences (forward, backward, AdamW),
validation not included. A last row times recscope's whole sasrec run to its early stop on 2 threads.
"""
import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse
import copy
import json
import math
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reference_models import dense, leave_one_out, load_inter, metrics_at_k  # noqa: E402

DEFAULTS = {"dim": 64, "layers": 2, "heads": 2, "ffn": 0, "max_len": 50, "dropout": 0.2, "lr": 0.001,
            "weight_decay": 0.0, "epochs": 200, "batch": 128, "patience": 10, "mask_prob": 0.4}
K = 10


# ---------------------------------------------------------------- data


def sequences(path):
    """Per user: training items in time order (ties by source order), the valid item, the test item."""
    users, items, times = load_inter(path)
    u, _ = dense(users)
    i, item_vocab = dense(items)
    roles = leave_one_out(u, times)
    order = np.lexsort((np.arange(len(u)), times, u))
    n_users = int(u.max()) + 1
    train = [[] for _ in range(n_users)]
    valid = [-1] * n_users
    test = [-1] * n_users
    for r in order:
        if roles[r] == 0:
            train[u[r]].append(int(i[r]))
        elif roles[r] == 1:
            valid[u[r]] = int(i[r])
        else:
            test[u[r]] = int(i[r])
    return train, valid, test, len(item_vocab)


# ---------------------------------------------------------------- the reference network


def build_model(torch, items, masked, h):
    nn = torch.nn
    F = torch.nn.functional
    dim, heads, max_len = h["dim"], h["heads"], h["max_len"]
    ffn = h["ffn"] or 4 * dim

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.ln1 = nn.LayerNorm(dim, eps=1e-5)
            self.qkv = nn.Linear(dim, 3 * dim)
            self.out = nn.Linear(dim, dim)
            self.ln2 = nn.LayerNorm(dim, eps=1e-5)
            self.ffn_in = nn.Linear(dim, ffn)
            self.ffn_out = nn.Linear(ffn, dim)
            self.drop = nn.Dropout(h["dropout"])

        def forward(self, x, allowed):
            b, length, _ = x.shape
            q, k, v = self.qkv(self.ln1(x)).split(dim, dim=-1)
            shape = (b, length, heads, dim // heads)
            q, k, v = (t.reshape(shape).transpose(1, 2) for t in (q, k, v))
            attended = F.scaled_dot_product_attention(q, k, v, attn_mask=allowed)
            x = x + self.drop(self.out(attended.transpose(1, 2).reshape(b, length, dim)))
            return x + self.drop(self.ffn_out(F.gelu(self.ffn_in(self.ln2(x)), approximate="tanh")))

    class Transformer(nn.Module):
        def __init__(self):
            super().__init__()
            self.embedding = nn.Parameter(torch.empty(items + (1 if masked else 0), dim))
            self.position = nn.Parameter(torch.empty(max_len, dim))
            self.blocks = nn.ModuleList(Block() for _ in range(h["layers"]))
            self.final = nn.LayerNorm(dim, eps=1e-5)
            self.drop = nn.Dropout(h["dropout"])
            for name, p in self.named_parameters():
                if name.endswith("bias"):
                    nn.init.zeros_(p)
                elif "ln" in name or name.startswith("final"):
                    nn.init.ones_(p)
                else:
                    nn.init.normal_(p, 0.0, 0.02)

        def forward(self, tokens, valid):
            """tokens, valid: (B, max_len), left-padded; returns the hidden states (B, max_len, dim)."""
            length = tokens.shape[1]
            x = self.drop(self.embedding[tokens] + self.position[None, :length])
            allowed = valid[:, None, None, :]  # keys that are real items
            if not masked:
                allowed = allowed & torch.ones(length, length, dtype=torch.bool).tril()[None, None]
            allowed = allowed | torch.eye(length, dtype=torch.bool)[None, None]  # padded queries see themselves
            for block in self.blocks:
                x = block(x, allowed)
            return self.final(x)

        def logits(self, hidden):
            return hidden @ self.embedding[:items].T

    return Transformer()


def padded(torch, windows, max_len, fill=0):
    tokens = torch.full((len(windows), max_len), fill, dtype=torch.long)
    valid = torch.zeros((len(windows), max_len), dtype=torch.bool)
    for n, w in enumerate(windows):
        if w:
            tokens[n, max_len - len(w):] = torch.tensor(w)
            valid[n, max_len - len(w):] = True
    return tokens, valid


def serving_windows(histories, users, max_len, masked, items):
    if masked:
        return [histories[u][-(max_len - 1):] + [items] for u in users]
    return [histories[u][-max_len:] for u in users]


def rank(torch, model, histories, users, exclude, h, masked, items):
    """Top-K lists for `users`, excluding `exclude[u]`, ties by lower index."""
    model.eval()
    out = []
    with torch.no_grad():
        for start in range(0, len(users), 256):
            block = users[start:start + 256]
            tokens, valid = padded(torch, serving_windows(histories, block, h["max_len"], masked, items), h["max_len"])
            scores = model.logits(model(tokens, valid)[:, -1]).double().numpy()
            for n, u in enumerate(block):
                scores[n, list(exclude[u])] = -np.inf
            out.append(np.argsort(-scores, axis=1, kind="stable")[:, :K])
    model.train()
    return np.vstack(out)


def ndcg_of(ranked, truth):
    return metrics_at_k(ranked, truth, K)[f"ndcg@{K}"]


def train_reference(torch, data, kind, h, seed):
    histories, valid, test, items = data
    masked = kind == "bert4rec"
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    model = build_model(torch, items, masked, h)
    opt = torch.optim.AdamW(model.parameters(), lr=h["lr"], betas=(0.9, 0.999), eps=1e-8, weight_decay=h["weight_decay"])
    trainable = [u for u, s in enumerate(histories) if len(s) >= (1 if masked else 2)]
    valid_users = [u for u in range(len(histories)) if valid[u] >= 0 and histories[u]]
    train_seen = [set(s) for s in histories]
    max_len = h["max_len"]
    best, best_epoch, best_ndcg, epoch_seconds = None, 0, -1.0, []
    for epoch in range(1, h["epochs"] + 1):
        started = time.perf_counter()
        order = rng.permutation(trainable)
        for b in range(0, len(order), h["batch"]):
            users = order[b:b + h["batch"]]
            if masked:
                windows = [histories[u][-max_len:] for u in users]
                tokens, valid_rows = padded(torch, windows, max_len)
                targets = torch.full_like(tokens, -100)
                chosen = (torch.rand(tokens.shape) < h["mask_prob"]) & valid_rows
                none = ~chosen.any(dim=1)
                chosen[none, -1] = True
                targets[chosen] = tokens[chosen]
                tokens = tokens.masked_fill(chosen, items)
            else:
                windows = [histories[u][-(max_len + 1):] for u in users]
                tokens, valid_rows = padded(torch, [w[:-1] for w in windows], max_len)
                targets, _ = padded(torch, [w[1:] for w in windows], max_len, fill=-100)
            hidden = model(tokens, valid_rows)
            rows = targets >= 0
            loss = torch.nn.functional.cross_entropy(model.logits(hidden[rows]), targets[rows])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
        epoch_seconds.append(time.perf_counter() - started)
        ranked = rank(torch, model, histories, valid_users, train_seen, h, masked, items)
        value = ndcg_of(ranked, [{valid[u]} for u in valid_users])
        if value > best_ndcg:
            best, best_epoch, best_ndcg = copy.deepcopy(model.state_dict()), epoch, value
        if epoch - best_epoch >= h["patience"]:
            break
    model.load_state_dict(best)
    test_users = [u for u in range(len(histories)) if test[u] >= 0]
    seen = [train_seen[u] | ({valid[u]} if valid[u] >= 0 else set()) for u in range(len(histories))]
    ranked = rank(torch, model, histories, test_users, seen, h, masked, items)
    metrics = metrics_at_k(ranked, [{test[u]} for u in test_users], K)
    return {"metrics": metrics, "best_epoch": best_epoch, "valid_ndcg": best_ndcg, "epochs": len(epoch_seconds),
            "epoch_seconds": epoch_seconds}


# ---------------------------------------------------------------- recscope


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({p.returncode}):\n{p.stderr}")
    return p.stdout


def recscope_eval(binary, db, kind, params, seed, threads):
    cmd = [binary, "eval", "--catalog", db, "--models", kind, "--split", "loo", "--k", str(K), "--json",
           "--param", f"seed={seed}", "--param", f"threads={threads}"] + sum((["--param", p] for p in params), [])
    started = time.perf_counter()
    doc = json.loads(run(cmd))
    wall = time.perf_counter() - started
    row = doc["models"][0]
    epochs = row.get("epochs", [])
    best = max(epochs, key=lambda e: (e.get("valid_ndcg10", -1), -e["epoch"]))
    m = row["metrics"]
    return {"metrics": {f"recall@{K}": m[f"recall@{K}"], f"ndcg@{K}": m[f"ndcg@{K}"], f"mrr@{K}": m[f"mrr@{K}"]},
            "best_epoch": best["epoch"], "valid_ndcg": best.get("valid_ndcg10"), "epochs": len(epochs),
            "epoch_seconds": [e["epoch_seconds"] for e in epochs], "fit_seconds": row["fit_seconds"], "wall": wall}


def fresh_catalog(binary, inter, work, name):
    db = os.path.join(work, name + ".sqlite")
    run([binary, "import", "--catalog", db, "--format", "recbole", inter])
    return db


def tune(binary, inter, work):
    """recscope only, judged on the validation rows (the best epoch's valid NDCG@10)."""
    grid = []
    for kind in ("sasrec", "bert4rec"):
        for dropout in ("0.1", "0.2", "0.3", "0.5"):
            for lr in ("0.001", "0.002"):
                extra = ["mask_prob=0.2"] if kind == "bert4rec" else []
                grid.append((kind, [f"dropout={dropout}", f"lr={lr}"] + extra))
        for layers, heads in (("1", "1"), ("2", "2"), ("3", "2")):
            grid.append((kind, [f"layers={layers}", f"heads={heads}"]))
        for max_len in ("20", "50", "100", "200"):
            grid.append((kind, [f"max_len={max_len}"]))
        if kind == "bert4rec":
            for p in ("0.1", "0.2", "0.4"):
                grid.append((kind, [f"mask_prob={p}"]))
    print(f"{'model':9} {'params':36} {'valid NDCG@10':>13} {'best epoch':>10} {'s/epoch':>8}")
    for kind, params in grid:
        db = fresh_catalog(binary, inter, work, "tune")
        cmd = [binary, "train", "--catalog", db, "--model", kind, "--split", "loo", "--json"]
        cmd += sum((["--param", p] for p in params), [])
        row = json.loads(run(cmd))["models"][0]
        best = max(row["epochs"], key=lambda e: (e.get("valid_ndcg10", -1), -e["epoch"]))
        seconds = statistics.median(e["epoch_seconds"] for e in row["epochs"])
        print(f"{kind:9} {' '.join(params):36} {best['valid_ndcg10']:13.4f} {best['epoch']:10d} {seconds:8.3f}", flush=True)
        os.remove(db)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", required=True, help="folder holding ml-100k.inter (RecBole atomic files)")
    ap.add_argument("--binary", default=".build/release/recscope")
    ap.add_argument("--models", default="sasrec,bert4rec")
    ap.add_argument("--seeds", default="42,43,44")
    ap.add_argument("--param", action="append", default=[], help="k=v for both sides (e.g. epochs=20)")
    ap.add_argument("--tune", action="store_true")
    ap.add_argument("--skip-wall", action="store_true", help="leave out the 2-thread whole-run timing")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    inter = os.path.join(args.data, "ml-100k.inter")
    if not os.path.exists(inter):
        sys.exit(f"{inter}: not found (see reference_models.py for how to get ml-100k)")
    if not os.path.exists(args.binary):
        sys.exit(f"{args.binary}: not found; build with swift build -c release -Xcc -mavx2 -Xcc -mfma")
    work = tempfile.mkdtemp(prefix="seqbench-")
    try:
        if args.tune:
            tune(args.binary, inter, work)
            return
        import torch
        torch.set_num_threads(1)
        h = dict(DEFAULTS)
        for p in args.param:
            key, _, value = p.partition("=")
            if key not in h:
                sys.exit(f"--param {p}: unknown parameter (expected one of {', '.join(h)})")
            h[key] = type(DEFAULTS[key])(value)
        data = sequences(inter)
        seeds = [int(s) for s in args.seeds.split(",")]
        def ours_params(kind):
            return [p for p in args.param if kind == "bert4rec" or not p.startswith("mask_prob")]
        results = {}
        for kind in args.models.split(","):
            for seed in seeds:
                ours = recscope_eval(args.binary, fresh_catalog(args.binary, inter, work, f"{kind}{seed}"), kind,
                                     ours_params(kind), seed, 1)
                ref = train_reference(torch, data, kind, h, seed)
                results.setdefault(kind, {"recscope": [], "pytorch": []})
                results[kind]["recscope"].append(ours)
                results[kind]["pytorch"].append(ref)
                print(f"# {kind} seed {seed}: recscope NDCG@10 {ours['metrics']['ndcg@10']:.4f} (best epoch "
                      f"{ours['best_epoch']}, {statistics.median(ours['epoch_seconds']):.3f} s/epoch), pytorch "
                      f"{ref['metrics']['ndcg@10']:.4f} (best epoch {ref['best_epoch']}, "
                      f"{statistics.median(ref['epoch_seconds']):.3f} s/epoch)", file=sys.stderr, flush=True)
        wall = None
        if not args.skip_wall and "sasrec" in results:
            runs = [recscope_eval(args.binary, fresh_catalog(args.binary, inter, work, f"wall{n}"), "sasrec",
                                  ours_params("sasrec"), 42, 2)
                    for n in range(3)]
            wall = {"fit_seconds": statistics.median(r["fit_seconds"] for r in runs), "epochs": runs[0]["epochs"]}
        report(results, h, wall, args.json)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def report(results, h, wall, as_json):
    rows = []
    for kind, sides in results.items():
        for side in ("recscope", "pytorch"):
            rs = sides[side]
            rows.append({
                "model": kind, "side": side,
                "recall": statistics.mean(r["metrics"]["recall@10"] for r in rs),
                "ndcg": statistics.mean(r["metrics"]["ndcg@10"] for r in rs),
                "mrr": statistics.mean(r["metrics"]["mrr@10"] for r in rs),
                "valid_ndcg": statistics.mean(r["valid_ndcg"] for r in rs),
                "best_epochs": [r["best_epoch"] for r in rs],
                "epoch_seconds": statistics.median(s for r in rs for s in r["epoch_seconds"]),
            })
    if as_json:
        print(json.dumps({"hyperparameters": h, "rows": rows, "sasrec_2_threads": wall}, indent=2))
        return
    print(f"ml-100k leave-one-out, full ranking, K=10, mean of {len(next(iter(results.values()))['recscope'])} seeds; "
          + " ".join(f"{k}={v}" for k, v in h.items()))
    print(f"{'model':9} {'side':9} {'Recall@10':>9} {'NDCG@10':>8} {'MRR@10':>8} {'valid NDCG':>10} {'best epochs':>14} {'s/epoch':>8} {'ratio':>6}")
    for r in rows:
        ref = next(x for x in rows if x["model"] == r["model"] and x["side"] == "pytorch")
        ratio = r["epoch_seconds"] / ref["epoch_seconds"]
        print(f"{r['model']:9} {r['side']:9} {r['recall']:9.4f} {r['ndcg']:8.4f} {r['mrr']:8.4f} {r['valid_ndcg']:10.4f} "
              f"{','.join(map(str, r['best_epochs'])):>14} {r['epoch_seconds']:8.3f} {ratio:6.2f}")
    for kind in results:
        a = next(x for x in rows if x["model"] == kind and x["side"] == "recscope")
        b = next(x for x in rows if x["model"] == kind and x["side"] == "pytorch")
        print(f"{kind}: recscope - pytorch: Recall@10 {a['recall'] - b['recall']:+.4f}, NDCG@10 {a['ndcg'] - b['ndcg']:+.4f}"
              f" (goal: within 0.01); epoch time ratio {a['epoch_seconds'] / b['epoch_seconds']:.2f} (goal <= 0.25)")
    if wall:
        print(f"sasrec, whole run to its early stop on 2 threads: {wall['fit_seconds']:.1f} s "
              f"({wall['epochs']} epochs; goal < 60 s)")


if __name__ == "__main__":
    main()
