"""Write the gallery sample set: 30 test images per class as 28x28 greyscale PNGs + index.json.

    /usr/bin/python3 training/make_samples.py [--data DIR] [--out public/samples] [--per-class 30]

Choice is deterministic: the first N images of each class in test-set order. index.json:
{"classes": [10 names], "samples": [{"file", "label" (class index), "index" (test-set index)}, ...]}.
PNGs are written with zlib directly (no imaging library).
"""
import argparse
import json
import os
import struct
import sys
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import data as D  # noqa: E402


def png_gray(pixels):
    """pixels: uint8 array [H, W] -> PNG bytes (8-bit greyscale, no filter)."""
    h, w = pixels.shape
    raw = b"".join(b"\x00" + pixels[r].tobytes() for r in range(h))

    def chunk(tag, body):
        return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=None)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(HERE), "public", "samples"))
    ap.add_argument("--per-class", type=int, default=30)
    args = ap.parse_args()
    try:
        x, y = D.load_split("test", args.data)
    except D.DataError as e:
        print(f"make_samples.py: {e}", file=sys.stderr)
        return 1
    os.makedirs(args.out, exist_ok=True)
    chosen = sorted(i for c in range(10) for i in [j for j in range(len(y)) if y[j] == c][:args.per_class])
    samples = []
    for i in chosen:
        name = f"test-{i:05d}.png"
        with open(os.path.join(args.out, name), "wb") as f:
            f.write(png_gray(x[i]))
        samples.append({"file": name, "label": int(y[i]), "index": int(i)})
    with open(os.path.join(args.out, "index.json"), "w") as f:
        json.dump({"classes": D.CLASSES, "source": "Fashion-MNIST test split (t10k), first %d per class" % args.per_class,
                   "samples": samples}, f, indent=1)
    print(f"wrote {len(samples)} PNGs + index.json to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
