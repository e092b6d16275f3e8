using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using AutoGrad.Kernels;
using AutoGrad.Probes;

namespace AutoGrad.Benchmarks.Networks;

/// <summary>
/// The ratios the issues bound (generated over hand-written, probes on over probes off for networks; generated over
/// hand-written and over the primal for scalar objectives), measured so that load from other processes cancels: the
/// three calls of a row take turns in one process, in short rounds, and each ratio is the median over rounds of the
/// ratio within a round.
/// </summary>
/// <remarks>
/// BenchmarkDotNet runs each step in its own process, one after another, and on a machine whose two cores other
/// sessions share, the load during one process is not the load during the next: medians of otherwise identical code
/// moved by 10–30% between processes. Times within one round are seconds apart at most, so their ratio sees the same
/// load. This measures ratios only; absolute times come from BenchmarkDotNet.
/// </remarks>
public static class PairedRatios
{
    private const string Usage = "AutoGrad.Benchmarks --paired [--quick] [--out FILE]";

    /// <summary>Measures every network and writes JSON to the console and, with <c>--out</c>, to a file.</summary>
    /// <param name="args">The command line after <c>--paired</c>.</param>
    /// <returns>0, or 2 for an unknown argument.</returns>
    public static int Run(string[] args)
    {
        bool quick = false;
        string? output = null;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--quick")
            {
                quick = true;
            }
            else if (args[i] == "--out" && i + 1 < args.Length)
            {
                output = args[++i];
            }
            else
            {
                Console.Error.WriteLine($"unknown argument '{args[i]}'; usage: {Usage}");
                return 2;
            }
        }
        KernelOptions.MaxDegreeOfParallelism = 1;
        var rows = NetworkConfig.All.Select(config => Measure(config, quick ? 40 : 150)).ToList();
        rows.AddRange(Scalar.ScalarPairs.All().Select(pair => MeasureScalar(pair, quick ? 40 : 150)));
        string json = JsonSerializer.Serialize(new { mode = quick ? "quick" : "full", rows }, new JsonSerializerOptions { WriteIndented = true });
        Console.WriteLine(json);
        if (output is not null)
        {
            File.WriteAllText(output, json + Environment.NewLine);
        }
        return 0;
    }

    private static Dictionary<string, object> Measure(NetworkConfig config, int rounds)
    {
        var problem = new NetworkProblem(config);
        var probes = new GradientProbes(problem.ProbeLayout);
        double[][] times = TakeTurns([() => problem.HandWritten(), () => problem.Generated(null), () => problem.Generated(probes)], rounds);
        double Ratio(int a, int b) => Median(Enumerable.Range(0, rounds).Select(r => times[a][r] / times[b][r]));
        return new Dictionary<string, object>
        {
            ["name"] = "mlp_" + config.Key,
            ["rounds"] = rounds,
            ["handwritten_us"] = Median(times[0]),
            ["generated_us"] = Median(times[1]),
            ["generated_probes_us"] = Median(times[2]),
            ["generated_vs_handwritten"] = Ratio(1, 0),
            ["probe_overhead"] = Ratio(2, 1) - 1.0,
        };
    }

    /// <summary>A scalar objective: generated gradient over hand-written gradient and over the primal.</summary>
    private static Dictionary<string, object> MeasureScalar(Scalar.ScalarPairs.Pair pair, int rounds)
    {
        double[][] times = TakeTurns([pair.Primal, pair.HandWritten, pair.Generated], rounds);
        double Ratio(int a, int b) => Median(Enumerable.Range(0, rounds).Select(r => times[a][r] / times[b][r]));
        return new Dictionary<string, object>
        {
            ["name"] = pair.Name,
            ["rounds"] = rounds,
            ["primal_us"] = Median(times[0]),
            ["handwritten_us"] = Median(times[1]),
            ["generated_us"] = Median(times[2]),
            ["generated_vs_handwritten"] = Ratio(2, 1),
            ["generated_vs_primal"] = Ratio(2, 0),
        };
    }

    /// <summary>Each call's time per round, the calls taking turns within a round.</summary>
    private static double[][] TakeTurns(Action[] steps, int rounds)
    {
        SteadyState.Reach(() =>
        {
            foreach (Action step in steps)
            {
                step();
            }
        });
        var times = new double[steps.Length][];
        for (int k = 0; k < steps.Length; k++)
        {
            times[k] = new double[rounds];
        }
        for (int round = 0; round < rounds; round++)
        {
            // Rotating the order keeps any effect of running first or after a particular step out of the ratios.
            for (int j = 0; j < steps.Length; j++)
            {
                int k = (round + j) % steps.Length;
                times[k][round] = MicrosecondsPerCall(steps[k]);
            }
        }
        return times;
    }

    /// <summary>Mean time of the calls that fit in 10 ms (at least one).</summary>
    private static double MicrosecondsPerCall(Action step)
    {
        long start = Stopwatch.GetTimestamp();
        int calls = 0;
        TimeSpan elapsed;
        do
        {
            step();
            calls++;
            elapsed = Stopwatch.GetElapsedTime(start);
        }
        while (elapsed.TotalMilliseconds < 10);
        return elapsed.TotalMicroseconds / calls;
    }

    private static double Median(IEnumerable<double> values)
    {
        double[] sorted = values.Order().ToArray();
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : 0.5 * (sorted[middle - 1] + sorted[middle]);
    }
}
