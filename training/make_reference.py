"""Reference checkpoint + input/logits for parity tests.

    /usr/bin/python3 training/make_reference.py --arch ARCH --out DIR [--seed N] [--num-classes N] [--input H] [--batch N]

Writes DIR/model.pth (torch.save(state_dict), official key names, zip format),
DIR/model.safetensors (float tensors as F32; num_batches_tracked is left out: it does not affect eval),
DIR/model-timm.pth (the same weights as timm's train.py saves them: nn.Parameters under 'state_dict'
with DataParallel's 'module.' prefix, beside 'epoch', 'arch' and an argparse.Namespace of 'args'),
DIR/input.npy (float32 NCHW, batch 2 unless --batch) and DIR/logits.npy (float32 [batch, num_classes]), eval mode.

Weights use PyTorch's default init; BatchNorm weight/bias are randomised, and running_mean/running_var are
calibrated on random inputs (so activations stay in a sane range) and then perturbed, so that BN folding is
exercised with non-trivial statistics.
"""
import argparse
import json
import os
import struct
import sys

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ghostnet import build_model, input_shape, model_ids  # noqa: E402


def write_safetensors(state_dict, path):
    header, blobs, offset = {}, [], 0
    for name, t in state_dict.items():
        if not t.is_floating_point():
            continue
        arr = t.detach().cpu().contiguous().to(torch.float32).numpy().astype("<f4", copy=False)
        data = arr.tobytes(order="C")
        header[name] = {"dtype": "F32", "shape": list(arr.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    hjson = json.dumps(header, separators=(",", ":")).encode("utf-8")
    hjson += b" " * ((8 - len(hjson) % 8) % 8)  # pad so the data starts 8-byte aligned
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hjson)))
        f.write(hjson)
        for b in blobs:
            f.write(b)


def randomize(model, shape, gen, calib_batch):
    bns = [m for m in model.modules() if isinstance(m, nn.BatchNorm2d)]
    with torch.no_grad():
        for bn in bns:
            c = bn.num_features
            bn.weight.copy_(torch.rand(c, generator=gen) * 0.8 + 0.6)       # U(0.6, 1.4)
            bn.bias.copy_(torch.randn(c, generator=gen) * 0.1)
            bn.momentum = None  # cumulative average during calibration
            bn.reset_running_stats()
        model.train()
        x = torch.randn((calib_batch,) + tuple(shape), generator=gen)
        model(x)
        for bn in bns:
            c = bn.num_features
            bn.running_mean.add_(torch.randn(c, generator=gen) * 0.05 * bn.running_var.sqrt())
            bn.running_var.mul_(torch.exp(torch.randn(c, generator=gen) * 0.15))
            bn.momentum = 0.1
    model.eval()
    # scale the classifier so the logits spread over a few units (a more sensitive parity test)
    with torch.no_grad():
        std = model(x).std().item()
        if std > 0:
            model.classifier.weight.mul_(3.0 / std)
            model.classifier.bias.copy_(torch.randn(model.classifier.bias.shape, generator=gen) * 0.5)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--arch", required=True, help="model id from architectures.json")
    ap.add_argument("--out", required=True, help="output directory")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--num-classes", type=int, default=None)
    ap.add_argument("--input", type=int, default=None, help="input height = width (default: the layout's)")
    ap.add_argument("--batch", type=int, default=2, help="items in input.npy")
    args = ap.parse_args(argv)

    torch.set_num_threads(2)
    if args.arch not in model_ids():
        print(f"make_reference: unknown --arch {args.arch!r} (known: {', '.join(model_ids())})", file=sys.stderr)
        return 2
    torch.manual_seed(args.seed)
    gen = torch.Generator().manual_seed(args.seed)
    model = build_model(args.arch, num_classes=args.num_classes)
    shape = input_shape(model, args.input)
    calib_batch = 8 if shape[1] * shape[2] > 64 * 64 else 32
    randomize(model, shape, gen, calib_batch)

    x = torch.randn((args.batch,) + tuple(shape), generator=gen)
    with torch.no_grad():
        logits = model(x)
    assert torch.isfinite(logits).all(), "non-finite logits"

    os.makedirs(args.out, exist_ok=True)
    sd = model.state_dict()
    torch.save(sd, os.path.join(args.out, "model.pth"))
    write_safetensors(sd, os.path.join(args.out, "model.safetensors"))
    timm_sd = {f"module.{k}": (nn.Parameter(v, requires_grad=False) if v.is_floating_point() else v) for k, v in sd.items()}
    timm_args = argparse.Namespace(model=args.arch, lr=0.1, epochs=3)
    torch.save({"epoch": 3, "arch": args.arch, "state_dict": timm_sd, "args": timm_args}, os.path.join(args.out, "model-timm.pth"))
    np.save(os.path.join(args.out, "input.npy"), x.numpy().astype(np.float32))
    np.save(os.path.join(args.out, "logits.npy"), logits.numpy().astype(np.float32))
    print(f"{args.arch}: wrote {args.out} (input {list(x.shape)}, logits {list(logits.shape)}, "
          f"|logits| max {logits.abs().max().item():.3f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
