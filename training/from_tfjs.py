"""Load converted tfjs weights (public/weights/<id>/ or `ghostlab convert --out DIR`) back into PyTorch.

    /usr/bin/python3 training/from_tfjs.py --model DIR --input FILE_OR_DIR... [--json]
    /usr/bin/python3 training/from_tfjs.py --model DIR --eval [--data DIR] [--limit N] [--json]
    /usr/bin/python3 training/from_tfjs.py --model DIR --against model.pth [--json]

DIR/model.json is a tfjs weights manifest (`weightsManifest`: float32 entries, or float16 / affine
uint8 / uint16 quantized ones) with tfjs layouts -- conv [kh, kw, in, out], depthwise [kh, kw, in, mult],
linear [in, out] -- BatchNorm stored unfolded, and our `ghostlab` field (`arch`, `config`). The config
rebuilds the model with training/ghostnet.py's builder; the tensors become a state_dict with the
official names and PyTorch layouts, loaded strictly (num_batches_tracked, which the manifest does not
store and eval never reads, is the only key filled in: zero).

--input: PNG files (or directories of them, sorted as `ghostlab predict` sorts them) go through the
site's preprocessing (RGBA -> grey luma / RGB -> PIL-style bilinear resize + centre crop -> /255 ->
optional invert -> (v - mean) / std with the config's values); .npy files are NCHW float32 batches used
as is. --json prints {"files": [...], "logits": [[...], ...]} like `ghostlab predict --json`.

--eval: accuracy on the Fashion-MNIST test split (IDX files, default /usr/share/datasets/fashion-mnist
from the Debian package dataset-fashion-mnist), for comparison with `ghostlab eval`. --json prints
{"model", "accuracy", "correct", "total", "perClass": [{"index", "label", "correct", "total", "accuracy"}]}.

As a module:  from from_tfjs import load_tfjs;  model, meta = load_tfjs("public/weights/ghostnet-fmnist")
"""
import argparse
import json
import os
import struct
import sys
import zlib

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

DEFAULT_DATA = "/usr/share/datasets/fashion-mnist"
IMAGE_EXTS = (".png",)


class TfjsError(Exception):
    """Bad input: the CLI prints one line and exits 1."""


# ----------------------------------------------------------------------------- manifest

def _read_manifest(model_dir):
    path = model_dir if os.path.isfile(model_dir) else os.path.join(model_dir, "model.json")
    if not os.path.exists(path):
        raise TfjsError(f"no model.json in {model_dir}")
    try:
        with open(path) as f:
            mj = json.load(f)
    except json.JSONDecodeError as e:
        raise TfjsError(f"{path} is not valid JSON ({e})")
    groups = mj.get("weightsManifest") if isinstance(mj, dict) else None
    if not isinstance(groups, list) or not all(isinstance(g, dict) and isinstance(g.get("paths"), list)
                                              and isinstance(g.get("weights"), list) for g in groups):
        raise TfjsError(f"{path} has no valid weightsManifest")
    meta = mj.get("ghostlab")
    if not isinstance(meta, dict) or not isinstance(meta.get("arch"), str) or not isinstance(meta.get("config"), dict):
        raise TfjsError(f"{path} has no ghostlab field (arch and config); convert it with `ghostlab convert`")
    if meta.get("layout", "tfjs") != "tfjs":
        raise TfjsError(f"{path}: ghostlab.layout is {meta.get('layout')!r}; only 'tfjs' layouts are known")
    return path, mj


def read_tfjs_weights(model_dir):
    """-> (tensors {name: float32 ndarray in the stored (tfjs) shape}, model.json dict)."""
    path, mj = _read_manifest(model_dir)
    base = os.path.dirname(path)
    tensors = {}
    for gi, group in enumerate(mj["weightsManifest"]):
        parts = []
        for p in group["paths"]:
            if os.path.basename(p) != p or p in (".", ".."):
                raise TfjsError(f"{path} names a shard outside its directory: {p}")
            f = os.path.join(base, p)
            if not os.path.exists(f):
                raise TfjsError(f"weights shard {p} listed in {path} is missing")
            with open(f, "rb") as fh:
                parts.append(fh.read())
        buf = b"".join(parts)
        off = 0
        for e in group["weights"]:
            name, shape = e["name"], [int(v) for v in e["shape"]]
            n = int(np.prod(shape)) if shape else 1
            q = e.get("quantization")
            dtype = e.get("dtype", "float32")
            if q is None:
                np_dtype = {"float32": "<f4", "int32": "<i4"}.get(dtype)
                if np_dtype is None:
                    raise TfjsError(f"weight {name} has unsupported dtype {dtype}")
                nbytes = 4 * n
            else:
                qd = q.get("dtype")
                np_dtype = {"float16": "<f2", "uint8": "u1", "uint16": "<u2"}.get(qd)
                if np_dtype is None:
                    raise TfjsError(f"weight {name} has unsupported quantization {qd}")
                nbytes = np.dtype(np_dtype).itemsize * n
            if off + nbytes > len(buf):
                raise TfjsError(f"weight shards are too short: {name} needs bytes {off}..{off + nbytes} of {len(buf)}")
            raw = np.frombuffer(buf, dtype=np_dtype, count=n, offset=off)
            if q is not None and q["dtype"] in ("uint8", "uint16"):
                arr = (raw.astype(np.float64) * float(q["scale"]) + float(q["min"])).astype(np.float32)
            else:
                arr = raw.astype(np.float32) if dtype == "float32" else raw.copy()
            off += nbytes
            if name in tensors:
                raise TfjsError(f"weight {name} appears twice in {path}")
            tensors[name] = arr.reshape(shape)
        if off != len(buf):
            raise TfjsError(f"weights group {gi + 1}: shards have {len(buf) - off} bytes more than the manifest describes")
    return tensors, mj


def spec_from_config(config):
    """The ghostnet.py spec (see resolve_spec) of a model.json's resolved `ghostlab.config`."""
    keys = ("input", "numClasses", "stem", "stages", "finalChannels", "headChannels", "preprocess")
    missing = [k for k in keys + ("arch", "version") if k not in config]
    if missing:
        raise TfjsError(f"ghostlab.config lacks {', '.join(missing)}")
    layout = {k: config[k] for k in keys}
    layout["dropout"] = config.get("dropout", 0.0)
    return {
        "id": config["arch"],
        "layoutName": config.get("layout", "custom"),
        "layout": layout,
        "version": config["version"],
        "width": float(config.get("width", 1.0)),
        "ratio": int(config.get("ratio", 2)),
        "dwSize": int(config.get("dwSize", 3)),
        "plain": bool(config.get("plain", False)),
        "numClasses": int(config["numClasses"]),
    }


def tf_to_pt(module, name, arr):
    """One stored tensor in tfjs layout -> the PyTorch layout of `module`'s parameter/buffer `name`."""
    import torch.nn as nn
    leaf = name.rsplit(".", 1)[-1]
    if isinstance(module, nn.Conv2d) and leaf == "weight":
        if arr.ndim != 4:
            raise TfjsError(f"{name}: conv kernel stored with shape {list(arr.shape)} (expected 4-D)")
        if module.groups == 1:
            return np.ascontiguousarray(arr.transpose(3, 2, 0, 1))  # [kh,kw,in,out] -> [out,in,kh,kw]
        if module.groups != module.in_channels:
            raise TfjsError(f"{name}: grouped conv with {module.in_channels // module.groups} inputs per group is not a depthwise conv")
        kh, kw, cin, mult = arr.shape
        # depthwise [kh,kw,in,mult] -> [in,mult,kh,kw] -> [in*mult,1,kh,kw] (output channel c*mult+j reads input c)
        return np.ascontiguousarray(arr.transpose(2, 3, 0, 1)).reshape(cin * mult, 1, kh, kw)
    if isinstance(module, nn.Linear) and leaf == "weight":
        if arr.ndim != 2:
            raise TfjsError(f"{name}: linear weight stored with shape {list(arr.shape)} (expected 2-D)")
        return np.ascontiguousarray(arr.T)  # [in,out] -> [out,in]
    return arr


def load_tfjs(model_dir, threads=None):
    """-> (eval-mode ghostnet.GhostNet with the stored weights, model.json's ghostlab meta)."""
    import torch
    from ghostnet import GhostNet
    if threads:
        torch.set_num_threads(threads)
    tensors, mj = read_tfjs_weights(model_dir)
    meta = mj["ghostlab"]
    model = GhostNet(spec_from_config(meta["config"]))
    modules = dict(model.named_modules())
    expected = model.state_dict()
    sd, problems = {}, []
    for key, ref in expected.items():
        if key.endswith("num_batches_tracked"):
            # Not stored by the manifest (a training-time counter; eval-mode BN never reads it).
            sd[key] = torch.as_tensor(tensors[key]).to(ref.dtype).reshape(ref.shape) if key in tensors else torch.zeros_like(ref)
            continue
        if key not in tensors:
            problems.append(f"missing {key}")
            continue
        mod_name = key.rsplit(".", 1)[0]
        arr = tf_to_pt(modules.get(mod_name), key, tensors[key])
        if tuple(arr.shape) != tuple(ref.shape):
            problems.append(f"{key} has shape {list(arr.shape)} (PyTorch layout) instead of {list(ref.shape)}")
            continue
        sd[key] = torch.from_numpy(np.array(arr, dtype=np.float32))
    for key in tensors:
        if key not in expected:
            problems.append(f"unexpected {key}")
    if problems:
        shown = "; ".join(problems[:6]) + (f"; and {len(problems) - 6} more" if len(problems) > 6 else "")
        raise TfjsError(f"weights in {model_dir} do not fit {meta['arch']}: {shown}")
    model.load_state_dict(sd, strict=True)
    model.eval()
    return model, meta


# ----------------------------------------------------------------------------- images

def decode_png(data, label="PNG"):
    """A small PNG decoder (zlib only): 8/16-bit grey, grey+alpha, RGB, RGBA and 8-bit-or-less palette or grey,
    non-interlaced. -> uint8 RGBA array [H, W, 4] (what pngjs hands the site)."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise TfjsError(f"{label} is not a PNG image")
    pos, idat, ihdr, plte, trns = 8, [], None, None, None
    while pos + 8 <= len(data):
        length, ctype = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if len(body) != length:
            raise TfjsError(f"{label}: truncated {ctype.decode('latin-1')} chunk")
        pos += 12 + length
        if ctype == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif ctype == b"PLTE":
            plte = np.frombuffer(body, dtype=np.uint8).reshape(-1, 3)
        elif ctype == b"tRNS":
            trns = body
        elif ctype == b"IDAT":
            idat.append(body)
        elif ctype == b"IEND":
            break
    if ihdr is None or not idat:
        raise TfjsError(f"{label}: no IHDR or IDAT chunk")
    w, h, depth, ctype, _, _, interlace = ihdr
    if interlace:
        raise TfjsError(f"{label}: interlaced PNGs are not supported")
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}.get(ctype)
    if channels is None or depth not in (1, 2, 4, 8, 16) or (depth < 8 and ctype not in (0, 3)) or (depth == 16 and ctype == 3):
        raise TfjsError(f"{label}: unsupported PNG colour type {ctype} / bit depth {depth}")
    try:
        raw = zlib.decompress(b"".join(idat))
    except zlib.error as e:
        raise TfjsError(f"{label}: bad zlib data ({e})")
    bits_pp = channels * depth
    bpp = max(1, bits_pp // 8)  # filter unit in bytes
    stride = (w * bits_pp + 7) // 8
    if len(raw) < h * (stride + 1):
        raise TfjsError(f"{label}: image data too short")
    out = np.zeros((h, stride), dtype=np.uint8)
    prev = np.zeros(stride, dtype=np.int32)
    for y in range(h):
        ft = raw[y * (stride + 1)]
        line = np.frombuffer(raw, dtype=np.uint8, count=stride, offset=y * (stride + 1) + 1).astype(np.int32)
        if ft == 0:
            cur = line
        elif ft == 2:
            cur = (line + prev) & 0xFF
        elif ft in (1, 3, 4):
            cur = line.copy()
            for i in range(stride):
                a = cur[i - bpp] if i >= bpp else 0
                b = prev[i]
                if ft == 1:
                    p = a
                elif ft == 3:
                    p = (a + b) >> 1
                else:
                    c = prev[i - bpp] if i >= bpp else 0
                    pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                    p = a if (pa <= pb and pa <= pc) else (b if pb <= pc else c)
                cur[i] = (cur[i] + p) & 0xFF
        else:
            raise TfjsError(f"{label}: bad PNG filter type {ft} in row {y}")
        out[y] = cur
        prev = cur
    # samples
    if depth == 16:
        samp = out.view(">u2").reshape(h, w, channels)
        samp8 = np.floor(samp.astype(np.float64) * 255 / 65535 + 0.5).astype(np.uint8)  # pngjs' rescale
    elif depth == 8:
        samp8 = out.reshape(h, w * channels)[:, :w * channels].reshape(h, w, channels)
    else:
        bits = np.unpackbits(out, axis=1)[:, :w * depth].reshape(h, w, depth)
        vals = np.zeros((h, w), dtype=np.int32)
        for k in range(depth):
            vals = (vals << 1) | bits[:, :, k]
        samp8 = (vals if ctype == 3 else vals * (255 // ((1 << depth) - 1))).astype(np.uint8)[:, :, None]
    rgba = np.full((h, w, 4), 255, dtype=np.uint8)
    if ctype == 0:
        rgba[..., :3] = samp8[..., :1]
        if trns is not None and len(trns) >= 2:
            key = struct.unpack(">H", trns[:2])[0]
            ref = samp[..., 0] if depth == 16 else (samp8[..., 0] if depth == 8 else vals)
            rgba[..., 3] = np.where(ref == key, 0, 255)
    elif ctype == 2:
        rgba[..., :3] = samp8
    elif ctype == 3:
        if plte is None:
            raise TfjsError(f"{label}: palette image without PLTE")
        idx = samp8[..., 0]
        rgba[..., :3] = plte[idx]
        if trns is not None:
            alpha = np.full(256, 255, dtype=np.uint8)
            alpha[:len(trns)] = np.frombuffer(trns, dtype=np.uint8)
            rgba[..., 3] = alpha[idx]
    elif ctype == 4:
        rgba[..., :3] = samp8[..., :1]
        rgba[..., 3] = samp8[..., 1]
    else:
        rgba[...] = samp8
    return rgba


def _axis_weights(in_size, out_size):
    """PIL-style bilinear (triangle filter widened when shrinking), as src/model/preprocess.ts."""
    scale = in_size / out_size
    fs = max(scale, 1.0)
    rows = []
    for x in range(out_size):
        center = (x + 0.5) * scale
        lo = max(int(center - fs + 0.5), 0)
        hi = min(int(center + fs + 0.5), in_size)
        w = np.array([max(0.0, 1 - abs((i - center + 0.5) / fs)) for i in range(lo, hi)])
        if w.sum() > 0:
            w = w / w.sum()
        rows.append((lo, w))
    m = np.zeros((out_size, in_size))
    for x, (lo, w) in enumerate(rows):
        m[x, lo:lo + len(w)] = w
    return m


def _round_half_even(v):
    return int(round(v))  # Python's round() is half-to-even, as preprocess.ts' roundHalfEven


def preprocess_rgba(rgba, config):
    """uint8 RGBA [h, w, 4] -> float32 CHW model input, the site's preprocessing (preprocess.ts)."""
    pp = config["preprocess"]
    H, W, C = config["input"]
    a = rgba[..., 3:4].astype(np.float64) / 255
    rgb = rgba[..., :3].astype(np.float64) * a  # composited onto black (the site's default background)
    if C == 1 or pp.get("grayscale"):
        if C != 1:
            raise TfjsError(f"the model takes {C} channels but its preprocessing makes 1")
        px = (0.299 * rgb[..., 0] + 0.587 * rgb[..., 1] + 0.114 * rgb[..., 2])[..., None]
    else:
        px = rgb
    px = px.astype(np.float32).astype(np.float64)  # the site keeps 0-255 pixels in a Float32Array
    h, w = px.shape[:2]
    shorter = _js_round(pp["resize"] * min(H, W) / pp["crop"])
    rw, rh = (shorter, int(shorter * h / w)) if w <= h else (int(shorter * w / h), shorter)
    fw, fh = max(rw, W), max(rh, H)
    if (fw, fh) != (w, h):
        mx, my = _axis_weights(w, fw), _axis_weights(h, fh)
        tmp = np.einsum("xi,yic->yxc", mx, px).astype(np.float32).astype(np.float64)
        px = np.einsum("yj,jxc->yxc", my, tmp).astype(np.float32).astype(np.float64)
    top, left = _round_half_even((fh - H) / 2), _round_half_even((fw - W) / 2)
    px = px[top:top + H, left:left + W] / 255
    if pp.get("invert"):
        px = 1 - px
    mean = np.array([pp["mean"][c % len(pp["mean"])] for c in range(C)])
    std = np.array([pp["std"][c % len(pp["std"])] for c in range(C)])
    return ((px - mean) / std).astype(np.float32).transpose(2, 0, 1)


def _js_round(v):
    """JavaScript's Math.round (halves up)."""
    import math
    return int(math.floor(v + 0.5))


def expand_inputs(paths):
    out = []
    for p in paths:
        if not os.path.exists(p):
            raise TfjsError(f"input {p} does not exist")
        if os.path.isdir(p):
            files = sorted(f for f in os.listdir(p) if os.path.splitext(f)[1].lower() in IMAGE_EXTS + (".npy",))
            if not files:
                raise TfjsError(f"directory {p} has no .png or .npy files")
            out += [os.path.join(p, f) for f in files]
        else:
            out.append(p)
    return out


def predict(model, config, files, batch=100):
    """-> (file labels, logits ndarray [N, K]) for PNG / .npy inputs."""
    import torch
    C = config["input"][2]
    names, xs = [], []
    for f in files:
        if f.lower().endswith(".npy"):
            arr = np.load(f).astype(np.float32)
            batched = arr.ndim == 4
            if arr.ndim == 3:
                arr = arr[None]
            if arr.ndim != 4 or arr.shape[1] != C:
                raise TfjsError(f"{f} has shape {arr.shape}; expected NCHW (N, {C}, H, W) or ({C}, H, W)")
            names += [f"{f}[{i}]" for i in range(len(arr))] if (batched and len(arr) > 1) else [f]
            xs += list(arr)
        else:
            with open(f, "rb") as fh:
                names.append(f)
                xs.append(preprocess_rgba(decode_png(fh.read(), f), config))
    logits = []
    with torch.no_grad():
        for i in range(0, len(xs), batch):
            chunk = xs[i:i + batch]
            if len({x.shape for x in chunk}) == 1:
                logits.append(model(torch.from_numpy(np.stack(chunk))).numpy())
            else:
                logits += [model(torch.from_numpy(x[None])).numpy() for x in chunk]
    return names, np.concatenate(logits) if logits else np.zeros((0, config["numClasses"]), np.float32)


# ----------------------------------------------------------------------------- eval

def evaluate(model, config, data_dir=None, limit=None, batch=500):
    import torch
    import data as D
    H, W, C = config["input"]
    if C != 1:
        raise TfjsError(f"{config['arch']} takes {C}-channel input; Fashion-MNIST is greyscale")
    try:
        x, y = D.load_split("test", data_dir or DEFAULT_DATA)
    except D.DataError as e:
        raise TfjsError(str(e))
    n = min(len(x), limit or len(x))
    x, y = x[:n], y[:n]
    pp = config["preprocess"]
    K = config["numClasses"]
    correct_per, total_per, correct = [0] * K, [0] * K, 0
    with torch.no_grad():
        for i in range(0, n, batch):
            xb = np.stack([preprocess_grey(img, config) for img in x[i:i + batch]])
            pred = model(torch.from_numpy(xb)).argmax(1).numpy()
            for p, t in zip(pred, y[i:i + batch]):
                total_per[t] += 1
                if p == t:
                    correct += 1
                    correct_per[t] += 1
    labels = config.get("labels") or [f"class {k}" for k in range(K)]
    per_class = [{"index": k, "label": labels[k], "correct": correct_per[k], "total": total_per[k],
                  "accuracy": correct_per[k] / total_per[k] if total_per[k] else None} for k in range(K)]
    return {"model": config["arch"], "accuracy": correct / n, "correct": correct, "total": n, "perClass": per_class}


def preprocess_grey(img_u8, config):
    """Grey bytes [h, w] (an IDX image) -> CHW input, as preprocessGray in preprocess.ts."""
    h, w = img_u8.shape
    rgba = np.empty((h, w, 4), dtype=np.uint8)
    rgba[..., :3] = img_u8[..., None]
    rgba[..., 3] = 255
    # luma of r = g = b = v is v (to float32 rounding), so this is the same path as a grey PNG
    return preprocess_rgba(rgba, config)


# ----------------------------------------------------------------------------- round trip

def compare_state_dict(model, pth):
    """The loaded weights against a PyTorch checkpoint (state_dict, or {'model': state_dict}):
    -> {"file", "keys", "maxAbsDiff", "maxAbsDiffKey", "maxRelDiff", "missing", "unexpected", "misshaped"};
    num_batches_tracked is left out (the manifest does not store it)."""
    import torch
    try:
        ck = torch.load(pth, map_location="cpu")
    except Exception as e:  # noqa: BLE001 - any unreadable file is bad input here
        raise TfjsError(f"cannot read checkpoint {pth} ({e})")
    if isinstance(ck, dict) and isinstance(ck.get("model"), dict):
        ck = ck["model"]
    if not isinstance(ck, dict):
        raise TfjsError(f"{pth} holds no state_dict")
    skip = lambda k: k.endswith("num_batches_tracked")  # noqa: E731
    ours = {k: v for k, v in model.state_dict().items() if not skip(k)}
    theirs = {k: v for k, v in ck.items() if not skip(k)}
    worst, worst_key, worst_rel, misshaped = 0.0, None, 0.0, []
    for k in sorted(ours.keys() & theirs.keys()):
        a, b = ours[k].double(), theirs[k].double()
        if a.shape != b.shape:
            misshaped.append(k)
            continue
        if not a.numel():
            continue
        diff = (a - b).abs()
        d = diff.max().item()
        # relative to |b|, floored at float16's smallest normal 2^-14 (so float16 storage gives <= 2^-11)
        worst_rel = max(worst_rel, (diff / b.abs().clamp(min=2.0 ** -14)).max().item())
        if d > worst or worst_key is None:
            worst, worst_key = d, k
    return {"file": pth, "keys": len(ours.keys() & theirs.keys()), "maxAbsDiff": worst, "maxAbsDiffKey": worst_key,
            "maxRelDiff": worst_rel,
            "missing": sorted(theirs.keys() - ours.keys()), "unexpected": sorted(ours.keys() - theirs.keys()),
            "misshaped": sorted(misshaped)}


# ----------------------------------------------------------------------------- CLI

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--model", required=True, help="directory with model.json (+ shards)")
    ap.add_argument("--input", nargs="+", default=[], help="PNG / .npy files or directories")
    ap.add_argument("--eval", action="store_true", help="accuracy on the Fashion-MNIST test split")
    ap.add_argument("--data", default=None, help=f"Fashion-MNIST IDX directory (default {DEFAULT_DATA})")
    ap.add_argument("--limit", type=int, default=None, help="--eval: the first N test images only")
    ap.add_argument("--against", metavar="PTH", help="compare the loaded tensors with this PyTorch checkpoint")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--threads", type=int, default=1, help="torch threads (default 1)")
    args = ap.parse_args(argv)
    if not args.input and not args.eval and not args.against:
        ap.error("give --input FILE..., --eval and/or --against PTH")
    if args.limit is not None and args.limit < 1:
        ap.error("--limit must be >= 1")
    try:
        import torch  # noqa: F401
    except ImportError:
        print("from_tfjs.py: this python has no torch (use Debian's /usr/bin/python3 with python3-torch)", file=sys.stderr)
        return 1
    try:
        model, meta = load_tfjs(args.model, threads=args.threads)
        config = meta["config"]
        result = {"model": meta["arch"]}
        if args.against:
            result["against"] = cmp = compare_state_dict(model, args.against)
            if not args.json:
                print(f"{meta['arch']} vs {args.against}: {cmp['keys']} tensors, max |diff| {cmp['maxAbsDiff']:.3g} "
                      f"({cmp['maxAbsDiffKey']}); missing {len(cmp['missing'])}, unexpected {len(cmp['unexpected'])}, "
                      f"misshaped {len(cmp['misshaped'])}")
        if args.input:
            names, logits = predict(model, config, expand_inputs(args.input))
            result["files"] = names
            result["logits"] = logits.astype(float).tolist()
            if not args.json:
                labels = config.get("labels") or []
                for f, row in zip(names, logits):
                    k = int(row.argmax())
                    print(f"{f}: {labels[k] if k < len(labels) else k} (#{k})")
        if args.eval:
            ev = evaluate(model, config, args.data, args.limit)
            result.update(ev)
            if not args.json:
                print(f"{meta['arch']}: accuracy {100 * ev['accuracy']:.2f}% ({ev['correct']}/{ev['total']}) [PyTorch]")
        if args.json:
            print(json.dumps(result))
    except TfjsError as e:
        print(f"from_tfjs.py: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
