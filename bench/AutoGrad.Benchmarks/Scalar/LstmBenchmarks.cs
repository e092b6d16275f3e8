using AutoGrad.Benchmarks.Objectives;
using BenchmarkDotNet.Attributes;

namespace AutoGrad.Benchmarks.Scalar;

/// <summary>The ADBench LSTM objective at l = 2, c = 1024, b = 14: primal against the hand-written gradient.</summary>
[MemoryDiagnoser]
public class LstmBenchmarks
{
    private const string Row = "lstm_l2_c1024_b14";
    private readonly LstmProblem _problem = LstmProblem.Create(2, 1024, 14, seed: 5);
    private readonly double[] _dMainParams = new double[8 * 14 * 2];
    private readonly double[] _dExtraParams = new double[3 * 14];

    /// <summary>The primal.</summary>
    /// <returns>The value, so the call is not eliminated.</returns>
    [Benchmark(Description = Row + BenchmarkRows.Primal)]
    public double Primal()
    {
        LstmProblem p = _problem;
        return Lstm.Objective(p.MainParams, p.ExtraParams, p.State, p.Sequence, p.L, p.C, p.B);
    }

    /// <summary>The hand-written gradient.</summary>
    /// <returns>The value.</returns>
    [Benchmark(Description = Row + BenchmarkRows.HandWritten)]
    public double HandWritten()
    {
        LstmProblem p = _problem;
        return Lstm.ObjectiveGradientByHand(p.MainParams, p.ExtraParams, p.State, p.Sequence, p.L, p.C, p.B,
            _dMainParams, _dExtraParams);
    }

    /// <summary>The gradient generated from <see cref="Lstm.Objective"/>.</summary>
    /// <returns>The value.</returns>
    [Benchmark(Description = Row + BenchmarkRows.Generated)]
    public double Generated()
    {
        LstmProblem p = _problem;
        return Lstm.ObjectiveGradient(p.MainParams, p.ExtraParams, p.State, p.Sequence, p.L, p.C, p.B, _dMainParams, _dExtraParams);
    }
}
