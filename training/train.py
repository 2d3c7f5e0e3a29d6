"""Train a compact GhostNet (any `fmnist` model id of architectures.json) on Fashion-MNIST.

    /usr/bin/python3 training/train.py MODEL_ID [--recipe NAME] [--epochs N] [--out DIR] [--resume]
                                       [--seed N] [--threads N] [--data DIR] [--smoke] ...

Recipe values come from training/recipes.json (the model's recorded recipe, or --recipe NAME); any
flag given on the command line overrides them. 5,000 training images (fixed split) are held out for
validation; the 10,000 test images are evaluated once, at the end. Writes OUT/model.pth (state_dict,
official key names), OUT/metrics.json and OUT/checkpoint.pt (every epoch; --resume continues from it).
Default OUT: training/runs/MODEL_ID (training/runs/smoke/MODEL_ID with --smoke).
"""
import argparse
import json
import os
import platform
import shlex
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from ghostnet import build_model, count_macs, count_params, count_state_floats, input_shape, model_ids  # noqa: E402
import data as D  # noqa: E402

RECIPES_PATH = os.path.join(HERE, "recipes.json")
RECIPE_KEYS = {  # name: (type, default)
    "epochs": (int, 12), "batch_size": (int, 128), "lr": (float, 0.2), "weight_decay": (float, 5e-5),
    "momentum": (float, 0.9), "warmup_pct": (float, 0.15), "label_smoothing": (float, 0.1),
    "pad": (int, 2), "flip": (int, 1), "seed": (int, 0),
}


def load_recipes():
    with open(RECIPES_PATH) as f:
        return json.load(f)


def recipe_for(model_id, name=None):
    r = load_recipes()
    name = name or r["models"].get(model_id)
    if name is None:
        raise SystemExit(f"train.py: no recipe recorded for {model_id} in {RECIPES_PATH}; pass --recipe NAME")
    if name not in r["recipes"]:
        raise SystemExit(f"train.py: unknown recipe {name!r} (known: {', '.join(r['recipes'])})")
    out = {k: d for k, (_, d) in RECIPE_KEYS.items()}
    out.update(r["recipes"][name])
    return name, out


class Progress:
    """A progress bar with ETA on stderr (redraws in place on a terminal, prints ~10 lines otherwise)."""

    def __init__(self, total, label):
        self.total, self.label, self.t0 = total, label, time.time()
        self.tty = sys.stderr.isatty()
        self.next_pct = 0

    def update(self, i, extra=""):
        frac = i / self.total
        el = time.time() - self.t0
        eta = el / frac * (1 - frac) if frac > 0 else 0
        if self.tty:
            bar = "#" * int(30 * frac) + "-" * (30 - int(30 * frac))
            sys.stderr.write(f"\r{self.label} [{bar}] {i}/{self.total} {el:5.0f}s ETA {eta:4.0f}s {extra}   ")
            if i == self.total:
                sys.stderr.write("\n")
        elif frac * 100 >= self.next_pct or i == self.total:
            sys.stderr.write(f"{self.label} {100 * frac:3.0f}% {i}/{self.total} {el:5.0f}s ETA {eta:4.0f}s {extra}\n")
            self.next_pct += 10
        sys.stderr.flush()


def evaluate(model, x, y, batch=1000):
    model.eval()
    preds = []
    with torch.no_grad():
        for i in range(0, len(x), batch):
            preds.append(model(x[i:i + batch]).argmax(1))
    p = torch.cat(preds)
    return (p == y).float().mean().item(), p


def confusion(y, p, k=10):
    cm = np.zeros((k, k), dtype=np.int64)
    np.add.at(cm, (y.numpy(), p.numpy()), 1)
    return cm


def fmt_time(s):
    return f"{int(s // 60)}m{int(s % 60):02d}s"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("model_id")
    ap.add_argument("--recipe", help="recipe name in training/recipes.json (default: the model's)")
    for k, (t, _) in RECIPE_KEYS.items():
        ap.add_argument("--" + k.replace("_", "-"), type=t, default=None)
    ap.add_argument("--out", help="output directory")
    ap.add_argument("--data", default=None, help=f"Fashion-MNIST IDX directory (default {D.DEFAULT_DIR})")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--resume", action="store_true", help="continue from OUT/checkpoint.pt")
    ap.add_argument("--smoke", action="store_true", help="a few steps on a small slice (CI)")
    ap.add_argument("--max-steps", type=int, default=None, help="stop each epoch after N steps (timing)")
    ap.add_argument("--stop-after-epoch", type=int, default=None,
                    help="exit after epoch N (checkpoint kept; continue later with --resume)")
    args = ap.parse_args(argv)

    torch.set_num_threads(args.threads)
    if args.model_id not in model_ids():
        print(f"train.py: unknown model id {args.model_id!r}", file=sys.stderr)
        return 2
    recipe_name, rec = recipe_for(args.model_id, args.recipe) if not args.smoke or args.recipe or \
        args.model_id in load_recipes()["models"] else ("smoke", {k: d for k, (_, d) in RECIPE_KEYS.items()})
    for k in RECIPE_KEYS:
        v = getattr(args, k)
        if v is not None:
            rec[k] = v
    if args.smoke:
        rec["epochs"] = min(rec["epochs"], 2) if args.epochs is None else rec["epochs"]
    out = args.out or os.path.join(HERE, "runs", "smoke" if args.smoke else "", args.model_id)
    os.makedirs(out, exist_ok=True)

    seed = rec["seed"]
    torch.manual_seed(seed)
    np.random.seed(seed)
    torch.use_deterministic_algorithms(True, warn_only=True)

    # ---- data
    try:
        (xtr, ytr), (xte, yte) = D.load_fmnist(args.data)
    except D.DataError as e:
        print(f"train.py: {e}", file=sys.stderr)
        return 1
    (xtr, ytr), (xva, yva) = D.split_train_val(xtr, ytr)
    model = build_model(args.model_id)
    if model.spec["layoutName"] != "fmnist":
        print(f"train.py: {args.model_id} is not a Fashion-MNIST model", file=sys.stderr)
        return 2
    pre = model.spec["layout"]["preprocess"]
    mean, std = float(pre["mean"][0]), float(pre["std"][0])
    bg = (0.0 - mean) / std
    if args.smoke:
        xtr, ytr, xva, yva, xte, yte = xtr[:512], ytr[:512], xva[:500], yva[:500], xte[:1000], yte[:1000]
    Xtr, Ytr = D.to_tensor(xtr, mean, std), torch.from_numpy(ytr)
    Xva, Yva = D.to_tensor(xva, mean, std), torch.from_numpy(yva)
    Xte, Yte = D.to_tensor(xte, mean, std), torch.from_numpy(yte)

    # ---- optimisation
    bs, epochs = rec["batch_size"], rec["epochs"]
    steps_per_epoch = len(Xtr) // bs  # drop the last partial batch (stable BN statistics)
    if args.max_steps:
        steps_per_epoch = min(steps_per_epoch, args.max_steps)
    total_steps = steps_per_epoch * epochs
    decay, no_decay = [], []
    for n, p in model.named_parameters():
        (no_decay if p.ndim <= 1 else decay).append(p)
    opt = torch.optim.SGD([{"params": decay, "weight_decay": rec["weight_decay"]},
                           {"params": no_decay, "weight_decay": 0.0}],
                          lr=rec["lr"], momentum=rec["momentum"], nesterov=True)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=rec["lr"], total_steps=total_steps,
                                                pct_start=rec["warmup_pct"], anneal_strategy="cos",
                                                div_factor=25.0, final_div_factor=1e3,
                                                cycle_momentum=False)
    crit = nn.CrossEntropyLoss(label_smoothing=rec["label_smoothing"])

    ckpt_path = os.path.join(out, "checkpoint.pt")
    start_epoch, history, train_time = 0, [], 0.0
    if args.resume and os.path.exists(ckpt_path):
        ck = torch.load(ckpt_path)
        if ck["model_id"] != args.model_id or ck["recipe"] != rec:
            print("train.py: checkpoint was made with another model/recipe; refusing to resume", file=sys.stderr)
            return 2
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["opt"])
        sched.load_state_dict(ck["sched"])
        torch.set_rng_state(ck["torch_rng"])
        start_epoch, history, train_time = ck["epoch"], ck["history"], ck["train_time"]
        print(f"resumed {args.model_id} at epoch {start_epoch}/{epochs}", file=sys.stderr)
    elif args.resume:
        print(f"no checkpoint at {ckpt_path}; starting from scratch", file=sys.stderr)

    params, macs = count_params(model), count_macs(model)
    print(f"{args.model_id}: {params:,} params, {macs:,} MACs; recipe {recipe_name} {json.dumps(rec)}; "
          f"{len(Xtr)} train / {len(Xva)} val; {steps_per_epoch} steps/epoch; {args.threads} threads",
          file=sys.stderr)

    for epoch in range(start_epoch, epochs):
        t0 = time.time()
        model.train()
        gen = torch.Generator().manual_seed(seed * 100003 + epoch)  # deterministic order + augmentation
        perm = torch.randperm(len(Xtr), generator=gen)
        bar = Progress(steps_per_epoch, f"{args.model_id} epoch {epoch + 1}/{epochs}")
        loss_sum, correct, seen = 0.0, 0, 0
        for step in range(steps_per_epoch):
            idx = perm[step * bs:(step + 1) * bs]
            xb, yb = Xtr[idx], Ytr[idx]
            xb = D.augment(xb, gen, bg, pad=rec["pad"], flip=bool(rec["flip"]))
            logits = model(xb)
            loss = crit(logits, yb)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            loss_sum += loss.item() * len(yb)
            correct += (logits.argmax(1) == yb).sum().item()
            seen += len(yb)
            if (step + 1) % 20 == 0 or step + 1 == steps_per_epoch:
                bar.update(step + 1, f"loss {loss_sum / seen:.3f} acc {correct / seen:.3f}")
        epoch_time = time.time() - t0
        train_time += epoch_time
        val_acc, _ = evaluate(model, Xva, Yva)
        history.append({"epoch": epoch + 1, "train_loss": round(loss_sum / seen, 5),
                        "train_acc": round(correct / seen, 5), "val_acc": round(val_acc, 5),
                        "lr_end": sched.get_last_lr()[0], "seconds": round(epoch_time, 1)})
        print(f"{args.model_id} epoch {epoch + 1}/{epochs}: loss {loss_sum / seen:.4f} train {correct / seen:.4f} "
              f"val {val_acc:.4f} ({epoch_time:.0f}s, total {fmt_time(train_time)})", file=sys.stderr)
        torch.save({"model_id": args.model_id, "recipe": rec, "epoch": epoch + 1, "model": model.state_dict(),
                    "opt": opt.state_dict(), "sched": sched.state_dict(), "torch_rng": torch.get_rng_state(),
                    "history": history, "train_time": train_time}, ckpt_path + ".tmp")
        os.replace(ckpt_path + ".tmp", ckpt_path)
        if args.stop_after_epoch and epoch + 1 >= args.stop_after_epoch and epoch + 1 < epochs:
            print(f"stopped after epoch {epoch + 1}; continue with --resume", file=sys.stderr)
            return 0

    # ---- final: the test split, once
    test_acc, pred = evaluate(model, Xte, Yte)
    cm = confusion(Yte, pred)
    per_class = (cm.diagonal() / np.maximum(cm.sum(1), 1)).tolist()
    torch.save(model.state_dict(), os.path.join(out, "model.pth"))
    metrics = {
        "model": args.model_id,
        "dataset": "Fashion-MNIST",
        "smoke": bool(args.smoke),
        "test_accuracy": round(test_acc, 5),
        "test_images": len(Yte),
        "val_accuracy": history[-1]["val_acc"] if history else None,
        "val_images": len(Yva),
        "train_images": len(Ytr),
        "per_class_accuracy": {c: round(a, 5) for c, a in zip(D.CLASSES, per_class)},
        "confusion_matrix": cm.tolist(),
        "confusion_matrix_note": "rows = true class, columns = predicted class, class order as in 'classes'",
        "classes": D.CLASSES,
        "params": params,
        "state_floats": count_state_floats(model),
        "macs": macs,
        "input": list(model.spec["layout"]["input"]),
        "version": model.spec["version"], "plain": model.spec["plain"],
        "ratio": model.spec["ratio"], "dwSize": model.spec["dwSize"], "width": model.spec["width"],
        "epochs": epochs,
        "recipe_name": recipe_name,
        "recipe": rec,
        "optimizer": "SGD nesterov, OneCycle (cosine) LR, no weight decay on BN/bias",
        "augmentation": f"random crop (pad {rec['pad']}) + horizontal flip" if rec["flip"] else f"random crop (pad {rec['pad']})",
        "seed": seed,
        "threads": args.threads,
        "training_seconds": round(train_time, 1),
        "history": history,
        "command": " ".join(shlex.quote(a) for a in [sys.executable] + sys.argv),
        "torch_version": torch.__version__,
        "numpy_version": np.__version__,
        "python_version": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
        "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    with open(os.path.join(out, "metrics.json"), "w") as f:
        json.dump(metrics, f, indent=1)
    print(f"{args.model_id}: test accuracy {test_acc:.4f} (val {metrics['val_accuracy']}), "
          f"{fmt_time(train_time)} training; wrote {out}/model.pth and metrics.json", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
