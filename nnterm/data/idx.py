"""IDX files, the format MNIST and Fashion-MNIST ship in (docs/design.md, "Data"): untrusted,
so every header field is checked before a byte of the body is believed.

Layout (big-endian): two zero bytes, a type code (0x08: unsigned bytes, the only one these sets
use), the rank r; then r 32-bit sizes; then size₁·…·size_r items, row-major, and nothing after.
A file may be gzipped (it starts 1f 8b). A gzip body is inflated at most to the size its header
promises plus one byte, so a small file that inflates to gigabytes is refused, not read.
"""
import gzip
import os
import struct
import zlib
from pathlib import Path

import numpy as np

from nnterm.errors import NntermError

UNSIGNED_BYTE = 0x08
GZIP_MAGIC = b"\x1f\x8b"
HEADER_READ = 4 + 4 * 4            # the magic and at most four sizes: enough to judge any header
# The budget: what one file may hold, as the float32 array it becomes (4 bytes an item). MNIST's
# training images are 60,000 · 28 · 28 · 4 = 188 MB; EMNIST's largest split would be 2.6 GB.
IDX_BUDGET_BYTES = 1 << 30


def read_idx(path: str | os.PathLike, rank: int, what: str, budget: int = IDX_BUDGET_BYTES) -> np.ndarray:
    """The uint8 array of an IDX file of `rank` dimensions (3: images, 1: labels), or one sentence
    naming the file and the field that is wrong. `what` says what the file should hold."""
    path = Path(path)
    try:
        with open(path, "rb") as raw:
            zipped = raw.read(2) == GZIP_MAGIC
        if zipped:
            return parse_idx(inflate(path, rank, what, budget), path, rank, what, budget)
        with open(path, "rb") as raw:
            head = raw.read(HEADER_READ)
            size = os.fstat(raw.fileno()).st_size
            shape = header_shape(head, size, path, rank, what, budget)
            raw.seek(4 + 4 * rank)
            body = raw.read(int(np.prod(shape)))
    except OSError as err:
        raise NntermError(f"{path}: cannot be read ({err.strerror or err})") from None
    return np.frombuffer(body, dtype=np.uint8).reshape(shape)


def inflate(path: Path, rank: int, what: str, budget: int) -> bytes:
    """A gzipped IDX file's bytes, inflated no further than its own header allows."""
    try:
        with gzip.open(path, "rb") as stream:
            head = stream.read(HEADER_READ)
            # the length the header promises, checked against the budget before the body is read
            shape = header_shape(head, None, path, rank, what, budget)
            want = 4 + 4 * rank + int(np.prod(shape))
            return head + stream.read(want + 1 - len(head))
    except (gzip.BadGzipFile, EOFError, zlib.error) as err:
        raise NntermError(f"{path}: the gzip stream is damaged or cut short ({err}); download the file again") from None


def parse_idx(data: bytes, path: Path, rank: int, what: str, budget: int) -> np.ndarray:
    shape = header_shape(data[:HEADER_READ], len(data), path, rank, what, budget)
    start = 4 + 4 * rank
    return np.frombuffer(data, dtype=np.uint8, offset=start, count=int(np.prod(shape))).reshape(shape)


def header_shape(head: bytes, length: int | None, path: Path, rank: int, what: str, budget: int) -> tuple:
    """The sizes the header states, after every check a header allows; `length` is the whole
    file's (None while a gzip body is still unread: the body is then checked by parse_idx)."""
    if len(head) < 4:
        raise NntermError(f"{path}: is {len(head)} bytes long, too short for an IDX header; it should hold {what}")
    zero, code, dims = head[:2], head[2], head[3]
    if zero != b"\x00\x00":
        raise NntermError(f"{path}: is not an IDX file (it should start with two zero bytes, then the type and rank; "
                          f"it starts {head[:4].hex(' ')}); it should hold {what}")
    if code != UNSIGNED_BYTE:
        raise NntermError(f"{path}: holds IDX items of type 0x{code:02x}; only unsigned bytes (0x08) are read, "
                          f"as MNIST's files are")
    if dims != rank:
        raise NntermError(f"{path}: has {dims} dimension(s) but {what} need(s) {rank} "
                          f"(is it the {'labels' if dims == 1 else 'images'} file?)")
    if len(head) < 4 + 4 * rank:
        raise NntermError(f"{path}: ends inside its header ({len(head)} bytes); it should hold {what}")
    shape = struct.unpack(f">{rank}I", head[4:4 + 4 * rank])
    if 0 in shape:
        raise NntermError(f"{path}: states a size of 0 ({' × '.join(map(str, shape))}); there is nothing to read")
    items = int(np.prod(shape, dtype=np.int64))
    if items * 4 > budget:
        raise NntermError(f"{path}: states {' × '.join(map(str, shape))} items, {items * 4 / 1e6:,.0f} MB as float32; "
                          f"the budget is {budget / 1e6:,.0f} MB")
    if length is not None and length != 4 + 4 * rank + items:
        state = "is cut short" if length < 4 + 4 * rank + items else "has bytes past its data"
        raise NntermError(f"{path}: {state}: its header states {' × '.join(map(str, shape))} items "
                          f"({4 + 4 * rank + items:,} bytes with the header) but it is {length:,} bytes long")
    return shape
