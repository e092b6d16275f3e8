using System.Collections.Generic;
using System.Linq;
using AutoGrad.Kernels;
using AutoGrad.Probes;
using BenchmarkDotNet.Attributes;

namespace AutoGrad.Benchmarks.Networks;

/// <summary>
/// The five training steps of bench/networks.json: hand-written, generated with probes off, and generated with
/// probes on. Rows are <c>mlp_{Network}</c>, e.g. <c>mlp_784-128-64-10_relu_b64</c>.
/// </summary>
[MemoryDiagnoser]
public class NetworkBenchmarks
{
    private const string Row = "mlp";
    private NetworkProblem _problem = null!;
    private GradientProbes _probes = null!;

    /// <summary>The configuration's key (see <see cref="NetworkConfig.Key"/>).</summary>
    [ParamsSource(nameof(Networks))]
    public string Network { get; set; } = "";

    /// <summary>Every configuration's key.</summary>
    public static IEnumerable<string> Networks => NetworkConfig.All.Select(c => c.Key);

    /// <summary>Builds the problem and the probe buffer once, with one kernel thread as the issue measures, and runs
    /// the hand-written step to steady state (see <see cref="SteadyState"/>).</summary>
    [GlobalSetup(Target = nameof(HandWritten))]
    public void SetupHandWritten() => Setup(() => _problem.HandWritten());

    /// <summary>The same for the generated step, probes off.</summary>
    [GlobalSetup(Target = nameof(Generated))]
    public void SetupGenerated() => Setup(() => _problem.Generated(null));

    /// <summary>The same for the generated step with probes on.</summary>
    [GlobalSetup(Target = nameof(GeneratedProbes))]
    public void SetupGeneratedProbes() => Setup(() => _problem.Generated(_probes));

    /// <summary>The hand-written step.</summary>
    /// <returns>The loss, so the call is not eliminated.</returns>
    [Benchmark(Description = Row + BenchmarkRows.HandWritten)]
    public float HandWritten() => _problem.HandWritten();

    /// <summary>The generated step, probes off.</summary>
    /// <returns>The loss.</returns>
    [Benchmark(Description = Row + BenchmarkRows.Generated)]
    public float Generated() => _problem.Generated(null);

    /// <summary>The generated step with every probe reading taken.</summary>
    /// <returns>The loss.</returns>
    [Benchmark(Description = Row + BenchmarkRows.GeneratedProbes)]
    public float GeneratedProbes() => _problem.Generated(_probes);

    // Each benchmark runs in its own process, so each warms only the step it measures.
    private void Setup(System.Action step)
    {
        KernelOptions.MaxDegreeOfParallelism = 1;
        _problem = new NetworkProblem(NetworkConfig.Find(Network));
        _probes = new GradientProbes(_problem.ProbeLayout);
        SteadyState.Reach(step);
    }
}
