"""The one decorator every CPU kernel is compiled with.

    kernel = njit(cache=True, nogil=True, error_model="numpy")

cache:  compiled code is kept on disk (nnterm.kernels.cache_dir picks a writable folder), so
        only the first launch compiles.
nogil:  the TUI trains in a thread; the UI thread runs while a kernel does.
error_model="numpy":  a float division by zero gives ±inf or NaN, as IEEE 754 says, instead of
        Python's ZeroDivisionError. Numba's default puts a zero test before every division,
        and that branch keeps LLVM from vectorizing any loop that divides: Adam's update over
        the digits network took 36 µs a step with it and 4.9 µs without (9,610 parameters,
        bit-identical results). Kernels never relied on the exception: a non-finite loss or
        weight is what train_epoch reports, and the trainer rolls the epoch back.

    inlined = njit(inline="always", cache=True, nogil=True, error_model="numpy")

for the middle of the call tree (forward, backward, the update and the loss functions): Numba
pastes their code into each caller before typing, instead of compiling them as functions of
their own. Every compiled function carries a copy of everything it calls, which LLVM optimizes
and turns into machine code once more; a caller that pastes them in does that once. On an
empty cache the xor preset's first epoch compiled in 10.7–11.2 s instead of 12.1–12.7 s (two
shared cores), with the same machine code speed and bit-identical results. The leaves
(activations, dense products, optimizer rules) stay functions: pasted into every caller, they
made the compile three times slower, being typed again at every call site.
"""
from numba import njit

kernel = njit(cache=True, nogil=True, error_model="numpy")
inlined = njit(inline="always", cache=True, nogil=True, error_model="numpy")
