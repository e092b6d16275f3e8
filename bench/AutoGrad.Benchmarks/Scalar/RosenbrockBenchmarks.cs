using AutoGrad.Benchmarks.Objectives;
using BenchmarkDotNet.Attributes;

namespace AutoGrad.Benchmarks.Scalar;

/// <summary>Rosenbrock, n = 10⁵: primal against the hand-written gradient.</summary>
[MemoryDiagnoser]
public class RosenbrockBenchmarks
{
    private const string Row = "rosenbrock_n100000";
    private readonly double[] _x = RandomData.Uniform(new System.Random(1), Rosenbrock.BenchmarkSize, -1.2, 1.2);
    private readonly double[] _dX = new double[Rosenbrock.BenchmarkSize];

    /// <summary>The primal.</summary>
    /// <returns>The value, so the call is not eliminated.</returns>
    [Benchmark(Description = Row + BenchmarkRows.Primal)]
    public double Primal() => Rosenbrock.Objective(_x);

    /// <summary>The hand-written gradient.</summary>
    /// <returns>The value.</returns>
    [Benchmark(Description = Row + BenchmarkRows.HandWritten)]
    public double HandWritten() => Rosenbrock.ObjectiveGradientByHand(_x, _dX);

    /// <summary>The gradient generated from <see cref="Rosenbrock.Objective"/>.</summary>
    /// <returns>The value.</returns>
    [Benchmark(Description = Row + BenchmarkRows.Generated)]
    public double Generated() => Rosenbrock.ObjectiveGradient(_x, _dX);
}
