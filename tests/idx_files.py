"""Small IDX files written by the tests themselves, in the layout MNIST ships (nothing downloads)."""
import gzip
import struct

import numpy as np

from nnterm.data.image_sets import file_name


def idx_bytes(array: np.ndarray) -> bytes:
    """An unsigned-byte IDX file: 00 00 08 rank, the sizes big-endian, the items row-major."""
    array = np.asarray(array, dtype=np.uint8)
    return bytes([0, 0, 8, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape) + array.tobytes()


def tiny_set(n_train: int = 40, n_test: int = 10, side: int = 28, seed: int = 0):
    """Images where class k is a bright bar in row band k, so a network can learn them."""
    rng = np.random.default_rng(seed)
    def make(n):
        labels = np.arange(n) % 10
        images = rng.integers(0, 30, size=(n, side, side))
        for i, k in enumerate(labels):
            band = slice(k * side // 10, (k + 1) * side // 10 or 1)
            images[i, band, :] = 255
        return images.astype(np.uint8), labels.astype(np.uint8)
    return make(n_train), make(n_test)


def write_set(folder, n_train=40, n_test=10, zipped=False, side=28, names=file_name):
    """The four files of a tiny set in `folder`; returns the arrays written."""
    folder.mkdir(parents=True, exist_ok=True)
    (train_x, train_y), (test_x, test_y) = tiny_set(n_train, n_test, side)
    for part, array in (("train-images", train_x), ("train-labels", train_y),
                        ("t10k-images", test_x), ("t10k-labels", test_y)):
        data = idx_bytes(array)
        name = names(part)
        if zipped:
            (folder / (name + ".gz")).write_bytes(gzip.compress(data))
        else:
            (folder / name).write_bytes(data)
    return train_x, train_y, test_x, test_y
