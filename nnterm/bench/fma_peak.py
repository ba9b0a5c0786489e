"""One core's float32 peak, measured: independent chains of fused multiply-adds, nothing else.

    peak = chains × lanes × 2 flops × iterations / seconds

A loop of CHAINS vector registers, each updated a ← a·m + s by one fused multiply-add an
iteration: no loads, no stores, and more chains than the FMA pipes' latency needs (two pipes ×
four cycles), so the pipes are never idle and the loop runs at what they deliver at the clock
they run at. That clock is not the scalar one: on the Intel Xeon of the README's later figures an
integer chain ran at 3.96 GHz and this loop at 246.5 GFLOP/s, 97 % of the 2 × 16 × 2 × 3.96 GHz
that formula gives (nnterm/bench/peak.py). `nnterm bench` runs it in turns with the timed epochs
(timing.race) and reads the MNIST shape's GFLOP/s against it, the formula beside it.

Written in LLVM's IR (Numba's `intrinsic`: Numba has no vector type), as kernels/register_blocks.py
is. Only where the CPU has FMA; elsewhere `available` says why not.
"""
from nnterm.bench.peak import cpu_fields, float32_lanes

CHAINS = {16: 24, 8: 12}           # lanes → chains: 24 of AVX-512's 32 registers, 12 of AVX2's 16
TURN_ITERATIONS = 2_000_000        # AVX-512: 1.5 GFLOP, about 6 ms a turn


def available() -> str | None:
    """None, or why the peak cannot be measured here."""
    flags = set(cpu_fields().get("flags", "").split())
    if "fma" not in flags:
        return "no FMA instructions in this CPU's flags"
    return None


def fma_contender():
    """(turn, gflops): a no-argument function that runs the loop once, as a contender of
    timing.race, and the GFLOP/s that a rate of `per_second` turns means."""
    lanes, _isa = float32_lanes(set(cpu_fields().get("flags", "").split()))
    chains = CHAINS.get(lanes, 12)
    loop = compiled_loop(lanes, chains)
    loop(10)                                        # compile

    def turn() -> None:
        loop(TURN_ITERATIONS)
    flops = chains * lanes * 2 * TURN_ITERATIONS
    return turn, lambda per_second: flops * per_second / 1e9


def compiled_loop(lanes: int, chains: int):
    from numba import njit, types
    from numba.core import cgutils
    from numba.extending import intrinsic
    ir = cgutils.ir

    @intrinsic
    def fma_chains(typingctx, iterations):
        def codegen(context, builder, signature, args):
            count = args[0]
            vector = ir.VectorType(ir.FloatType(), lanes)
            fma = cgutils.get_or_insert_function(builder.module, ir.FunctionType(vector, [vector] * 3),
                                                 f"llvm.fma.v{lanes}f32")
            times, plus = ir.Constant(vector, [0.999] * lanes), ir.Constant(vector, [0.001] * lanes)
            firsts = [ir.Constant(vector, [0.5 + chain / 100] * lanes) for chain in range(chains)]
            before = builder.block
            loop, done = builder.append_basic_block("fmas"), builder.append_basic_block("fmas_done")
            builder.cbranch(builder.icmp_signed(">", count, ir.Constant(count.type, 0)), loop, done)
            builder.position_at_end(loop)
            i = builder.phi(count.type)
            values = [builder.phi(vector) for _ in range(chains)]
            updated = [builder.call(fma, [value, times, plus]) for value in values]   # a ← a·0.999 + 0.001
            for value, first, new in zip(values, firsts, updated):
                value.add_incoming(first, before)
                value.add_incoming(new, loop)
            following = builder.add(i, ir.Constant(count.type, 1))
            i.add_incoming(ir.Constant(count.type, 0), before)
            i.add_incoming(following, loop)
            builder.cbranch(builder.icmp_signed("<", following, count), loop, done)
            builder.position_at_end(done)
            lasts = [builder.phi(vector) for _ in range(chains)]
            for last, first, new in zip(lasts, firsts, updated):
                last.add_incoming(first, before)
                last.add_incoming(new, loop)
            total = ir.Constant(ir.FloatType(), 0.0)
            for last in lasts:
                total = builder.fadd(total, builder.extract_element(last, ir.Constant(ir.IntType(32), 0)))
            return total
        return types.float32(types.intp), codegen

    @njit(cache=False)
    def loop(iterations):
        return fma_chains(iterations)           # the sum keeps LLVM from dropping the loop
    return loop
