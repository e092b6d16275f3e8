using System;
using AutoGrad.Kernels;
using BenchmarkDotNet.Attributes;

namespace AutoGrad.Benchmarks.Kernels;

/// <summary>
/// The matrix products the network steps are made of, alone: forward <c>X·Wᵀ</c> (NT) and weight gradient
/// <c>dYᵀ·X</c> (TN) at the shapes of the benchmarked layers (the input gradient, NN, runs on the same packed path as
/// NT; five rows keep <c>compare.sh --quick</c> under five minutes). Each operation is
/// one floating-point operation (a multiply-add counts 2), so 1/ns is GFLOP/s; set beside the network rows and the
/// FMA peak, they say how much of a step's time is GEMM and how close the GEMM is to the machine's peak.
/// </summary>
/// <remarks>Shapes are C[M,N] = op(A)·op(B) with inner dimension K. One method per shape, because
/// <c>OperationsPerInvoke</c> is a constant of the attribute.</remarks>
[MemoryDiagnoser]
public class GemmBenchmarks
{
    private const string Row = "gemm_";
    private float[] _a = [];
    private float[] _b = [];
    private float[] _c = [];
    private float[] _bias = [];

    /// <summary>Operands large enough for the biggest shape, filled once; one kernel thread; every path of the GEMM
    /// at steady state (see <see cref="SteadyState"/>).</summary>
    [GlobalSetup]
    public void Setup()
    {
        KernelOptions.MaxDegreeOfParallelism = 1;
        var random = new Random(1);
        _a = Fill(1024 * 1024, random);
        _b = Fill(1024 * 1024, random);
        _c = new float[1024 * 1024];
        _bias = Fill(1024, random);
        // The small shapes reach every packing and micro-kernel method the large ones call, in far less time.
        SteadyState.Reach(() =>
        {
            Multiply("NT", 32, 64, 64);
            Multiply("TN", 128, 784, 64);
            Multiply("NN", 64, 64, 64);
            Multiply("NT", 1, 128, 784);
        });
    }

    /// <summary>784 → 128 forward at batch 64 (the 784-128-64-10 step's largest product).</summary>
    [Benchmark(OperationsPerInvoke = 2 * 64 * 128 * 784, Description = Row + "nt_64x128x784" + BenchmarkRows.Throughput)]
    public void Nt64x128x784() => Multiply("NT", 64, 128, 784);

    /// <summary>A 64 → 64 tanh layer at batch 32 (the deep step's product).</summary>
    [Benchmark(OperationsPerInvoke = 2 * 32 * 64 * 64, Description = Row + "nt_32x64x64" + BenchmarkRows.Throughput)]
    public void Nt32x64x64() => Multiply("NT", 32, 64, 64);

    /// <summary>784 → 128 forward at batch 1: a matrix-vector product bound by streaming the weights.</summary>
    [Benchmark(OperationsPerInvoke = 2 * 1 * 128 * 784, Description = Row + "nt_1x128x784" + BenchmarkRows.Throughput)]
    public void Nt1x128x784() => Multiply("NT", 1, 128, 784);

    /// <summary>1024 → 1024 forward at batch 256.</summary>
    [Benchmark(OperationsPerInvoke = 2 * 256 * 1024 * 1024, Description = Row + "nt_256x1024x1024" + BenchmarkRows.Throughput)]
    public void Nt256x1024x1024() => Multiply("NT", 256, 1024, 1024);

    /// <summary>Its weight gradient (the bias gradient is summed while dYᵀ is packed, as in a layer's backward).</summary>
    [Benchmark(OperationsPerInvoke = 2 * 1024 * 1024 * 256, Description = Row + "tn_1024x1024x256" + BenchmarkRows.Throughput)]
    public void Tn1024x1024x256() => Multiply("TN", 1024, 1024, 256);

    private void Multiply(string ops, int m, int n, int k)
    {
        bool transA = ops[0] == 'T', transB = ops[1] == 'T';
        // A linear layer's forward (NT) adds its bias in the GEMM's epilogue, so that product is timed with it.
        Gemm.Multiply(transA, transB, m, n, k, _a, transA ? m : k, _b, transB ? k : n, _c, n,
            accumulate: false, bias: transB ? _bias.AsSpan(0, n) : default);
    }

    private static float[] Fill(int count, Random random)
    {
        var values = new float[count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)random.NextDouble() - 0.5f;
        }
        return values;
    }
}
