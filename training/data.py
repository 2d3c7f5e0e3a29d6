"""Fashion-MNIST from gzipped IDX files (Debian package dataset-fashion-mnist), plus batch augmentation.

    from data import load_fmnist, split_train_val, augment
    (xtr, ytr), (xte, yte) = load_fmnist()          # uint8 [N, 28, 28], int64 [N]
"""
import gzip
import os
import struct

import numpy as np
import torch

DEFAULT_DIR = "/usr/share/datasets/fashion-mnist"
CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", 60000),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", 10000),
}
VAL_SIZE = 5000
SPLIT_SEED = 20200614  # fixed: every model sees the same 55,000 / 5,000 split


class DataError(Exception):
    pass


def _open(data_dir, base):
    for name in (base + ".gz", base):
        path = os.path.join(data_dir, name)
        if os.path.exists(path):
            return path, (gzip.open(path, "rb") if name.endswith(".gz") else open(path, "rb"))
    raise DataError(
        f"Fashion-MNIST file {base}(.gz) not found in {data_dir}. "
        f"Install it with `sudo apt-get install dataset-fashion-mnist` (files go to {DEFAULT_DIR}), "
        f"or pass --data DIR pointing at a directory with the four IDX files.")


def read_idx(data_dir, base, expect_magic, expect_count):
    path, f = _open(data_dir, base)
    with f:
        raw = f.read()
    if len(raw) < 8:
        raise DataError(f"{path}: truncated IDX header")
    magic, count = struct.unpack(">II", raw[:8])
    if magic != expect_magic:
        raise DataError(f"{path}: bad IDX magic number {magic} (expected {expect_magic})")
    if count != expect_count:
        raise DataError(f"{path}: {count} items, expected {expect_count}")
    if magic == 2051:
        rows, cols = struct.unpack(">II", raw[8:16])
        if (rows, cols) != (28, 28):
            raise DataError(f"{path}: images are {rows}x{cols}, expected 28x28")
        data = np.frombuffer(raw, dtype=np.uint8, offset=16)
        if data.size != count * rows * cols:
            raise DataError(f"{path}: {data.size} pixel bytes, expected {count * rows * cols}")
        return data.reshape(count, rows, cols)
    data = np.frombuffer(raw, dtype=np.uint8, offset=8)
    if data.size != count:
        raise DataError(f"{path}: {data.size} labels, expected {count}")
    if data.max() > 9:
        raise DataError(f"{path}: label {data.max()} out of range 0..9")
    return data.astype(np.int64)


def load_split(split, data_dir=None):
    data_dir = data_dir or DEFAULT_DIR
    if not os.path.isdir(data_dir):
        raise DataError(
            f"Fashion-MNIST directory {data_dir} does not exist. "
            f"Install it with `sudo apt-get install dataset-fashion-mnist`, or pass --data DIR.")
    img, lab, n = FILES[split]
    return read_idx(data_dir, img, 2051, n), read_idx(data_dir, lab, 2049, n)


def load_fmnist(data_dir=None):
    return load_split("train", data_dir), load_split("test", data_dir)


def split_train_val(x, y, val_size=VAL_SIZE, seed=SPLIT_SEED):
    perm = np.random.RandomState(seed).permutation(len(x))
    tr, va = np.sort(perm[val_size:]), np.sort(perm[:val_size])
    return (x[tr], y[tr]), (x[va], y[va])


def to_tensor(x_uint8, mean, std):
    """uint8 [N,28,28] -> float32 [N,1,28,28], scaled to [0,1] then normalised."""
    x = torch.from_numpy(np.ascontiguousarray(x_uint8)).float().div_(255.0).unsqueeze(1)
    return (x - mean) / std


def augment(x, gen, bg, pad=2, flip=True):
    """Random crop from the image padded by `pad` px of background `bg` (the normalised black pixel)
    and horizontal flip, vectorised over the batch."""
    n, c, h, w = x.shape
    if pad > 0:
        xp = torch.full((n, c, h + 2 * pad, w + 2 * pad), bg, dtype=x.dtype)
        xp[:, :, pad:pad + h, pad:pad + w] = x
        oy = torch.randint(0, 2 * pad + 1, (n,), generator=gen)
        ox = torch.randint(0, 2 * pad + 1, (n,), generator=gen)
        rows = (oy[:, None] + torch.arange(h))[:, None, :, None]  # n,1,h,1
        cols = (ox[:, None] + torch.arange(w))[:, None, None, :]  # n,1,1,w
        nidx = torch.arange(n)[:, None, None, None]
        cidx = torch.arange(c)[None, :, None, None]
        x = xp[nidx, cidx, rows, cols]
    if flip:
        m = torch.rand(n, generator=gen) < 0.5
        x = torch.where(m[:, None, None, None], x.flip(3), x)
    return x
