"""Products in register blocks: the large float32 products, without BLAS.

    c_ij = s_j + Σ_k a_ik·b_kj         (`product_from`: s a row such as the bias; `product`: s = 0)
    c_ij ← c_ij + α·Σ_k a_ik·b_kj      (`add_product`: an SGD step inside its gradient's product)

Each sum runs over k in order, one fused multiply-add a step (one rounding each), in float32, and
`add_product` adds α times it into c with one more: the same bits on every machine that runs it.

A block of ROWS rows by VECTORS vectors of LANES columns of C (6 × 64 with AVX-512) stays in
ROWS·VECTORS = 24 of the 32 vector registers through the whole sum. A step over k loads one row
of B's block (4 vectors), broadcasts one entry of each of A's 6 rows and does 24 fused
multiply-adds: 10 loads for 24 FMAs, which two FMA pipes finish in 12 cycles. Nothing is packed:
B's block is read where it lies, as a row of W or of δ. OpenBLAS copies both operands into its
own layout on every call, and at the MNIST shape (64 × 784 by 784 × 128) that copy and its
smaller kernel cost a third of the time. Measured per call, µs register blocks/OpenBLAS 0.3.30
(Intel Xeon, AVX-512, one thread; 64-byte-aligned operands):
  x·W   (64,784,128) 60.0/105.3  (64,784,32) 17.0/33.1  (10,784,128) 10.9/50.9  (1,784,128) 3.1/4.1
        (256,784,128) 283/333  (64,784,512) 376/491  (64,128,128) 11.6/18.3  (32,64,128) 2.96/2.92
        (64,784,16) 13.8/13.1  (64,784,1024) 1275/1031
  xᵀ·δ  (64,784,128) 70.8/95.8  (64,784,32) 18.9/32.5  (10,784,128) 11.6/25.5  (256,784,128) 298/369
        (64,784,512) 290/368  (64,128,128) 11.3/17.6  (32,64,128) 2.87/3.04  (64,784,16) 13.8/10.8
Past 512 columns a row of B lies 2 KiB or more from the next, and the 784 rows of a block's
column of W compete for the same sets of the L2 cache (BLAS's packing is what avoids that);
at 16 columns one vector a row leaves the loop too short. So: COLS_MIN ≤ columns ≤ COLS_MAX,
a multiple of LANES (register_blocks_fit).

A sixteenth of the loads fall across two cache lines when B's rows do not start on a 64-byte
boundary: at the MNIST shape the forward product took 83.2 µs instead of 74.2. The scratch and
the parameters are allocated on that boundary (aligned.py).

Only where LLVM targets the host and the host has AVX-512 (`REGISTER_BLOCKS`): with 16 vector
registers (AVX2) 24 accumulators would spill, and the products stay with BLAS. The block is
written in LLVM's IR (its vector type, `llvm.fma`), through Numba's `intrinsic`, because Numba
has no vector type, and LLVM would not keep 24 vector sums in registers across a loop it writes
itself out of scalar code.
"""
import numpy as np
from numba import types
from numba.core import cgutils
from numba.core import config as numba_config
from numba.core.codegen import get_host_cpu_features
from numba.extending import intrinsic

from . import aligned
from .jit import glue, inlined, kernel

ir = cgutils.ir                 # LLVM's IR builder, as Numba hands it to an intrinsic (llvmlite)

LANES = 16                      # float32 entries in an AVX-512 register
VECTORS = 4                     # a block's columns: 4 registers, 64 entries
ROWS = 6                        # a block's rows: 6 × 4 = 24 accumulators of the 32 registers
# The blocks' shapes, widest first: a remainder of rows or columns is covered by narrower blocks
# (5 rows: 2 + 2 + 1). Each shape is a loop of its own in the compiled code, and each kernel
# that calls the blocks compiles them all: all 24 shapes from 1 × 1 to 6 × 4 made each such
# kernel compile 0.5 s longer, and the warm-up compiles six. Batches of a power of two leave 2 or
# 4 rows over, which blocks of 2 rows take at full speed (4 loads and 2 broadcasts for 8 FMAs).
BLOCK_ROWS = (ROWS, 2, 1)
# A partial last vector (an output layer's 10 columns) is one register a row: 24 rows of it keep
# the two FMA pipes busy where 6 rows waited on their 7 loads a step.
TAIL_ROWS = (24, 8, 1)
BLOCK_VECTORS = (VECTORS, 2, 1)
COLS_MIN = 32
COLS_MAX = 512
TAIL_COLS_MIN = 9               # forward_register_blocks_fit
TAIL_INNER_MAX = 784

REGISTER_BLOCKS = numba_config.CPU_NAME is None and "+avx512f" in get_host_cpu_features()


@kernel
def register_blocks_fit(rows, inner, cols, itemsize):
    """Whether a (rows × inner) by (inner × cols) product runs here rather than in BLAS."""
    return REGISTER_BLOCKS and itemsize == 4 and cols % LANES == 0 and COLS_MIN <= cols <= COLS_MAX


@kernel
def forward_register_blocks_fit(rows, inner, cols, itemsize):
    """register_blocks_fit, or a forward product onto fewer columns than a register holds (an output
    layer's classes), begun from the bias, which product_from runs in masked registers. Measured
    per call, float32, µs these/OpenBLAS's with the bias added (Intel Xeon, AVX-512, one thread):
    (64,128,10) 1.47/1.97  (32,128,10) 0.76/1.01  (1,128,10) 0.09/0.24  (64,784,10) 8.60/11.43
    (64,784,15) 8.96/12.12  (64,1024,10) 14.87/14.89  (64,128,8) 1.31/1.13  (64,784,8) 8.30/5.22 —
    OpenBLAS's kernels take 8 columns whole, and the weight gradient's (rows ≫ columns) stays its."""
    if register_blocks_fit(rows, inner, cols, itemsize):
        return True
    return REGISTER_BLOCKS and itemsize == 4 and TAIL_COLS_MIN <= cols < LANES and inner <= TAIL_INNER_MAX


# aligned.aligned_empty for the kernels' scratch: pasted into the compiled epoch, and plain numpy
# in its stepped twin (glue)
aligned_empty = glue(aligned.aligned_empty)


# An operand A as the blocks read it: (base, row_offsets, row_stride, step_offsets, step_stride,
# rows, steps), the entry (r, k) at byte base + (row_offsets[r] or r·row_stride) + (step_offsets[k]
# or k·step_stride). A table is None where its stride serves: each call site then compiles the
# addressing it needs and no other — a plain array has none (a step over k is then a pointer
# increment), a gathered batch one.

@inlined
def rows_of(a):
    """A 2-D array of any strides (a transposed view too)."""
    return a.ctypes.data, None, a.strides[0], None, a.strides[1], a.shape[0], a.shape[1]


@inlined
def gathered_rows(x, rows):
    """x[rows], without copying the rows out (a minibatch, `rows` its indices in x)."""
    row_offsets = np.empty(rows.shape[0], np.intp)
    for r in range(rows.shape[0]):
        row_offsets[r] = rows[r] * x.strides[0]
    return x.ctypes.data, row_offsets, 0, None, x.strides[1], rows.shape[0], x.shape[1]


@inlined
def gathered_columns(x, rows):
    """x[rows]ᵀ: a row per input, a step per sample."""
    step_offsets = np.empty(rows.shape[0], np.intp)
    for k in range(rows.shape[0]):
        step_offsets[k] = rows[k] * x.strides[0]
    return x.ctypes.data, None, x.strides[1], step_offsets, 0, x.shape[1], rows.shape[0]


@inlined
def product(a, b, c):
    """c = a·b; `a` as rows_of (or gathered_…) gives it, b (k, n) and c (m, n) with unit column
    stride, n a multiple of LANES."""
    blocks(a, b, c, 0, 0.0, False)


@inlined
def product_from(a, b, start, c):
    """c = start + a·b, each sum begun from start's entry for its column (a layer's bias); any n,
    the last n mod LANES columns in masked registers."""
    whole = c.shape[1] - c.shape[1] % LANES
    blocks(a, b[:, :whole], c[:, :whole], start.ctypes.data, 0.0, False)
    if whole < c.shape[1]:
        last_columns(a, b, start, c, whole)


@inlined
def add_product(a, b, c, alpha):
    """c ← c + α·a·b, α rounded to float32 once, each entry added with one rounding; n a multiple
    of LANES."""
    blocks(a, b, c, 0, alpha, True)


# The products of plain arrays, each a function of its own, which the passes call where the
# blocks fit (dense.forward_in_blocks_fits, gradient_in_blocks_fits; the SGD step inside the
# gradient is optimizers.descend_in_blocks): the small products' kernels carry none of this code,
# and a small network compiles none of it before its first epoch.

@kernel
def forward_in_blocks(x, w, b, z):
    """z = b + x·W"""
    product_from(rows_of(x), w, b, z)


@kernel
def gradient_in_blocks(x, delta, dw):
    """dW = xᵀ·δ"""
    product(rows_of(x.T), delta, dw)


@inlined
def blocks(a, b, c, start, alpha, add):
    """C's blocks, a column of blocks at a time: B's block (inner × 64) then serves every row block
    out of the L1 and L2 caches. `start` is the address of a row to begin each sum from, or 0."""
    base, row_offsets, row_stride, step_offsets, step_stride, rows, inner = a
    cols = c.shape[1]
    if cols % LANES != 0 or not agree(a, b, c):
        raise ValueError("register blocks take float32 products whose columns are a multiple of 16")
    item = c.itemsize
    b_row, c_row = b.strides[0] // item, c.strides[0] // item
    scale = np.float32(alpha)
    j = 0
    while j < cols:
        vectors = widest(BLOCK_VECTORS, (cols - j) // LANES)
        i = 0
        while i < rows:
            height = widest(BLOCK_ROWS, rows - i)
            register_block(base, row_offsets, i, row_stride, step_offsets, step_stride,
                           b.ctypes.data + j * item, b_row,
                           c.ctypes.data + (i * c_row + j) * item, c_row,
                           start + j * item if start != 0 else 0, scale, add, inner, height, vectors)
            i += height
        j += vectors * LANES


@inlined
def last_columns(a, b, start, c, first):
    """c[:, first:] = start[first:] + a·b[:, first:], fewer than LANES columns: one masked register
    a row, TAIL_ROWS rows at a time."""
    base, row_offsets, row_stride, step_offsets, step_stride, rows, inner = a
    cols = c.shape[1]
    if cols - first >= LANES or not agree(a, b, c):
        raise ValueError("register blocks take a float32 product whose operands' shapes agree")
    item = c.itemsize
    b_row, c_row = b.strides[0] // item, c.strides[0] // item
    i = 0
    while i < rows:
        height = widest(TAIL_ROWS, rows - i)
        register_tail(base, row_offsets, i, row_stride, step_offsets, step_stride, b.ctypes.data + first * item, b_row,
                      c.ctypes.data + (i * c_row + first) * item, c_row, start.ctypes.data + first * item,
                      np.float32(0.0), False, inner, height, cols - first)
        i += height


@inlined
def agree(a, b, c):
    """Whether (m, k) A, (k, n) B and (m, n) C fit together, C float32."""
    rows, inner = a[5], a[6]
    return c.itemsize == 4 and c.shape[0] == rows and b.shape[0] == inner and b.shape[1] == c.shape[1]


@inlined
def widest(sizes, room):
    """The first of `sizes` (widest first, the last 1) that fits in `room`."""
    for size in sizes:
        if size <= room:
            return size
    return 1


def block_signature(row_offsets, step_offsets):
    return types.void(types.intp, row_offsets, types.intp, types.intp, step_offsets, types.intp, types.intp,
                      types.intp, types.intp, types.intp, types.intp, types.float32, types.boolean, types.intp,
                      types.intp, types.intp)


@intrinsic
def register_block(typingctx, base, row_offsets, first_row, row_stride, step_offsets, step_stride, b, b_row, c, c_row,
                   start, alpha, add, inner, rows, width):
    """One block of C: `rows` (of BLOCK_ROWS) by `width` (of BLOCK_VECTORS) registers of columns,
    its sums over `inner` steps, from A's row `first_row` on (A as rows_of describes it: a table
    is an array of byte offsets, or None). Other addresses are bytes, rows of B and C entries.
    One loop is written for each shape and a switch picks it, so each keeps its sums in registers."""
    return block_signature(row_offsets, step_offsets), block_codegen(partial=False)


@intrinsic
def register_tail(typingctx, base, row_offsets, first_row, row_stride, step_offsets, step_stride, b, b_row, c, c_row,
                  start, alpha, add, inner, rows, width):
    """register_block for C's last `width` (1 to LANES − 1) columns: one register a row, its loads
    and stores masked to those lanes."""
    return block_signature(row_offsets, step_offsets), block_codegen(partial=True)


def block_codegen(partial):
    def codegen(context, builder, signature, args):
        (base, row_table, first_row, row_stride, step_table, step_stride, b, b_row, c, c_row, start, alpha, add, inner,
         rows, width) = args
        addressing = Addressing(context, builder, base, (signature.args[1], row_table), first_row, row_stride,
                                (signature.args[4], step_table), step_stride)
        floats = ir.FloatType().as_pointer()
        b, c = builder.inttoptr(b, floats), builder.inttoptr(c, floats)
        end = builder.append_basic_block("block_done")
        lanes = lane_mask(builder, width) if partial else None
        vectors = ir.Constant(rows.type, 1) if partial else width
        shape = builder.add(builder.mul(rows, ir.Constant(rows.type, 8)), vectors)
        switch = builder.switch(shape, end)
        for r in TAIL_ROWS if partial else BLOCK_ROWS:
            for v in (1,) if partial else BLOCK_VECTORS:
                case = builder.append_basic_block(f"block_{r}x{v}")
                switch.add_case(ir.Constant(shape.type, r * 8 + v), case)
                builder.position_at_end(case)
                BlockWriter(builder, r, v, lanes).write(addressing, b, b_row, c, c_row, start, alpha, add, inner)
                builder.branch(end)
        builder.position_at_end(end)
        return context.get_dummy_value()
    return codegen


def lane_mask(builder, width):
    """<LANES x i1>: lane i is on when i < width."""
    lanes = ir.Constant(ir.VectorType(ir.IntType(64), LANES), list(range(LANES)))
    undefined = ir.Constant(ir.VectorType(ir.IntType(64), LANES), ir.Undefined)
    one = builder.insert_element(undefined, width, ir.Constant(ir.IntType(32), 0))
    widths = builder.shuffle_vector(one, undefined, ir.Constant(ir.VectorType(ir.IntType(32), LANES), [0] * LANES))
    return builder.icmp_unsigned("<", lanes, widths)


class Addressing:
    """Where A's entries lie, as IR: a row's byte address (through the row table, or first_row +
    r rows of row_stride bytes on) and a step's byte offset (through the step table, or k strides)."""

    def __init__(self, context, builder, base, row_table, first_row, row_stride, step_table, step_stride):
        self.builder, self.base, self.first_row = builder, base, first_row
        self.row_stride, self.step_stride = row_stride, step_stride
        self.row_table, self.step_table = (self.entries(context, builder, kind, value)
                                           for kind, value in (row_table, step_table))

    @staticmethod
    def entries(context, builder, kind, value):
        """A pointer to a table's first entry, or None for a table that is None."""
        if isinstance(kind, (types.NoneType, types.Omitted)):
            return None
        return context.make_array(kind)(context, builder, value).data

    def row(self, r):
        builder = self.builder
        index = builder.add(self.first_row, ir.Constant(self.first_row.type, r))
        if self.row_table is None:
            return builder.add(self.base, builder.mul(index, self.row_stride))
        return builder.add(self.base, builder.load(builder.gep(self.row_table, [index])))

    def step(self, k):
        builder = self.builder
        if self.step_table is None:
            return builder.mul(k, self.step_stride)
        return builder.load(builder.gep(self.step_table, [k]))


class BlockWriter:
    """The IR of one block's loop, for `rows` × `vectors` registers of sums."""

    def __init__(self, builder, rows, vectors, lanes=None):
        self.builder, self.rows, self.vectors, self.lanes = builder, rows, vectors, lanes
        self.vector = ir.VectorType(ir.FloatType(), LANES)
        self.index = ir.IntType(64)
        module, vector_pointer = builder.module, self.vector.as_pointer()
        self.fma = cgutils.get_or_insert_function(module, ir.FunctionType(self.vector, [self.vector] * 3),
                                                  f"llvm.fma.v{LANES}f32")
        if lanes is not None:           # the masked loads and stores of a partial last vector
            alignment, mask = ir.IntType(32), lanes.type
            self.masked_load = cgutils.get_or_insert_function(module, ir.FunctionType(
                self.vector, [vector_pointer, alignment, mask, self.vector]), f"llvm.masked.load.v{LANES}f32.p0")
            self.masked_store = cgutils.get_or_insert_function(module, ir.FunctionType(
                ir.VoidType(), [self.vector, vector_pointer, alignment, mask]), f"llvm.masked.store.v{LANES}f32.p0")

    def constant(self, value):
        return ir.Constant(self.index, value)

    def load_vector(self, base, offset):
        """LANES floats from base + offset entries (no alignment assumed); the masked lanes 0."""
        pointer = self.builder.bitcast(self.builder.gep(base, [offset]), self.vector.as_pointer())
        return self.load_at(pointer)

    def load_at(self, pointer):
        if self.lanes is None:
            return self.builder.load(pointer, align=4)
        zero = ir.Constant(self.vector, [0.0] * LANES)
        return self.builder.call(self.masked_load, [pointer, ir.Constant(ir.IntType(32), 4), self.lanes, zero])

    def store_at(self, value, pointer):
        if self.lanes is None:
            self.builder.store(value, pointer, align=4)
        else:
            self.builder.call(self.masked_store, [value, pointer, ir.Constant(ir.IntType(32), 4), self.lanes])

    def splat(self, scalar):
        """The vector of LANES copies of a float."""
        undefined = ir.Constant(self.vector, ir.Undefined)
        one = self.builder.insert_element(undefined, scalar, ir.Constant(ir.IntType(32), 0))
        everywhere = ir.Constant(ir.VectorType(ir.IntType(32), LANES), [0] * LANES)
        return self.builder.shuffle_vector(one, undefined, everywhere)

    def starts(self, start):
        """Each column's first value: start's entries when start is an address, else 0."""
        builder = self.builder
        zero = ir.Constant(self.vector, [0.0] * LANES)
        given = builder.icmp_unsigned("!=", start, self.constant(0))
        with builder.if_else(given) as (from_row, from_zero):
            with from_row:
                row = builder.inttoptr(start, ir.FloatType().as_pointer())
                loaded = [self.load_vector(row, self.constant(LANES * v)) for v in range(self.vectors)]
                row_block = builder.block
            with from_zero:
                zero_block = builder.block
        firsts = []
        for v in range(self.vectors):
            first = builder.phi(self.vector)
            first.add_incoming(loaded[v], row_block)
            first.add_incoming(zero, zero_block)
            firsts.append(first)
        return firsts

    def write(self, a, b, b_row, c, c_row, start, alpha, add, inner):
        builder, rows, vectors = self.builder, self.rows, self.vectors
        firsts = self.starts(start)
        row_addresses = [a.row(r) for r in range(rows)]
        before = builder.block
        loop = builder.append_basic_block("sum")
        done = builder.append_basic_block("sums_done")
        builder.cbranch(builder.icmp_signed(">", inner, self.constant(0)), loop, done)

        # c_rv += a_rk · b_k,v for every register, k = 0 … inner − 1
        builder.position_at_end(loop)
        k = builder.phi(self.index)
        k.add_incoming(self.constant(0), before)
        sums = [[builder.phi(self.vector) for _v in range(vectors)] for _r in range(rows)]
        b_k = builder.mul(k, b_row)
        b_vectors = [self.load_vector(b, builder.add(b_k, self.constant(LANES * v))) for v in range(vectors)]
        step = a.step(k)
        added = []
        for r in range(rows):
            address = builder.inttoptr(builder.add(row_addresses[r], step), ir.FloatType().as_pointer())
            a_rk = self.splat(builder.load(address, align=4))
            added.append([builder.call(self.fma, [a_rk, b_vectors[v], sums[r][v]]) for v in range(vectors)])
        for r in range(rows):
            for v in range(vectors):
                sums[r][v].add_incoming(firsts[v], before)
                sums[r][v].add_incoming(added[r][v], loop)
        next_k = builder.add(k, self.constant(1))
        k.add_incoming(next_k, loop)
        builder.cbranch(builder.icmp_signed("<", next_k, inner), loop, done)

        builder.position_at_end(done)
        totals = []
        for r in range(rows):
            for v in range(vectors):
                total = builder.phi(self.vector)
                total.add_incoming(firsts[v], before)
                total.add_incoming(added[r][v], loop)
                totals.append((r, v, total))
        alphas = self.splat(alpha)
        pointers = [(builder.bitcast(builder.gep(c, [builder.add(builder.mul(self.constant(r), c_row),
                                                                 self.constant(LANES * v))]),
                                     self.vector.as_pointer()), total) for r, v, total in totals]
        with builder.if_else(add) as (adding, storing):
            with adding:            # c + α·Σ, one rounding
                for pointer, total in pointers:
                    self.store_at(builder.call(self.fma, [alphas, total, self.load_at(pointer)]), pointer)
            with storing:
                for pointer, total in pointers:
                    self.store_at(total, pointer)
