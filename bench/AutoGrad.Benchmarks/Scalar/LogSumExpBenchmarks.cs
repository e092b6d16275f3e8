using AutoGrad.Benchmarks.Objectives;
using BenchmarkDotNet.Attributes;

namespace AutoGrad.Benchmarks.Scalar;

/// <summary>Log-sum-exp, n = 10⁴: primal against the hand-written gradient.</summary>
[MemoryDiagnoser]
public class LogSumExpBenchmarks
{
    private const string Row = "logsumexp_n10000";
    private readonly double[] _x = RandomData.Uniform(new System.Random(2), LogSumExp.BenchmarkSize, -5.0, 5.0);
    private readonly double[] _dX = new double[LogSumExp.BenchmarkSize];

    /// <summary>The primal.</summary>
    /// <returns>The value, so the call is not eliminated.</returns>
    [Benchmark(Description = Row + BenchmarkRows.Primal)]
    public double Primal() => LogSumExp.Objective(_x);

    /// <summary>The hand-written gradient.</summary>
    /// <returns>The value.</returns>
    [Benchmark(Description = Row + BenchmarkRows.HandWritten)]
    public double HandWritten() => LogSumExp.ObjectiveGradientByHand(_x, _dX);

    /// <summary>The gradient generated from <see cref="LogSumExp.Objective"/>.</summary>
    /// <returns>The value.</returns>
    [Benchmark(Description = Row + BenchmarkRows.Generated)]
    public double Generated() => LogSumExp.ObjectiveGradient(_x, _dX);
}
