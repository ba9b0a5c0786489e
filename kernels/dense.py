"""The dense layer, z = a_prev @ W + b (rows are samples), and its backward pass.

Small layers run as explicit loops; large ones call BLAS through `np.dot(..., out)`, which
wins once a product has more than BLAS_MIN_MACS multiply-adds (see nnterm bench) — unless each
of its sums is a few terms long, which BLAS's kernels, built for long sums, do slower than the
loops: a forward product over fewer than FORWARD_BLAS_MIN_FAN_IN inputs (a 2-input network's
first layer), an input gradient from a single output unit (forward_uses_blas,
input_grads_use_blas). A float32 forward product or weight gradient of that size runs in
register blocks instead where they fit (register_blocks.py: AVX-512, 32–512 columns, a
multiple of 16; forward_in_blocks_fits, which the passes ask), and the *_rows kernels read a
minibatch's rows of x where they lie.

The loops come in two orders, picked per shape by `narrow` alone. The wide order runs its
innermost loop over fan_out, which vectorizes when a layer has many outputs. An output layer
has 1–10: there that loop is a few iterations long, all overhead, and the three products of
2→128→1 took 122 µs of a ~150 µs step. The narrow order (forward_narrow, weight_grads_narrow,
input_grads_narrow) runs its innermost loop over fan_in or over the rows instead. Each output
still sums the same terms in the same order and the same precision as the wide order, so the
results are the same bit for bit (tests/test_dense_loop_orders.py; docs/design.md, "Loop orders").

A third order, the blocked one (forward_blocked, weight_grads_blocked, input_grads_blocked,
input_grads_transposed), keeps a block of eight (or four) outputs in locals across the whole sum,
which LLVM packs into one vector register (kernels/jit.py turns its SLP vectorizer on). The wide
order's innermost loop runs over fan_out with a trip count known only at run time: LLVM builds it
for long rows (32 lanes an iteration), and at fan_out 8 every iteration takes its remainder
path, four lanes or one at a time, reading and writing each sum in memory. The blocked order sums the same terms in the same order and precision, so it
too is the wide order bit for bit; which of them runs is picked per shape (blocked_forward,
blocked_weight_gradient, transposed_input_gradient), from the measurements beside each rule.
"""
import numpy as np

from .gathers import copied_rows
from .jit import inlined, kernel
from .register_blocks import (forward_register_blocks_fit, gathered_columns, gathered_rows, product, product_from,
                              register_blocks_fit)

# rows·fan_in·fan_out from which np.dot (OpenBLAS, one thread) is used instead of the loops below.
# Measured per call, float32, µs loop/BLAS (AMD EPYC Zen 4, 2 shared cores, numba 0.68, scipy 1.17):
#   forward x·W      (10,2,8) 0.05/0.05  (10,8,8) 0.17/0.09  (32,2,8) 0.15/0.10  (32,16,16) 1.63/0.28
#   weights xᵀ·δ     (10,2,8) 0.05/0.14  (10,8,8) 0.23/0.16  (32,2,8) 0.13/0.19  (32,16,16) 1.15/0.24
#   inputs δ·Wᵀ      (10,2,8) 0.06/0.13  (10,8,8) 0.33/0.20  (32,2,8) 0.19/0.17  (32,32,32) 21.1/1.6
# So BLAS wins from ~500 multiply-adds. Yet 512 is not used: it changes float32 rounding, and
# the spiral preset (Adam, lr 0.01) has loss spikes late in training — with 512 its epoch 400
# lands on one (accuracy 0.55 instead of 0.98; float64 spikes too, at other epochs). End to end
# the bench workloads did not move measurably (playground/digits within noise; mnist and digits
# use BLAS either way). Lower this once that preset trains stably.
BLAS_MIN_MACS = 32768

# fan_out up to which the narrow loop order may be used (an output layer: a class per unit).
NARROW_FAN_OUT = 10
# fan_in up to which a layer of several outputs keeps the wide order: its transposed scratch
# (two allocations a call) costs more than the narrow order saves over so few inputs.
NARROW_MIN_FAN_IN = 9
# Rows the forward product sums side by side in the narrow order: eight independent sums
# (eight float32 add chains, the adder's latency hidden) over one pass of a weight column.
FORWARD_BLOCK = 8
# Outputs the blocked order keeps in locals: eight float32 sums are one AVX register.
BLOCK = 8


# Inputs from which a forward product big enough for BLAS goes to it, and output units from which
# an input gradient does. Measured per call, float32, µs BLAS/loops (Intel Xeon, AVX-512, numba
# 0.68, OpenBLAS 0.3.30), forward with its bias:  (64,1,512) 5.9/3.3  (64,2,512) 7.2/6.0
# (64,2,1024) 15.0/8.9  (64,3,512) 6.7/5.6  (256,2,128) 7.3/6.1  (64,4,512) 7.5/10.7
# (64,8,512) 6.4/20.3;  input gradient (rows, fan_in, fan_out):  (64,512,1) 7.1/2.9
# (64,1024,1) 12.0/4.5  (256,128,1) 6.3/2.8  (64,512,2) 6.6/13.4.
FORWARD_BLAS_MIN_FAN_IN = 4
INPUT_GRADS_BLAS_MIN_FAN_OUT = 2
# Multiply-adds up to which BLAS gets δ·Wᵀ as δ times a transposed copy of W. OpenBLAS (0.3.30,
# SkylakeX) sends a product with its first operand transposed and a short sum (fewer than 32
# terms: an output layer's units) to its general kernel, which packs both operands first, and a
# plain one to its small-matrix kernel, which it allows up to 100³ multiply-adds. Same bits on
# every shape tried; µs transposed-operand call/copy and plain call: (32,128,10) 1.03/0.82
# (64,128,10) 1.78/1.41  (64,1024,10) 28.3/16.0  (512,128,10) 18.7/9.4  (64,256,32) 15.7/7.9;
# past 100³, (256,512,10) 69.6/115.1  (64,2048,10) 72.8/92.0.
TRANSPOSED_BLAS_MAX_MACS = 1_000_000


@kernel
def uses_blas(rows, fan_in, fan_out):
    """Whether a product of this shape goes to BLAS (np.dot) rather than the loops below; for the
    forward product and the input gradient, forward_uses_blas and input_grads_use_blas narrow it."""
    return rows * fan_in * fan_out >= BLAS_MIN_MACS


@kernel
def forward_uses_blas(rows, fan_in, fan_out):
    return uses_blas(rows, fan_in, fan_out) and fan_in >= FORWARD_BLAS_MIN_FAN_IN


@kernel
def input_grads_use_blas(rows, fan_in, fan_out):
    return uses_blas(rows, fan_in, fan_out) and fan_out >= INPUT_GRADS_BLAS_MIN_FAN_OUT


@kernel
def narrow(rows, fan_in, fan_out):
    """Whether the narrow loop order runs this product: few outputs, and at least as many rows as
    outputs, so that the transposed scratch it builds (fan_out × fan_in) is shared by enough rows;
    and either one output (no scratch at all) or more than a few inputs to share it over.
    Measured per call, float32, µs wide/narrow (Zen 4, numba 0.68), forward · weight grads · inputs:
      (64,128,1)  27.6/1.7  10.9/1.2  9.9/1.2     (10,128,1)  4.2/0.6  2.1/0.6  1.6/0.4
      (10,128,10)  4.8/3.4   3.0/1.5  7.0/2.0     (1,128,10)  0.8/1.0  1.4/1.4  0.7/0.8 (so: rows ≥ fan_out)
      (10,16,4)   0.48/0.14  0.37/0.15  0.32/0.20  (10,8,1)   0.15/0.03  0.12/0.04  0.10/0.02
      (10,8,8)    0.16/0.15  0.14/0.16  0.23/0.25  (10,2,8)   0.05/0.07  0.17/0.17  0.06/0.38
      (64,2,8)    0.35/0.32  0.25/0.96  0.36/2.20  (so: fan_in ≥ NARROW_MIN_FAN_IN unless fan_out is 1)"""
    return fan_out <= NARROW_FAN_OUT and rows >= fan_out and (fan_out == 1 or fan_in >= NARROW_MIN_FAN_IN)


@kernel
def dense_forward(x, w, b, z):
    """z = x @ W + b"""
    rows, fan_in = x.shape
    fan_out = w.shape[1]
    if forward_uses_blas(rows, fan_in, fan_out):
        np.dot(x, w, z)
        for i in range(rows):
            for j in range(fan_out):
                z[i, j] += b[j]
        return
    if narrow(rows, fan_in, fan_out):
        forward_narrow(x, w, b, z)
        return
    if blocked_forward(rows, fan_in, fan_out):
        forward_blocked(x, w, b, z)
        return
    for i in range(rows):
        for j in range(fan_out):
            z[i, j] = b[j]
        for k in range(fan_in):
            xk = x[i, k]
            for j in range(fan_out):
                z[i, j] += xk * w[k, j]


# Whether a BLAS-sized product runs in register blocks (register_blocks.py) instead. The passes
# ask, and call forward_in_blocks or gradient_in_blocks themselves: dense_forward and
# dense_weight_grads, which every network compiles before its first epoch, then carry none of the
# blocks' code (called from them, the blocks compiled with them, and xor's first epoch on an empty
# cache came 1.7 s later).

@kernel
def forward_in_blocks_fits(rows, fan_in, fan_out, itemsize):
    return forward_uses_blas(rows, fan_in, fan_out) and forward_register_blocks_fit(rows, fan_in, fan_out, itemsize)


@kernel
def gradient_in_blocks_fits(rows, fan_in, fan_out, itemsize):
    return uses_blas(rows, fan_in, fan_out) and register_blocks_fit(fan_in, rows, fan_out, itemsize)


@kernel
def dense_forward_rows(x, rows, w, b, z):
    """z = x[rows] @ W + b, each of x's rows read where it lies (register_blocks.gathered_rows)
    where register blocks fit (passes.reads_rows_in_place asks first); else from a copy of them."""
    if register_blocks_fit(rows.shape[0], x.shape[1], w.shape[1], z.itemsize):
        product_from(gathered_rows(x, rows), w, b, z)
    else:
        dense_forward(copied_rows(x, rows), w, b, z)


@kernel
def blocked_forward(rows, fan_in, fan_out):
    """Whether the blocked order runs this forward product: unless the wide order's inner loop is
    long and each of its rows short (fan_out ≥ 32 over fewer than 8 inputs), where it vectorizes.
    Measured per call, float32, ns wide/blocked (Intel Xeon, AVX-512, numba 0.68):
      (10,2,8) 82/20    (10,8,8) 168/35    (10,8,3) 223/150   (64,16,16) 2949/680  (1,128,10) 379/152
      (10,64,32) 2532/882  (16,16,64) 1357/822  (10,16,128) 994/864  (1,64,128) 418/365
      (64,4,64) 1016/1291  (2,4,256) 169/203  (64,2,32) 422/397  (100,2,32) 688/625  (10,2,128) 292/262"""
    return fan_in >= 8 or fan_out < 32


@kernel
def forward_blocked(x, w, b, z):
    """z = x @ W + b, each z[i, j] = b_j + x_i0·w_0j + x_i1·w_1j + … in that order in the weights'
    dtype, as the wide order sums it: BLOCK outputs of a row at a time in locals, the last
    fan_out mod BLOCK one by one."""
    rows, fan_in = x.shape
    fan_out = w.shape[1]
    j = 0
    while j + BLOCK <= fan_out:
        for i in range(rows):
            s0, s1, s2, s3 = b[j], b[j + 1], b[j + 2], b[j + 3]
            s4, s5, s6, s7 = b[j + 4], b[j + 5], b[j + 6], b[j + 7]
            for k in range(fan_in):
                xk = x[i, k]
                s0 += xk * w[k, j]
                s1 += xk * w[k, j + 1]
                s2 += xk * w[k, j + 2]
                s3 += xk * w[k, j + 3]
                s4 += xk * w[k, j + 4]
                s5 += xk * w[k, j + 5]
                s6 += xk * w[k, j + 6]
                s7 += xk * w[k, j + 7]
            z[i, j], z[i, j + 1], z[i, j + 2], z[i, j + 3] = s0, s1, s2, s3
            z[i, j + 4], z[i, j + 5], z[i, j + 6], z[i, j + 7] = s4, s5, s6, s7
        j += BLOCK
    for i in range(rows):
        for col in range(j, fan_out):
            s = b[col]
            for k in range(fan_in):
                s += x[i, k] * w[k, col]
            z[i, col] = s


@kernel
def forward_narrow(x, w, b, z):
    """z = x @ W + b, each z[i, j] = b_j + x_i0·w_0j + x_i1·w_1j + … summed in that order in the
    weights' dtype, as the wide order does; FORWARD_BLOCK rows at a time, the rest one by one."""
    rows, fan_in = x.shape
    fan_out = w.shape[1]
    i = 0
    while i + FORWARD_BLOCK <= rows:
        for j in range(fan_out):
            s0 = s1 = s2 = s3 = s4 = s5 = s6 = s7 = b[j]
            for k in range(fan_in):
                wk = w[k, j]
                s0 += x[i, k] * wk
                s1 += x[i + 1, k] * wk
                s2 += x[i + 2, k] * wk
                s3 += x[i + 3, k] * wk
                s4 += x[i + 4, k] * wk
                s5 += x[i + 5, k] * wk
                s6 += x[i + 6, k] * wk
                s7 += x[i + 7, k] * wk
            z[i, j] = s0
            z[i + 1, j] = s1
            z[i + 2, j] = s2
            z[i + 3, j] = s3
            z[i + 4, j] = s4
            z[i + 5, j] = s5
            z[i + 6, j] = s6
            z[i + 7, j] = s7
        i += FORWARD_BLOCK
    for r in range(i, rows):
        for j in range(fan_out):
            s = b[j]
            for k in range(fan_in):
                s += x[r, k] * w[k, j]
            z[r, j] = s


@kernel
def dense_weight_grads(x, delta, dw, db):
    """∂L/∂W = xᵀ δ,  ∂L/∂b = Σ_rows δ"""
    rows, fan_in = x.shape
    fan_out = delta.shape[1]
    dense_bias_grads(delta, db)
    if uses_blas(rows, fan_in, fan_out):
        np.dot(x.T, delta, dw)
        return
    if narrow(rows, fan_in, fan_out):
        weight_grads_narrow(x, delta, dw)
        return
    if blocked_weight_gradient(rows, fan_in, fan_out):
        weight_grads_blocked(x, delta, dw)
        return
    for k in range(fan_in):
        for j in range(fan_out):
            dw[k, j] = 0.0
    for i in range(rows):
        for k in range(fan_in):
            xk = x[i, k]
            for j in range(fan_out):
                dw[k, j] += xk * delta[i, j]


@kernel
def dense_weight_grads_rows(x, rows, delta, dw, db):
    """dense_weight_grads for the batch x[rows], its rows read where they lie (as dense_forward_rows)."""
    if register_blocks_fit(x.shape[1], rows.shape[0], delta.shape[1], dw.itemsize):
        dense_bias_grads(delta, db)
        product(gathered_columns(x, rows), delta, dw)
    else:
        dense_weight_grads(copied_rows(x, rows), delta, dw, db)


@kernel
def blocked_weight_gradient(rows, fan_in, fan_out):
    """Whether the blocked order runs this weight-gradient product. Its innermost loop runs over the
    rows, so it pays with many rows, or with few outputs and enough rows to sum. Measured per call
    (bias gradient included), float32, ns wide/blocked (Intel Xeon, AVX-512, numba 0.68):
      (10,2,8) 108/67   (10,8,8) 209/104   (10,8,3) 254/140   (10,128,16) 3154/1813  (64,16,16) 2583/822
      (32,32,16) 2461/902  (64,4,64) 1161/866  (64,2,32) 508/289  (100,2,32) 789/455
      (1,128,10) 603/1268  (10,64,32) 1503/1670  (16,16,64) 1094/1180  (10,2,128) 230/264  (7,13,21) 400/444"""
    return rows >= 32 or (fan_out <= 16 and rows >= 4)


@kernel
def weight_grads_blocked(x, delta, dw):
    """∂L/∂W = xᵀ δ, each dw[k, j] = Σ_i x_ik·δ_ij from 0 in row order in dw's dtype, as the wide
    order sums it: BLOCK outputs of an input's row at a time in locals (sums_in_blocks)."""
    sums_in_blocks(x.T, delta, dw, dw.dtype.type(0.0))


@inlined
def sums_in_blocks(a, b, out, zero):
    """out[r, c] = Σ_m a[r, m]·b[m, c], each product in the operands' dtype, added from `zero` in
    m order in zero's type (the weights' dtype, or float64) and rounded once into out: BLOCK
    columns of a row at a time in locals, which LLVM packs into one register, the rest one by one.
    Inlined into its two callers: called, it took (10, 2, 8)'s weight gradient from 20 ns to 47."""
    rows, terms = a.shape
    cols = b.shape[1]
    for r in range(rows):
        c = 0
        while c + BLOCK <= cols:
            s0 = s1 = s2 = s3 = s4 = s5 = s6 = s7 = zero
            for m in range(terms):
                am = a[r, m]
                s0 += am * b[m, c]
                s1 += am * b[m, c + 1]
                s2 += am * b[m, c + 2]
                s3 += am * b[m, c + 3]
                s4 += am * b[m, c + 4]
                s5 += am * b[m, c + 5]
                s6 += am * b[m, c + 6]
                s7 += am * b[m, c + 7]
            out[r, c], out[r, c + 1], out[r, c + 2], out[r, c + 3] = s0, s1, s2, s3
            out[r, c + 4], out[r, c + 5], out[r, c + 6], out[r, c + 7] = s4, s5, s6, s7
            c += BLOCK
        for col in range(c, cols):
            s = zero
            for m in range(terms):
                s += a[r, m] * b[m, col]
            out[r, col] = s


# Entries of δ up to which the bias gradient sums BLOCK columns at a time in locals: past it δ
# outgrows the L1 cache in that column-block order, and the row order (a vectorized loop over
# fan_out, the sums in memory) wins. Measured per call, float32, ns row order/blocked (Intel Xeon,
# numba 0.68): (10,8) 36/6  (32,10) 82/27  (64,32) 197/63  (32,128) 411/102  (64,128) 298/235
# (64,512) 1290/2031  (256,128) 1465/3764.
BIAS_BLOCKED_MAX = 8192


@kernel
def dense_bias_grads(delta, db):
    """∂L/∂b = Σ_rows δ, summed from 0 in row order: BLOCK columns at a time in locals, the rest one
    by one; or, for a δ of more than BIAS_BLOCKED_MAX entries, row by row into db."""
    rows, fan_out = delta.shape
    zero = db.dtype.type(0.0)
    if rows * fan_out > BIAS_BLOCKED_MAX:
        for j in range(fan_out):
            db[j] = zero
        for i in range(rows):
            for j in range(fan_out):
                db[j] += delta[i, j]
        return
    j = 0
    while j + BLOCK <= fan_out:
        s0 = s1 = s2 = s3 = s4 = s5 = s6 = s7 = zero
        for i in range(rows):
            s0 += delta[i, j]
            s1 += delta[i, j + 1]
            s2 += delta[i, j + 2]
            s3 += delta[i, j + 3]
            s4 += delta[i, j + 4]
            s5 += delta[i, j + 5]
            s6 += delta[i, j + 6]
            s7 += delta[i, j + 7]
        db[j], db[j + 1], db[j + 2], db[j + 3] = s0, s1, s2, s3
        db[j + 4], db[j + 5], db[j + 6], db[j + 7] = s4, s5, s6, s7
        j += BLOCK
    for col in range(j, fan_out):
        s = zero
        for i in range(rows):
            s += delta[i, col]
        db[col] = s


@kernel
def weight_grads_narrow(x, delta, dw):
    """∂L/∂W = xᵀ δ, each dw[k, j] = Σ_i x_ik·δ_ij from 0 in row order in dw's dtype, as the wide
    order sums it, in a transposed scratch (fan_out, fan_in) whose rows the innermost loop walks."""
    rows, fan_in = x.shape
    fan_out = delta.shape[1]
    if fan_out == 1:                # dw is (fan_in, 1): already the transposed layout, no scratch
        for k in range(fan_in):
            dw[k, 0] = 0.0
        for i in range(rows):
            d = delta[i, 0]
            for k in range(fan_in):
                dw[k, 0] += x[i, k] * d
        return
    t = np.zeros((fan_out, fan_in), dw.dtype)
    for i in range(rows):
        for j in range(fan_out):
            d = delta[i, j]
            for k in range(fan_in):
                t[j, k] += x[i, k] * d
    for k in range(fan_in):
        for j in range(fan_out):
            dw[k, j] = t[j, k]


@kernel
def dense_input_grads(delta, w, grad_x):
    """∂L/∂x = δ Wᵀ — the gradient handed to the previous layer."""
    rows, fan_out = delta.shape
    fan_in = w.shape[0]
    if input_grads_use_blas(rows, fan_in, fan_out):
        if rows * fan_in * fan_out <= TRANSPOSED_BLAS_MAX_MACS:
            wt = np.empty((fan_out, fan_in), w.dtype)
            transpose_into(w, wt)
            np.dot(delta, wt, grad_x)
        else:
            np.dot(delta, w.T, grad_x)
        return
    if narrow(rows, fan_in, fan_out):
        input_grads_narrow(delta, w, grad_x)
        return
    if transposed_input_gradient(rows, fan_in, fan_out):
        input_grads_transposed(delta, w, grad_x)
        return
    input_grads_blocked(delta, w, grad_x)


@kernel
def transpose_into(w, wt):
    """wt = Wᵀ, for a (fan_in, fan_out) W and a (fan_out, fan_in) wt."""
    for k in range(w.shape[0]):
        for j in range(w.shape[1]):
            wt[j, k] = w[k, j]


@kernel
def transposed_input_gradient(rows, fan_in, fan_out):
    """Whether input_grads_transposed runs this product rather than input_grads_blocked: with a
    block of inputs to fill and the rows to share the transposed copy. Measured per call, float32,
    ns wide/blocked/transposed (Intel Xeon, AVX-512, numba 0.68):
      (10,8,8) 277/207/130   (64,16,16) 6248/5525/1346   (10,64,32) 8009/6077/2147  (10,16,128) 8932/5623/2454
      (10,8,3) 185/96/117    (7,13,21) 744/570/650   (1,64,128) 3526/2263/3457   (64,4,64) 6813/4760/6965
      (100,2,32) 2557/2470/2526"""
    return fan_in >= BLOCK and rows >= 8


@kernel
def input_grads_blocked(delta, w, grad_x):
    """∂L/∂x = δ Wᵀ as the wide order sums it — grad_x[i, k] = Σ_j δ_ij·w_kj, each product in the
    weights' dtype, added from 0 in j order to a float64 sum rounded once into grad_x — four
    inputs at a time: four independent sums, so the adder's latency is hidden."""
    rows, fan_out = delta.shape
    fan_in = w.shape[0]
    for i in range(rows):
        k = 0
        while k + 4 <= fan_in:
            s0 = s1 = s2 = s3 = 0.0
            for j in range(fan_out):
                d = delta[i, j]
                s0 += d * w[k, j]
                s1 += d * w[k + 1, j]
                s2 += d * w[k + 2, j]
                s3 += d * w[k + 3, j]
            grad_x[i, k], grad_x[i, k + 1], grad_x[i, k + 2], grad_x[i, k + 3] = s0, s1, s2, s3
            k += 4
        for col in range(k, fan_in):
            s = 0.0
            for j in range(fan_out):
                s += delta[i, j] * w[col, j]
            grad_x[i, col] = s


@kernel
def input_grads_transposed(delta, w, grad_x):
    """input_grads_blocked's sums, BLOCK inputs at a time (sums_in_blocks) from a transposed copy of
    the weights (fan_out, fan_in), whose rows give each block's eight weights side by side."""
    wt = np.empty((w.shape[1], w.shape[0]), w.dtype)
    transpose_into(w, wt)
    sums_in_blocks(delta, wt, grad_x, 0.0)


@kernel
def input_grads_narrow(delta, w, grad_x):
    """∂L/∂x = δ Wᵀ as the wide order sums it — each product δ_ij·w_kj rounded to the weights'
    dtype, added from 0 in j order to a float64 sum, which is rounded once into grad_x — with the
    innermost loop over fan_in: a float64 row of sums and the weights transposed (fan_out, fan_in)."""
    rows, fan_out = delta.shape
    fan_in = w.shape[0]
    if fan_out == 1:                # one product per entry: 0 + δ·w, rounded once, needs no scratch
        for i in range(rows):
            d = delta[i, 0]
            for k in range(fan_in):
                grad_x[i, k] = 0.0 + d * w[k, 0]
        return
    wt = np.empty((fan_out, fan_in), w.dtype)
    transpose_into(w, wt)
    sums = np.empty(fan_in)
    for i in range(rows):
        for k in range(fan_in):
            sums[k] = 0.0
        for j in range(fan_out):
            d = delta[i, j]
            for k in range(fan_in):
                sums[k] += d * wt[j, k]
        for k in range(fan_in):
            grad_x[i, k] = sums[k]
