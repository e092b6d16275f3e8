using System;

namespace AutoGrad.Benchmarks.Objectives;

/// <summary>An LSTM input of a given size, in the layouts <see cref="Lstm"/> expects.</summary>
/// <param name="L">The number of layers.</param>
/// <param name="C">The number of characters.</param>
/// <param name="B">The number of hidden units (the character width).</param>
/// <param name="MainParams">Layer weights and biases, 8·B·L.</param>
/// <param name="ExtraParams">Input weights, output weights and output biases, 3·B.</param>
/// <param name="State">The initial state, 2·B·L.</param>
/// <param name="Sequence">The characters, C·B.</param>
public sealed record LstmProblem(int L, int C, int B, double[] MainParams, double[] ExtraParams, double[] State, double[] Sequence)
{
    /// <summary>Random parameters and state in [−1, 1) and sequence values in [0, 1).</summary>
    /// <param name="l">The number of layers.</param>
    /// <param name="c">The number of characters.</param>
    /// <param name="b">The number of hidden units.</param>
    /// <param name="seed">The seed.</param>
    /// <returns>The problem.</returns>
    public static LstmProblem Create(int l, int c, int b, int seed)
    {
        var random = new Random(seed);
        return new LstmProblem(
            l, c, b,
            RandomData.Uniform(random, 8 * b * l, -1.0, 1.0),
            RandomData.Uniform(random, 3 * b, -1.0, 1.0),
            RandomData.Uniform(random, 2 * b * l, -1.0, 1.0),
            RandomData.Uniform(random, c * b, 0.0, 1.0));
    }

    /// <summary>The size as it appears in benchmark row names, e.g. <c>l2_c1024_b14</c>.</summary>
    /// <returns>The size label.</returns>
    public override string ToString() => $"l{L}_c{C}_b{B}";
}
