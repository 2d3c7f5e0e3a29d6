"""Generate public/weights/ablation.json and training/ABLATION.md from the grid runs' metrics.

    /usr/bin/python3 training/make_ablation.py [--runs training/runs]

Reads RUNS/ghostnet-fmnist-s{S}-d{D}/metrics.json where present (cells not trained yet are listed as
pending) and the extra seeds in RUNS/seeds/<id>-seed<N>/metrics.json (same recipe, other seed: the
run-to-run noise); params and MACs are computed from the architecture either way. The paper's
Ghost-VGG-16 / CIFAR-10 numbers (the GhostNet paper's ablation tables) sit beside them.
"""
import argparse
import glob
import json
import os
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from ghostnet import build_model, count_macs, count_params, count_state_floats  # noqa: E402

S_VALUES, D_VALUES = (2, 3, 4, 5), (1, 3, 5, 7)
CELLS = [(s, d) for s in S_VALUES for d in D_VALUES]
# Ghost-VGG-16 on CIFAR-10, the GhostNet paper's ablation tables (as transcribed by secondary sources)
PAPER = {
    "source": "GhostNet (Han et al., CVPR 2020, arXiv 1911.11907) ablations, Ghost-VGG-16 on CIFAR-10 "
              "(numbers as transcribed by secondary sources; also in the GhostNet V1 chapter)",
    "vanilla": {"weights": "15.0M", "flops": "313M", "acc": 93.6},
    "d": {1: ("7.6M", "157M", 93.5), 3: ("7.7M", "158M", 93.7), 5: ("7.7M", "160M", 93.4), 7: ("7.7M", "163M", 93.1)},
    "s": {2: ("7.7M", "158M", 93.7), 3: ("5.2M", "107M", 93.4), 4: ("4.0M", "80M", 93.0), 5: ("3.3M", "65M", 92.9)},
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", default=os.path.join(HERE, "runs"))
    ap.add_argument("--json-out", default=os.path.join(ROOT, "public", "weights", "ablation.json"))
    ap.add_argument("--md-out", default=os.path.join(HERE, "ABLATION.md"))
    args = ap.parse_args()

    rows, recipe = [], None
    for s, d in CELLS:
        mid = f"ghostnet-fmnist-s{s}-d{d}"
        m = build_model(mid)
        row = {"model": mid, "s": s, "d": d, "params": count_params(m), "stateFloats": count_state_floats(m),
               "macs": count_macs(m), "testAccuracy": None, "valAccuracy": None, "epochs": None,
               "trainingSeconds": None}
        mp = os.path.join(args.runs, mid, "metrics.json")
        if os.path.exists(mp):
            with open(mp) as f:
                mt = json.load(f)
            if not mt.get("smoke"):
                row.update(testAccuracy=mt["test_accuracy"], valAccuracy=mt["val_accuracy"], epochs=mt["epochs"],
                           trainingSeconds=mt["training_seconds"])
                recipe = recipe or {"name": mt["recipe_name"], **mt["recipe"]}
        seeds = [{"seed": mt["recipe"]["seed"], "testAccuracy": mt["test_accuracy"]}] if row["testAccuracy"] is not None else []
        for sp in sorted(glob.glob(os.path.join(args.runs, "seeds", f"{mid}-seed*", "metrics.json"))):
            with open(sp) as f:
                st = json.load(f)
            if not st.get("smoke"):
                seeds.append({"seed": st["recipe"]["seed"], "testAccuracy": st["test_accuracy"]})
        row["seeds"] = sorted(seeds, key=lambda x: x["seed"])
        rows.append(row)
    noise = noise_band(rows)
    base = next(r for r in rows if r["s"] == 2 and r["d"] == 3)
    paper_rows = [{"axis": "d", "s": 2, "d": d, "weights": w, "flops": fl, "acc": a} for d, (w, fl, a) in PAPER["d"].items()] + \
                 [{"axis": "s", "s": s, "d": 3, "weights": w, "flops": fl, "acc": a} for s, (w, fl, a) in PAPER["s"].items()]
    out = {
        "dataset": "Fashion-MNIST (55,000 train / 5,000 held-out val / 10,000 test)",
        "layout": "fmnist", "version": "v1",
        "note": "Every cell is trained with the same shorter 'grid' recipe (s2-d3 included), so the s2-d3 cell differs "
                "from the shipped ghostnet-fmnist, which uses the longer 'main' recipe. One seed's weights are shipped "
                "per cell; a few cells were trained with more seeds to measure the run-to-run noise.",
        "recipe": recipe,
        "noise": noise,
        "rows": rows,
        "paper": {"source": PAPER["source"], "model": "Ghost-VGG-16", "dataset": "CIFAR-10",
                  "vanilla": PAPER["vanilla"], "rows": paper_rows},
    }
    main_rows = []
    for mid in ("plainnet-fmnist", "ghostnet-fmnist", "ghostnetv2-fmnist"):
        m = build_model(mid)
        row = {"model": mid, "params": count_params(m), "macs": count_macs(m), "testAccuracy": None, "epochs": None}
        mp = os.path.join(args.runs, mid, "metrics.json")
        if os.path.exists(mp):
            with open(mp) as f:
                mt = json.load(f)
            if not mt.get("smoke"):
                row.update(testAccuracy=mt["test_accuracy"], epochs=mt["epochs"], recipe=mt["recipe_name"])
        main_rows.append(row)
    out["mainModels"] = {"note": "The shipped models, trained with the longer 'main' recipe (not comparable "
                                 "cell-by-cell with the grid). plainnet-fmnist is the vanilla twin: every Ghost "
                                 "module replaced by one ordinary conv.", "rows": main_rows}
    os.makedirs(os.path.dirname(args.json_out), exist_ok=True)
    with open(args.json_out, "w") as f:
        json.dump(out, f, indent=1)

    def acc(r):
        return f"{100 * r['testAccuracy']:.2f} %" if r["testAccuracy"] is not None else "pending"

    def pct(v):
        return f"{100 * v:.2f}"

    def rel(r, key):
        return f"{r[key] / base[key]:.2f}×"

    lines = ["# Ablation: ratio s and cheap-kernel d (GhostNet V1, Fashion-MNIST)", "",
             "Generated by `training/make_ablation.py` from `training/runs/*/metrics.json`; do not edit by hand.", "",
             out["note"], ""]
    if recipe:
        lines += ["Recipe: " + ", ".join(f"{k} {v}" for k, v in recipe.items()) + ".", ""]
    lines += ["## The whole grid: test accuracy (%)", "",
              "| s \\ d | " + " | ".join(f"d = {d}" for d in D_VALUES) + " |", "|---|" + "---|" * len(D_VALUES)]
    for s in S_VALUES:
        cells = [next(r for r in rows if r["s"] == s and r["d"] == d) for d in D_VALUES]
        lines.append(f"| s = {s} | " + " | ".join(pct(r["testAccuracy"]) if r["testAccuracy"] is not None else "pending"
                                                 for r in cells) + " |")
    lines += [""]
    if noise["cells"]:
        lines += ["## Run-to-run noise (same recipe, other seeds)", "",
                  "| s | d | seeds | test acc. per seed (%) | spread (max − min) |", "|---|---|---|---|---|"]
        for c in noise["cells"]:
            lines.append(f"| {c['s']} | {c['d']} | {len(c['accuracies'])} | "
                         f"{', '.join(pct(a) for a in c['accuracies'])} | {100 * c['spread']:.2f} pp |")
        lines += ["", f"Noise band used on the site: ±{100 * noise['band'] / 2:.2f} pp around a cell's accuracy "
                      f"(half the largest spread measured); pooled standard deviation {100 * noise['pooledStd']:.2f} pp. "
                      f"Measured on {len(noise['cells'])} cell(s) with {sum(len(c['accuracies']) for c in noise['cells'])} runs in all: "
                      "so few runs give a rough and probably low estimate. Two cells closer than the full band are "
                      "not told apart by this grid.", ""]
    else:
        lines += ["Run-to-run noise: not measured yet (extra seeds pending).", ""]
    for axis, title in (("d", "Effect of d (s = 2)"), ("s", "Effect of s (d = 3)")):
        lines += [f"## {title}", "",
                  "| s | d | params | MACs | test acc. (ours) | Ghost-VGG-16 weights | FLOPs | acc. (paper, CIFAR-10) |",
                  "|---|---|---|---|---|---|---|---|"]
        for r in rows:
            if (axis == "d" and r["s"] != 2) or (axis == "s" and r["d"] != 3):
                continue
            w, fl, a = PAPER[axis][r[axis]]
            lines.append(f"| {r['s']} | {r['d']} | {r['params']:,} ({rel(r, 'params')}) | {r['macs'] / 1e6:.2f} M "
                         f"({rel(r, 'macs')}) | {acc(r)} | {w} | {fl} | {a} |")
        v = PAPER["vanilla"]
        lines += [f"| vanilla | – | – | – | – | {v['weights']} | {v['flops']} | {v['acc']} |", ""]
    lines += ["## Vanilla twin vs Ghost (shipped models, 'main' recipe)", "",
              out["mainModels"]["note"], "",
              "| model | params | MACs | epochs | test acc. |", "|---|---|---|---|---|"]
    for r in main_rows:
        lines.append(f"| {r['model']} | {r['params']:,} | {r['macs'] / 1e6:.2f} M | {r['epochs'] or '–'} | {acc(r)} |")
    lines += [""]
    lines += ["Params count every learned tensor (BatchNorm included); MACs are conv + linear multiply-accumulates "
              "for one 28×28 image. Paper numbers: " + PAPER["source"] + ".", ""]
    with open(args.md_out, "w") as f:
        f.write("\n".join(lines))
    done = sum(r["testAccuracy"] is not None for r in rows)
    print(f"wrote {args.json_out} and {args.md_out} ({done}/{len(rows)} cells trained)")




def noise_band(rows):
    """Seed-to-seed spread of the cells trained with more than one seed: the grid's noise band."""
    cells = []
    for r in rows:
        accs = [x["testAccuracy"] for x in r["seeds"]]
        if len(accs) >= 2:
            cells.append({"s": r["s"], "d": r["d"], "accuracies": accs, "spread": max(accs) - min(accs),
                          "std": statistics.stdev(accs)})
    if not cells:
        return {"cells": [], "band": None, "pooledStd": None}
    pooled = (sum(c["std"] ** 2 * (len(c["accuracies"]) - 1) for c in cells) /
              sum(len(c["accuracies"]) - 1 for c in cells)) ** 0.5
    return {"cells": cells, "band": max(c["spread"] for c in cells), "pooledStd": pooled,
            "runs": sum(len(c["accuracies"]) for c in cells)}


if __name__ == "__main__":
    main()
