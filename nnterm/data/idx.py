"""IDX files, the format MNIST and Fashion-MNIST ship in (docs/design.md, "Data"): untrusted,
so every header field is checked before a byte of the body is believed.

Layout (big-endian): two zero bytes, a type code (0x08: unsigned bytes, the only one these sets
use), the rank r; then r 32-bit sizes; then size₁·…·size_r items, row-major, and nothing after.
A file may be gzipped (it starts 1f 8b). A gzip body is inflated at most to the size its header
promises plus one byte, so a small file that inflates to gigabytes is refused, not read.
"""
from nnterm.runtime.language import _
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
        raise NntermError(_("{path}: cannot be read ({reason})").format(path=path, reason=err.strerror or err)) from None
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
        raise NntermError(_("{path}: the gzip stream is damaged or cut short ({err}); download the file again").format(path=path, err=err)) from None


def parse_idx(data: bytes, path: Path, rank: int, what: str, budget: int) -> np.ndarray:
    shape = header_shape(data[:HEADER_READ], len(data), path, rank, what, budget)
    start = 4 + 4 * rank
    return np.frombuffer(data, dtype=np.uint8, offset=start, count=int(np.prod(shape))).reshape(shape)


def header_shape(head: bytes, length: int | None, path: Path, rank: int, what: str, budget: int) -> tuple:
    """The sizes the header states, after every check a header allows; `length` is the whole
    file's (None while a gzip body is still unread: the body is then checked by parse_idx)."""
    if len(head) < 4:
        raise NntermError(_("{path}: is {head_count} bytes long, too short for an IDX header; it should hold {what}").format(path=path, head_count=len(head), what=what))
    zero, code, dims = head[:2], head[2], head[3]
    if zero != b"\x00\x00":
        raise NntermError(_("{path}: is not an IDX file (it should start with two zero bytes, then the type and rank; it starts {start_bytes}); it should hold {what}").format(path=path, start_bytes=head[:4].hex(' '), what=what))
    if code != UNSIGNED_BYTE:
        raise NntermError(_("{path}: holds IDX items of type 0x{code:02x}; only unsigned bytes (0x08) are read, as MNIST's files are").format(path=path, code=code))
    if dims != rank:
        sentence = (_("{path}: has {dims} dimension(s) but {what} need(s) {rank} (is it the labels file?)") if dims == 1
                    else _("{path}: has {dims} dimension(s) but {what} need(s) {rank} (is it the images file?)"))
        raise NntermError(sentence.format(path=path, dims=dims, what=what, rank=rank))
    if len(head) < 4 + 4 * rank:
        raise NntermError(_("{path}: ends inside its header ({head_count} bytes); it should hold {what}").format(path=path, head_count=len(head), what=what))
    shape = struct.unpack(f">{rank}I", head[4:4 + 4 * rank])
    if 0 in shape:
        raise NntermError(_("{path}: states a size of 0 ({shape}); there is nothing to read").format(path=path, shape=' × '.join(map(str, shape))))
    items = int(np.prod(shape, dtype=np.int64))
    if items * 4 > budget:
        raise NntermError(_("{path}: states {shape} items, {megabytes:,.0f} MB as float32; the budget is {budget:,.0f} MB").format(path=path, shape=' × '.join(map(str, shape)), megabytes=items * 4 / 1e6, budget=budget / 1e6))
    if length is not None and length != 4 + 4 * rank + items:
        state = _("is cut short") if length < 4 + 4 * rank + items else _("has bytes past its data")
        raise NntermError(_("{path}: {state}: its header states {shape} items ({expected:,} bytes with the header) but it is {length:,} bytes long").format(path=path, state=state, shape=' × '.join(map(str, shape)), expected=4 + 4 * rank + items, length=length))
    return shape
