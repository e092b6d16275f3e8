using System;
using System.Collections.Generic;

namespace AutoGrad.Benchmarks.Scalar;

/// <summary>
/// The scalar objectives' three calls (primal, hand-written gradient, generated gradient) for the paired
/// measurement (<see cref="Networks.PairedRatios"/>), built from the same benchmark classes BenchmarkDotNet runs.
/// </summary>
public static class ScalarPairs
{
    /// <summary>
    /// Where every call's value goes: a discarded value lets the JIT delete the primal's arithmetic, and it measured
    /// the Rosenbrock primal at a third of its time.
    /// </summary>
    public static double Sink;

    /// <summary>A row: its name in compare.json and its three calls.</summary>
    public sealed record Pair(string Name, Action Primal, Action HandWritten, Action Generated);

    /// <summary>
    /// Every scalar row but the d = 64, k = 100 mixture, whose single call takes about a second: rounds of a few
    /// calls would take minutes, and BenchmarkDotNet's medians of it are long enough to be stable on their own.
    /// </summary>
    public static IEnumerable<Pair> All()
    {
        var rosenbrock = new RosenbrockBenchmarks();
        yield return new Pair("rosenbrock_n100000", () => Sink = rosenbrock.Primal(), () => Sink = rosenbrock.HandWritten(), () => Sink = rosenbrock.Generated());
        var logSumExp = new LogSumExpBenchmarks();
        yield return new Pair("logsumexp_n10000", () => Sink = logSumExp.Primal(), () => Sink = logSumExp.HandWritten(), () => Sink = logSumExp.Generated());
        var lstm = new LstmBenchmarks();
        yield return new Pair("lstm_l2_c1024_b14", () => Sink = lstm.Primal(), () => Sink = lstm.HandWritten(), () => Sink = lstm.Generated());
        var mixture = new GaussianMixtureBenchmarks();
        foreach (var problem in GaussianMixtureBenchmarks.Sizes)
        {
            if (problem.D > 10) continue;
            mixture.Problem = problem;
            mixture.Setup();
            yield return new Pair("gmm_" + problem, () => Sink = mixture.Primal(), () => Sink = mixture.HandWritten(), () => Sink = mixture.Generated());
        }
    }
}
