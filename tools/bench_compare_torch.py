"""PyTorch side of `npm run bench:compare` (tools/bench-compare.ts drives it).

Builds the trainer's own models (training/ghostnet.py) and times eval-mode forward passes on
request, so the two frameworks' runs can be interleaved in one session:
one JSON request per stdin line, one JSON answer per stdout line.

    {"op": "info"}                                   -> {"torch", "mkldnn", "threads", "interop"}
    {"op": "time", "arch": A, "input": H, "threads": T, "runs": N}
                                                     -> {"ms": [N wall-clock], "cpuMs": [N process CPU]}
"""
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "training"))

import torch  # noqa: E402
from ghostnet import build_model  # noqa: E402

_models = {}


def calibrated(arch, size):
    """Random init with BatchNorm statistics from two random batches (as the tfjs bench does),
    so activations stay in range and no denormal arithmetic slows one side down."""
    key = (arch, size)
    if key not in _models:
        torch.manual_seed(1)
        model = build_model(arch)
        for m in model.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.momentum = None  # cumulative average over the calibration batches
        model.train()
        with torch.no_grad():
            for _ in range(2):
                model(torch.randn(2, 3, size, size))
        model.eval()
        _models[key] = model
    return _models[key]


def time_runs(arch, size, threads, runs):
    torch.set_num_threads(threads)
    model = calibrated(arch, size)
    x = torch.randn(1, 3, size, size)
    wall, cpu = [], []
    with torch.inference_mode():
        for _ in range(runs):
            c0, t0 = time.process_time(), time.perf_counter()
            model(x)
            wall.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
    return {"ms": wall, "cpuMs": cpu}


def main():
    for line in sys.stdin:
        req = json.loads(line)
        if req["op"] == "info":
            ans = {
                "torch": torch.__version__,
                "mkldnn": torch.backends.mkldnn.is_available(),
                "threads": torch.get_num_threads(),
                "interop": torch.get_num_interop_threads(),
            }
        elif req["op"] == "time":
            ans = time_runs(req["arch"], int(req["input"]), int(req["threads"]), int(req["runs"]))
        else:
            ans = {"error": f"unknown op {req['op']!r}"}
        sys.stdout.write(json.dumps(ans) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
