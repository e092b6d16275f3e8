using System;
using BenchmarkDotNet.Running;

namespace AutoGrad.Benchmarks;

/// <summary>
/// Entry point: <c>AutoGrad.Benchmarks [--quick] [BenchmarkDotNet options such as --filter '*Lstm*']</c>.
/// Without a filter BenchmarkDotNet asks interactively which benchmarks to run. <c>AutoGrad.Benchmarks --paired
/// [--quick] [--out FILE]</c> measures the network ratios in one process instead (see <see cref="Networks.PairedRatios"/>).
/// </summary>
public static class Program
{
    /// <summary>Runs the selected benchmarks.</summary>
    /// <param name="args">The command line; <c>--quick</c> selects the short job, the rest goes to BenchmarkDotNet.</param>
    /// <returns>0, or 1 when a benchmark failed to run.</returns>
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "--paired")
        {
            return Networks.PairedRatios.Run(args[1..]);
        }
        bool quick = Array.IndexOf(args, "--quick") >= 0;
        string[] rest = Array.FindAll(args, a => a != "--quick");
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(rest, BenchConfig.Create(quick));
        foreach (var summary in summaries)
        {
            if (summary.HasCriticalValidationErrors || summary.Reports.IsEmpty)
            {
                return 1;
            }
            foreach (var report in summary.Reports)
            {
                if (!report.Success)
                {
                    return 1;
                }
            }
        }
        return 0;
    }
}
