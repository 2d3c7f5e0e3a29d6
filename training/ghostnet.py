"""GhostNet V1 / GhostNetV2 / plain twin in PyTorch, built from src/model/configs/architectures.json.

Module tree and parameter names follow the official code (huawei-noah/Efficient-AI-Backbones,
ghostnet_pytorch/ghostnet.py and ghostnetv2_pytorch/model/ghostnetv2_torch.py), so that
`state_dict()` keys are the official ones. One builder loop serves every model id.

    from ghostnet import build_model, count_params, count_macs
    model = build_model("ghostnet-fmnist")

Self-check:  /usr/bin/python3 training/ghostnet.py --check
Summary:     /usr/bin/python3 training/ghostnet.py --summary [MODEL_ID ...]
"""
import json
import math
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CONFIG_PATH = os.path.join(ROOT, "src", "model", "configs", "architectures.json")


def _make_divisible(v, divisor, min_value=None):
    """Exactly the official helper (GhostNet always calls it with divisor=4)."""
    if min_value is None:
        min_value = divisor
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    # Make sure that round down does not go down by more than 10%.
    if new_v < 0.9 * v:
        new_v += divisor
    return new_v


def hard_sigmoid(x, inplace: bool = False):
    if inplace:
        return x.add_(3.0).clamp_(0.0, 6.0).div_(6.0)
    return F.relu6(x + 3.0) / 6.0


class SqueezeExcite(nn.Module):
    def __init__(self, in_chs, se_ratio=0.25, divisor=4):
        super().__init__()
        reduced_chs = _make_divisible(in_chs * se_ratio, divisor)
        self.avg_pool = nn.AdaptiveAvgPool2d(1)
        self.conv_reduce = nn.Conv2d(in_chs, reduced_chs, 1, bias=True)
        self.act1 = nn.ReLU(inplace=True)
        self.conv_expand = nn.Conv2d(reduced_chs, in_chs, 1, bias=True)

    def forward(self, x):
        x_se = self.avg_pool(x)
        x_se = self.conv_reduce(x_se)
        x_se = self.act1(x_se)
        x_se = self.conv_expand(x_se)
        return x * hard_sigmoid(x_se)


class ConvBnAct(nn.Module):
    def __init__(self, in_chs, out_chs, kernel_size, stride=1):
        super().__init__()
        self.conv = nn.Conv2d(in_chs, out_chs, kernel_size, stride, kernel_size // 2, bias=False)
        self.bn1 = nn.BatchNorm2d(out_chs)
        self.act1 = nn.ReLU(inplace=True)

    def forward(self, x):
        return self.act1(self.bn1(self.conv(x)))


class GhostModule(nn.Module):
    """Ghost module. mode: 'original' (V1 / V2 'original'), 'attn' (V2 with DFC attention),
    'plain' (one ordinary conv: a Ghost module with init=oup and no cheap operation)."""

    def __init__(self, inp, oup, kernel_size=1, ratio=2, dw_size=3, stride=1, relu=True, mode="original"):
        super().__init__()
        self.oup = oup
        self.mode = mode
        if mode == "plain":
            init_channels, new_channels = oup, 0
        else:
            init_channels = math.ceil(oup / ratio)
            new_channels = init_channels * (ratio - 1)
        self.primary_conv = nn.Sequential(
            nn.Conv2d(inp, init_channels, kernel_size, stride, kernel_size // 2, bias=False),
            nn.BatchNorm2d(init_channels),
            nn.ReLU(inplace=True) if relu else nn.Sequential(),
        )
        if mode != "plain":
            self.cheap_operation = nn.Sequential(
                nn.Conv2d(init_channels, new_channels, dw_size, 1, dw_size // 2, groups=init_channels, bias=False),
                nn.BatchNorm2d(new_channels),
                nn.ReLU(inplace=True) if relu else nn.Sequential(),
            )
        if mode == "attn":
            self.gate_fn = nn.Sigmoid()
            self.short_conv = nn.Sequential(
                nn.Conv2d(inp, oup, kernel_size, stride, kernel_size // 2, bias=False),
                nn.BatchNorm2d(oup),
                nn.Conv2d(oup, oup, kernel_size=(1, 5), stride=1, padding=(0, 2), groups=oup, bias=False),
                nn.BatchNorm2d(oup),
                nn.Conv2d(oup, oup, kernel_size=(5, 1), stride=1, padding=(2, 0), groups=oup, bias=False),
                nn.BatchNorm2d(oup),
            )

    def forward(self, x):
        if self.mode == "plain":
            return self.primary_conv(x)
        if self.mode == "attn":
            res = self.short_conv(F.avg_pool2d(x, kernel_size=2, stride=2))
        x1 = self.primary_conv(x)
        x2 = self.cheap_operation(x1)
        out = torch.cat([x1, x2], dim=1)[:, : self.oup, :, :]
        if self.mode == "attn":
            out = out * F.interpolate(self.gate_fn(res), size=(out.shape[-2], out.shape[-1]), mode="nearest")
        return out


class GhostBottleneck(nn.Module):
    def __init__(self, in_chs, mid_chs, out_chs, dw_kernel_size=3, stride=1, se_ratio=0.0,
                 ratio=2, dw_size=3, mode1="original", mode2="original"):
        super().__init__()
        has_se = se_ratio is not None and se_ratio > 0.0
        self.stride = stride
        self.ghost1 = GhostModule(in_chs, mid_chs, ratio=ratio, dw_size=dw_size, relu=True, mode=mode1)
        if stride > 1:
            self.conv_dw = nn.Conv2d(mid_chs, mid_chs, dw_kernel_size, stride=stride,
                                     padding=(dw_kernel_size - 1) // 2, groups=mid_chs, bias=False)
            self.bn_dw = nn.BatchNorm2d(mid_chs)
        self.se = SqueezeExcite(mid_chs, se_ratio=se_ratio) if has_se else None
        self.ghost2 = GhostModule(mid_chs, out_chs, ratio=ratio, dw_size=dw_size, relu=False, mode=mode2)
        if in_chs == out_chs and stride == 1:
            self.shortcut = nn.Sequential()
        else:
            self.shortcut = nn.Sequential(
                nn.Conv2d(in_chs, in_chs, dw_kernel_size, stride=stride,
                          padding=(dw_kernel_size - 1) // 2, groups=in_chs, bias=False),
                nn.BatchNorm2d(in_chs),
                nn.Conv2d(in_chs, out_chs, 1, stride=1, padding=0, bias=False),
                nn.BatchNorm2d(out_chs),
            )

    def forward(self, x):
        residual = x
        x = self.ghost1(x)
        if self.stride > 1:
            x = self.bn_dw(self.conv_dw(x))
        if self.se is not None:
            x = self.se(x)
        x = self.ghost2(x)
        return x + self.shortcut(residual)


class GhostNet(nn.Module):
    """One class for V1, V2 and the plain twin; `spec` is the resolved model spec (see resolve_spec)."""

    def __init__(self, spec):
        super().__init__()
        self.spec = spec
        layout = spec["layout"]
        width = spec["width"]
        version = spec["version"]
        plain = spec["plain"]
        ratio, dw_size = spec["ratio"], spec["dwSize"]
        self.dropout = layout.get("dropout", 0.2)
        in_ch = layout["input"][2]
        stem = layout["stem"]

        output_channel = _make_divisible(stem["channels"] * width, 4)
        self.conv_stem = nn.Conv2d(in_ch, output_channel, stem["kernel"], stem["stride"], stem["kernel"] // 2, bias=False)
        self.bn1 = nn.BatchNorm2d(output_channel)
        self.act1 = nn.ReLU(inplace=True)
        input_channel = output_channel

        stages = []
        layer_id = 0
        for cfg in layout["stages"]:
            layers = []
            for k, exp_size, c, se_ratio, s in cfg:
                output_channel = _make_divisible(c * width, 4)
                hidden_channel = _make_divisible(exp_size * width, 4)
                if plain:
                    mode1 = mode2 = "plain"
                else:
                    mode1 = "attn" if (version == "v2" and layer_id > 1) else "original"
                    mode2 = "original"
                layers.append(GhostBottleneck(input_channel, hidden_channel, output_channel, k, s,
                                              se_ratio=se_ratio, ratio=ratio, dw_size=dw_size,
                                              mode1=mode1, mode2=mode2))
                input_channel = output_channel
                layer_id += 1
            stages.append(nn.Sequential(*layers))
        output_channel = _make_divisible(layout["finalChannels"] * width, 4)
        stages.append(nn.Sequential(ConvBnAct(input_channel, output_channel, 1)))
        input_channel = output_channel
        self.blocks = nn.Sequential(*stages)

        output_channel = layout["headChannels"]  # not scaled by width (official)
        self.global_pool = nn.AdaptiveAvgPool2d((1, 1))
        self.conv_head = nn.Conv2d(input_channel, output_channel, 1, 1, 0, bias=True)
        self.act2 = nn.ReLU(inplace=True)
        self.classifier = nn.Linear(output_channel, spec["numClasses"])

    def forward_features(self, x):
        x = self.act1(self.bn1(self.conv_stem(x)))
        return self.blocks(x)

    def forward(self, x):
        x = self.forward_features(x)
        x = self.global_pool(x)
        x = self.act2(self.conv_head(x))
        x = x.flatten(1)
        if self.dropout > 0.0:
            x = F.dropout(x, p=self.dropout, training=self.training)
        return self.classifier(x)


# ----------------------------------------------------------------------------- config

def load_config(path=CONFIG_PATH):
    with open(path) as f:
        return json.load(f)


def model_ids(config=None):
    return list((config or load_config())["models"].keys())


def resolve_spec(model_id, config=None, num_classes=None):
    config = config or load_config()
    if model_id not in config["models"]:
        raise KeyError(f"unknown model id {model_id!r}; known: {', '.join(config['models'])}")
    m = config["models"][model_id]
    layout = config["layouts"][m["layout"]]
    return {
        "id": model_id,
        "layoutName": m["layout"],
        "layout": layout,
        "version": m.get("version", "v1"),
        "width": float(m.get("width", 1.0)),
        "ratio": int(m.get("ratio", 2)),
        "dwSize": int(m.get("dwSize", 3)),
        "plain": bool(m.get("plain", False)),
        "numClasses": int(num_classes if num_classes is not None else layout["numClasses"]),
    }


def build_model(model_id, num_classes=None, config=None):
    return GhostNet(resolve_spec(model_id, config, num_classes))


def input_shape(model, size=None):
    """NCHW shape (without N) of the model's input; `size` overrides H = W."""
    h, w, c = model.spec["layout"]["input"]
    if size:
        h = w = int(size)
    return (c, h, w)


# ----------------------------------------------------------------------------- costs

def count_params(model):
    return sum(p.numel() for p in model.parameters())


def count_state_floats(model):
    """Every float in the state_dict (params + BN running stats), i.e. what fp32 weights store."""
    return sum(t.numel() for t in model.state_dict().values() if t.is_floating_point())


def count_macs(model, shape=None, per_layer=False):
    """Conv + linear multiply-accumulates for one image, counted with forward hooks."""
    shape = shape or input_shape(model)
    rows = []

    def hook(name):
        def fn(mod, inp, out):
            if isinstance(mod, nn.Conv2d):
                kh, kw = mod.kernel_size
                macs = out[0].numel() * (mod.in_channels // mod.groups) * kh * kw
            else:
                macs = out[0].numel() * mod.in_features
            rows.append((name, macs))
        return fn

    handles = [m.register_forward_hook(hook(n)) for n, m in model.named_modules()
               if isinstance(m, (nn.Conv2d, nn.Linear))]
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            model(torch.zeros((1,) + tuple(shape)))
    finally:
        for h in handles:
            h.remove()
        model.train(was_training)
    total = sum(m for _, m in rows)
    return (total, rows) if per_layer else total


# ----------------------------------------------------------------------------- self-check

def _expected_official_keys(version):
    """Independent re-statement of the official ImageNet 1.0x key list (pattern from the official code)."""
    cfgs = load_config()["layouts"]["imagenet"]["stages"]
    bn = lambda p: [f"{p}.weight", f"{p}.bias", f"{p}.running_mean", f"{p}.running_var", f"{p}.num_batches_tracked"]
    keys = ["conv_stem.weight"] + bn("bn1")
    inp, lid = 16, 0
    for i, stage in enumerate(cfgs):
        for j, (k, exp, out, se, s) in enumerate(stage):
            p = f"blocks.{i}.{j}"
            g1 = [f"{p}.ghost1.primary_conv.0.weight"] + bn(f"{p}.ghost1.primary_conv.1") + \
                 [f"{p}.ghost1.cheap_operation.0.weight"] + bn(f"{p}.ghost1.cheap_operation.1")
            if version == "v2" and lid > 1:
                g1 += [f"{p}.ghost1.short_conv.0.weight"] + bn(f"{p}.ghost1.short_conv.1") + \
                      [f"{p}.ghost1.short_conv.2.weight"] + bn(f"{p}.ghost1.short_conv.3") + \
                      [f"{p}.ghost1.short_conv.4.weight"] + bn(f"{p}.ghost1.short_conv.5")
            keys += g1
            if s > 1:
                keys += [f"{p}.conv_dw.weight"] + bn(f"{p}.bn_dw")
            if se > 0:
                keys += [f"{p}.se.conv_reduce.weight", f"{p}.se.conv_reduce.bias",
                         f"{p}.se.conv_expand.weight", f"{p}.se.conv_expand.bias"]
            keys += [f"{p}.ghost2.primary_conv.0.weight"] + bn(f"{p}.ghost2.primary_conv.1") + \
                    [f"{p}.ghost2.cheap_operation.0.weight"] + bn(f"{p}.ghost2.cheap_operation.1")
            if not (inp == out and s == 1):
                keys += [f"{p}.shortcut.0.weight"] + bn(f"{p}.shortcut.1") + \
                        [f"{p}.shortcut.2.weight"] + bn(f"{p}.shortcut.3")
            inp, lid = out, lid + 1
    keys += ["blocks.9.0.conv.weight"] + bn("blocks.9.0.bn1")
    keys += ["conv_head.weight", "conv_head.bias", "classifier.weight", "classifier.bias"]
    return keys


def self_check(verbose=True):
    torch.set_num_threads(2)
    expect = {
        "ghostnet_100": dict(keys=512, params=5_182_508, macs=141_150_512),
        "ghostnetv2_100": dict(keys=764, params=6_156_908, macs=167_048_288),
    }
    for mid, e in expect.items():
        m = build_model(mid)
        sd = m.state_dict()
        version = "v2" if "v2" in mid else "v1"
        assert list(sd.keys()) == _expected_official_keys(version), f"{mid}: key list differs from official"
        assert len(sd) == e["keys"], (mid, len(sd))
        assert count_params(m) == e["params"], (mid, count_params(m))
        macs = count_macs(m)
        assert macs == e["macs"], (mid, macs)
        assert tuple(sd["blocks.0.0.ghost1.primary_conv.0.weight"].shape) == (8, 16, 1, 1)
        assert tuple(sd["blocks.0.0.ghost1.cheap_operation.0.weight"].shape) == (8, 1, 3, 3)
        assert tuple(sd["blocks.9.0.conv.weight"].shape) == (960, 160, 1, 1)
        assert tuple(sd["conv_head.weight"].shape) == (1280, 960, 1, 1)
        if verbose:
            print(f"ok {mid}: {len(sd)} keys, {count_params(m):,} params, {macs:,} MACs")
    other = {"ghostnet_050": 2_587_292, "ghostnet_130": 7_358_820, "ghostnetv2_130": 8_960_404,
             "ghostnetv2_160": 12_392_698}
    for mid, p in other.items():
        n = count_params(build_model(mid))
        assert n == p, (mid, n)
        if verbose:
            print(f"ok {mid}: {n:,} params")
    # every configured model builds and runs
    for mid in model_ids():
        m = build_model(mid).eval()
        if m.spec["layoutName"] == "imagenet":
            continue
        with torch.no_grad():
            y = m(torch.randn((2,) + input_shape(m)))
        assert y.shape == (2, m.spec["numClasses"])
    # plain twin keys are a subset pattern: no cheap_operation / short_conv
    sd = build_model("plainnet-fmnist").state_dict()
    assert not any("cheap_operation" in k or "short_conv" in k for k in sd)
    if verbose:
        print("self-check passed")


def summary(ids=None):
    ids = ids or [i for i in model_ids() if "fmnist" in i]
    total_floats = 0
    print(f"{'model':26s} {'params':>9s} {'floats':>9s} {'MACs':>12s}")
    for mid in ids:
        m = build_model(mid)
        fl = count_state_floats(m)
        if mid in ("ghostnet-fmnist", "ghostnetv2-fmnist", "plainnet-fmnist"):
            total_floats += fl
        print(f"{mid:26s} {count_params(m):9,d} {fl:9,d} {count_macs(m):12,d}")
    print(f"three main models: {total_floats:,} floats = {total_floats * 4 / 1e6:.3f} MB fp32")


if __name__ == "__main__":
    if "--check" in sys.argv:
        self_check()
    elif "--summary" in sys.argv:
        summary([a for a in sys.argv[1:] if not a.startswith("--")] or None)
    else:
        print(__doc__)
