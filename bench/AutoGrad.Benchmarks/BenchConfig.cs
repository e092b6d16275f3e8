using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Jobs;

namespace AutoGrad.Benchmarks;

/// <summary>The BenchmarkDotNet configuration shared by every run of this project.</summary>
public static class BenchConfig
{
    /// <summary>
    /// The default configuration (which already writes CSV, HTML and a GitHub Markdown table) plus the JSON exporter
    /// bench/merge.py reads, with all benchmarks joined into one summary. The quick job (1 launch, 3 warm-up and
    /// 3 measured iterations) exists so bench/compare.sh --quick stays under five minutes; its medians are noisier,
    /// which the results say.
    /// </summary>
    /// <param name="quick">Use the short job.</param>
    /// <returns>The configuration.</returns>
    public static IConfig Create(bool quick)
    {
        Job job = (quick ? Job.ShortRun.WithId("Quick") : Job.Default.WithId("Full"))
            // The issue measures one core: with a processor count of 1 the runtime (thread pool, Parallel, GC) and
            // any kernel that sizes its parallelism from Environment.ProcessorCount stay on one thread.
            .WithEnvironmentVariables(new EnvironmentVariable("DOTNET_PROCESSOR_COUNT", "1"));
        return DefaultConfig.Instance
            .AddJob(job)
            .AddExporter(JsonExporter.Full)
            .WithOptions(ConfigOptions.JoinSummary);
    }
}
