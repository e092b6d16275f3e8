namespace AutoGrad.Benchmarks;

/// <summary>
/// How a benchmark names the row and column of bench/results/compare.json it measures: its <c>Description</c> is
/// <c>"{row}/{role}"</c>, and the values of its parameters, if any, are appended to the row as <c>_{value}</c>.
/// bench/merge.py reads exactly this convention.
/// </summary>
public static class BenchmarkRows
{
    /// <summary>The primal function alone (scalar objectives): the denominator of the gradient-to-primal ratio.</summary>
    public const string Primal = "/primal";

    /// <summary>The hand-written gradient or backward pass.</summary>
    public const string HandWritten = "/handwritten";

    /// <summary>The generated gradient or training step, probes off.</summary>
    public const string Generated = "/generated";

    /// <summary>The generated training step with gradient probes on.</summary>
    public const string GeneratedProbes = "/generated_probes";

    /// <summary>A throughput benchmark whose one operation is one floating-point operation, so 1/ns is GFLOP/s.</summary>
    public const string Flop = "/flop";

    /// <summary>
    /// A kernel (such as one matrix product) whose one operation is one floating-point operation, timed by its
    /// median like every other row: GFLOP/s and % of peak, not a peak itself.
    /// </summary>
    public const string Throughput = "/throughput";
}
