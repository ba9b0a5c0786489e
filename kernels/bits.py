"""float32_bits(x) and float32_from_bits(i): a float32's IEEE 754 bit pattern as an int32, and back.

exp_f32 (activations.py) builds 2ⁿ by writing n + 127 into a float32's exponent field, plain
integer arithmetic that LLVM vectorizes with the rest of the formula; libm's ldexpf would be one
opaque call per element. Compiled, each is one LLVM bitcast; as Python (a kernel's Python twin)
each is NumPy's view of the same four bytes, so both give the same bits.
"""
import numpy as np
from numba import types
from numba.core import cgutils
from numba.extending import intrinsic, overload


def float32_bits(x):
    return np.float32(x).view(np.int32)


def float32_from_bits(i):
    return np.int32(i).view(np.float32)


@intrinsic
def _bits_of(typingctx, x):
    if x != types.float32:
        return None

    def codegen(context, builder, sig, args):
        return builder.bitcast(args[0], cgutils.int32_t)
    return types.int32(x), codegen


@intrinsic
def _float_of(typingctx, i):
    if i != types.int32:
        return None

    def codegen(context, builder, sig, args):
        return builder.bitcast(args[0], context.get_value_type(types.float32))
    return types.float32(i), codegen


@overload(float32_bits)
def _float32_bits(x):
    def bits(x):
        return _bits_of(np.float32(x))
    return bits


@overload(float32_from_bits)
def _float32_from_bits(i):
    def from_bits(i):
        return _float_of(np.int32(i))
    return from_bits
