using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using Perfolizer.Horology;

namespace AutoGrad.Benchmarks;

/// <summary>The BenchmarkDotNet configuration shared by every run of this project.</summary>
public static class BenchConfig
{
    // Nine short iterations rather than ShortRun's three long ones: the same time, but a median of nine resists a
    // disturbed iteration (other processes share these cores) much better than a median of three. Two warm-up
    // iterations: the network and GEMM benchmarks reach tier-1 code in their setup (SteadyState), and the scalar
    // objectives are single methods whose loops are optimized within the first call (on-stack replacement).
    private static readonly Job QuickJob = Job.Default
        .WithLaunchCount(1)
        .WithWarmupCount(2)
        .WithIterationCount(9)
        .WithIterationTime(TimeInterval.FromMilliseconds(150))
        .WithId("Quick");

    /// <summary>
    /// The default configuration (which already writes CSV, HTML and a GitHub Markdown table) plus the JSON exporter
    /// bench/merge.py reads, with all benchmarks joined into one summary. The quick job (1 launch, 2 warm-up and
    /// 9 measured iterations of about 150 ms) exists so bench/compare.sh --quick stays under five minutes; its medians
    /// are noisier, which the results say.
    /// </summary>
    /// <param name="quick">Use the short job.</param>
    /// <returns>The configuration.</returns>
    public static IConfig Create(bool quick)
    {
        Job job = (quick ? QuickJob : Job.Default.WithId("Full"))
            // The issue measures one core: with a processor count of 1 the runtime (thread pool, Parallel, GC) and
            // any kernel that sizes its parallelism from Environment.ProcessorCount stay on one thread.
            .WithEnvironmentVariables(
                new EnvironmentVariable("DOTNET_PROCESSOR_COUNT", "1"),
                // Tier-up starts from call counts alone instead of after a 100 ms quiet timer that every newly
                // jitted method restarts; under load that timer stretched warm-up to seconds (see SteadyState). The
                // steady-state (tier-1, profile-guided) code is the same; only the time to reach it changes.
                new EnvironmentVariable("DOTNET_TC_CallCountingDelayMs", "0"));
        return DefaultConfig.Instance
            .AddJob(job)
            .AddExporter(JsonExporter.Full)
            // Parameter values become part of a row's name in bench/merge.py ("mlp" + "_" + Network), so they must
            // not be shortened: the default style cuts values longer than 20 characters.
            .WithSummaryStyle(SummaryStyle.Default.WithMaxParameterColumnWidth(64))
            .WithOptions(ConfigOptions.JoinSummary);
    }
}
