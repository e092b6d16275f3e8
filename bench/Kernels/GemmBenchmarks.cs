using System.Collections.Generic;
using BenchmarkDotNet.Attributes;

namespace AutoGrad.Kernels.Benchmarks;

/// <summary>
/// The products a linear layer runs: forward <c>X·Wᵀ</c> (NT), weight gradient <c>dYᵀ·X</c> (TN), input gradient
/// <c>dY·W</c> (NN), at the shapes of the 784-128-64-10 batch-64 and 1024-1024-1024 batch-256 MLPs and batch 1.
/// </summary>
public class GemmBenchmarks
{
    private float[] _a = [];
    private float[] _b = [];
    private float[] _c = [];
    private float[] _bias = [];

    [ParamsSource(nameof(Shapes))]
    public GemmShape Shape { get; set; } = null!;

    [Params(1)]
    public int Threads { get; set; }

    public static IEnumerable<GemmShape> Shapes() =>
    [
        new("NT", 64, 128, 784),
        new("TN", 128, 784, 64),
        new("NT", 256, 1024, 1024),
        new("TN", 1024, 1024, 256),
        new("NN", 256, 1024, 1024),
        new("NN", 1024, 1024, 1024),
        new("NT", 1, 128, 784),
        new("TN", 128, 784, 1),
        new("NN", 1, 784, 128),
        new("NT", 1, 16, 16),
    ];

    [GlobalSetup]
    public void Setup()
    {
        var random = new System.Random(1);
        _a = Fill(Shape.M * Shape.K, random);
        _b = Fill(Shape.K * Shape.N, random);
        _c = new float[Shape.M * Shape.N];
        _bias = Fill(Shape.N, random);
        KernelOptions.MaxDegreeOfParallelism = Threads;
    }

    [Benchmark]
    public void Multiply()
    {
        GemmShape s = Shape;
        Gemm.Multiply(
            s.TransA, s.TransB, s.M, s.N, s.K, _a, s.TransA ? s.M : s.K, _b, s.TransB ? s.K : s.N, _c, s.N,
            accumulate: false, bias: s.TransB ? _bias : default);
    }

    private static float[] Fill(int count, System.Random random)
    {
        var values = new float[count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)random.NextDouble() - 0.5f;
        }
        return values;
    }
}

/// <summary>A product shape: <c>C[M,N] = op(A)·op(B)</c> with op given by the two letters (N = as stored, T = transposed).</summary>
public sealed record GemmShape(string Ops, int M, int N, int K) : IFlopCount
{
    public bool TransA => Ops[0] == 'T';
    public bool TransB => Ops[1] == 'T';
    public double Flops => 2.0 * M * N * K;
    public override string ToString() => $"{Ops} {M}x{N}x{K}";
}
