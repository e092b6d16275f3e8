using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;

namespace AutoGrad.Benchmarks.Peak;

/// <summary>
/// The machine's single-core float32 FMA peak, the denominator of "% of peak" for GEMM-heavy rows. Each benchmark's
/// operation is one floating-point operation (an FMA counts as two), so BenchmarkDotNet's ns/op inverts to GFLOP/s.
/// </summary>
/// <remarks>
/// An FMA has a latency of about 4 cycles and there are two FMA pipes, so at least 8 independent dependency chains are
/// needed to keep both busy. Vector512 uses 16 accumulators (AVX-512 has 32 registers); Vector256 uses 12 (AVX2 has
/// 16 registers, and two hold the constant operands). Where Vector512 is not hardware accelerated the runtime
/// emulates it with pairs of 256-bit operations, and that row then measures the emulation, not a peak.
/// </remarks>
[MemoryDiagnoser]
public class FmaThroughputBenchmarks
{
    private const int Iterations = 1 << 16;
    private const int Accumulators512 = 16;
    private const int Accumulators256 = 12;
    private const int Flops512 = Iterations * Accumulators512 * 16 * 2;
    private const int Flops256 = Iterations * Accumulators256 * 8 * 2;

    // Fields rather than constants, so the JIT cannot fold the chains away.
    private float _start = 0.5f;
    private float _multiplier = 0.9999999f;
    private float _addend = 1e-7f;

    /// <summary>Vector512 FMAs on 16 independent accumulators.</summary>
    /// <returns>A sum of the accumulators, so the work is not eliminated.</returns>
    [Benchmark(OperationsPerInvoke = Flops512, Description = "fma_peak_vector512_f32" + BenchmarkRows.Flop)]
    public float Vector512Fma()
    {
        Vector512<float> m = Vector512.Create(_multiplier);
        Vector512<float> a = Vector512.Create(_addend);
        Vector512<float> s0 = Vector512.Create(_start), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0;
        Vector512<float> s8 = s0, s9 = s0, s10 = s0, s11 = s0, s12 = s0, s13 = s0, s14 = s0, s15 = s0;
        for (int i = 0; i < Iterations; i++)
        {
            s0 = Vector512.FusedMultiplyAdd(s0, m, a);
            s1 = Vector512.FusedMultiplyAdd(s1, m, a);
            s2 = Vector512.FusedMultiplyAdd(s2, m, a);
            s3 = Vector512.FusedMultiplyAdd(s3, m, a);
            s4 = Vector512.FusedMultiplyAdd(s4, m, a);
            s5 = Vector512.FusedMultiplyAdd(s5, m, a);
            s6 = Vector512.FusedMultiplyAdd(s6, m, a);
            s7 = Vector512.FusedMultiplyAdd(s7, m, a);
            s8 = Vector512.FusedMultiplyAdd(s8, m, a);
            s9 = Vector512.FusedMultiplyAdd(s9, m, a);
            s10 = Vector512.FusedMultiplyAdd(s10, m, a);
            s11 = Vector512.FusedMultiplyAdd(s11, m, a);
            s12 = Vector512.FusedMultiplyAdd(s12, m, a);
            s13 = Vector512.FusedMultiplyAdd(s13, m, a);
            s14 = Vector512.FusedMultiplyAdd(s14, m, a);
            s15 = Vector512.FusedMultiplyAdd(s15, m, a);
        }
        Vector512<float> total = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))
            + ((s8 + s9) + (s10 + s11)) + ((s12 + s13) + (s14 + s15));
        return Vector512.Sum(total);
    }

    /// <summary>Vector256 FMAs on 12 independent accumulators.</summary>
    /// <returns>A sum of the accumulators, so the work is not eliminated.</returns>
    [Benchmark(OperationsPerInvoke = Flops256, Description = "fma_peak_vector256_f32" + BenchmarkRows.Flop)]
    public float Vector256Fma()
    {
        Vector256<float> m = Vector256.Create(_multiplier);
        Vector256<float> a = Vector256.Create(_addend);
        Vector256<float> s0 = Vector256.Create(_start), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0;
        Vector256<float> s6 = s0, s7 = s0, s8 = s0, s9 = s0, s10 = s0, s11 = s0;
        for (int i = 0; i < Iterations; i++)
        {
            s0 = Vector256.FusedMultiplyAdd(s0, m, a);
            s1 = Vector256.FusedMultiplyAdd(s1, m, a);
            s2 = Vector256.FusedMultiplyAdd(s2, m, a);
            s3 = Vector256.FusedMultiplyAdd(s3, m, a);
            s4 = Vector256.FusedMultiplyAdd(s4, m, a);
            s5 = Vector256.FusedMultiplyAdd(s5, m, a);
            s6 = Vector256.FusedMultiplyAdd(s6, m, a);
            s7 = Vector256.FusedMultiplyAdd(s7, m, a);
            s8 = Vector256.FusedMultiplyAdd(s8, m, a);
            s9 = Vector256.FusedMultiplyAdd(s9, m, a);
            s10 = Vector256.FusedMultiplyAdd(s10, m, a);
            s11 = Vector256.FusedMultiplyAdd(s11, m, a);
        }
        Vector256<float> total = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)) + ((s8 + s9) + (s10 + s11));
        return Vector256.Sum(total);
    }
}
