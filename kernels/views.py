"""as_matrix(flat, start, rows, cols) and as_vector(flat, start, n): the entries of a flat C-contiguous
array from `start` on as a (rows, cols) or (n,) C-contiguous view, as
`flat[start:start + rows·cols].reshape(rows, cols)` and `flat[start:start + n]` give them —
without Numba's reshape machinery and without a reference count.

Numba's reshape checks the shape for negative entries and calls a C helper to find strides that
need no copy: 25–45 ns a view, not inlinable, and a training step takes about twenty weight and
unit views (passes.py). 2→128→1 at batch 1 went from 1.76 µs a step to 1.17 µs with a view built
here instead. Each view and each slice also took a reference to the buffer and gave it back, a
call each way to NRT_incref / NRT_decref (an atomic add): the counting was 12 % of a 2→8→8→1
step at batch 10 (perf), 4 % after this (the rest is the narrow loops' scratch arrays).
These views carry no meminfo, so Numba counts nothing for them. That is safe because each one
lives only inside the pass that made it, while the caller holds the buffer it points into (the
flat ABI: params, grads, zs, outs, deltas — docs/design.md, "The kernel ABI"); none is returned
to Python, where it could outlive its buffer. As Python (a kernel's Python twin) each is the
slice and reshape themselves.
"""
from numba import types
from numba.core.imputils import impl_ret_untracked
from numba.extending import intrinsic, overload
from numba.np.arrayobj import make_array, populate_array


def as_matrix(flat, start, rows, cols):
    return flat[start:start + rows * cols].reshape(rows, cols)


def as_vector(flat, start, n):
    return flat[start:start + n]


def _view(context, builder, flat_type, flat, start_type, start, shape):
    """An array struct over flat's data from entry `start`, C-contiguous, of `shape` (intp
    values), with no meminfo and no parent."""
    array = make_array(flat_type)(context, builder, flat)
    ndim = len(shape)
    view = make_array(types.Array(flat_type.dtype, ndim, "C"))(context, builder)
    itemsize = array.itemsize
    data = builder.gep(array.data, [context.cast(builder, start, start_type, types.intp)])
    strides = [itemsize]
    for size in reversed(shape[1:]):
        strides.insert(0, builder.mul(size, strides[0]))
    populate_array(view, data=data, shape=shape, strides=strides, itemsize=itemsize, meminfo=None, parent=None)
    return view._getvalue()


def _flat_c(flat):
    return isinstance(flat, types.Array) and flat.ndim == 1 and flat.layout == "C"


@intrinsic
def _matrix_view(typingctx, flat, start, rows, cols):
    if not _flat_c(flat):
        return None
    signature = types.Array(flat.dtype, 2, "C")(flat, start, rows, cols)

    def codegen(context, builder, sig, args):
        shape = [context.cast(builder, args[i], sig.args[i], types.intp) for i in (2, 3)]
        view = _view(context, builder, sig.args[0], args[0], sig.args[1], args[1], shape)
        return impl_ret_untracked(context, builder, sig.return_type, view)
    return signature, codegen


@intrinsic
def _vector_view(typingctx, flat, start, n):
    if not _flat_c(flat):
        return None
    signature = types.Array(flat.dtype, 1, "C")(flat, start, n)

    def codegen(context, builder, sig, args):
        shape = [context.cast(builder, args[2], sig.args[2], types.intp)]
        view = _view(context, builder, sig.args[0], args[0], sig.args[1], args[1], shape)
        return impl_ret_untracked(context, builder, sig.return_type, view)
    return signature, codegen


@overload(as_matrix)
def _as_matrix(flat, start, rows, cols):
    def view(flat, start, rows, cols):
        return _matrix_view(flat, start, rows, cols)
    return view


@overload(as_vector)
def _as_vector(flat, start, n):
    def view(flat, start, n):
        return _vector_view(flat, start, n)
    return view
