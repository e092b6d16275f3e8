using System;
using System.Linq;
using Xunit;

namespace AutoGrad.Runtime.Tests.Support;

/// <summary>
/// Checks one op against a float64 reference of its forward: the forward values, then every input's gradient
/// against central finite differences of <c>L = Σ g ⊙ f(inputs)</c> for a random upstream gradient g, in each
/// <see cref="GradTarget"/> mode (overwrite over NaN garbage, accumulate onto random contents, and None for each
/// input while the others are still produced correctly).
/// </summary>
internal sealed class GradientCheck
{
    /// <summary>The op's inputs (scalars are rank-1 tensors of length 1).</summary>
    public required Tensor[] Inputs { get; init; }

    /// <summary>Which inputs get a gradient (default: all).</summary>
    public bool[]? Differentiable { get; init; }

    /// <summary>The op's forward in plain double loops, over the inputs' values.</summary>
    public required Func<double[][], double[]> Reference { get; init; }

    /// <summary>Runs the op's <c>XInto</c> and returns its output values.</summary>
    public required Func<float[]> Forward { get; init; }

    /// <summary>Runs the op's pullback with this upstream gradient and one target per input (None for
    /// non-differentiable inputs).</summary>
    public required Action<float[], GradTarget[]> Pullback { get; init; }

    /// <summary>Relative tolerance on values and gradients (plus the same fraction of the largest magnitude).</summary>
    public double Tolerance { get; init; } = 1e-3;

    public int Seed { get; init; } = 7;

    public void Run()
    {
        double[][] inputs = Inputs.Select(t => t.ToArray().Select(v => (double)v).ToArray()).ToArray();
        float[] output = Forward();
        double[] expectedOutput = Reference(inputs);
        AssertClose(expectedOutput, output.Select(v => (double)v).ToArray(), "forward");

        float[] upstream = TestRandom.Floats(output.Length, Seed + 1);
        double[][] expected = FiniteDifferences(inputs, upstream);
        bool[] active = Differentiable ?? Enumerable.Repeat(true, Inputs.Length).ToArray();

        // Overwrite: buffers hold NaN, so a pullback that reads them instead of overwriting fails.
        Tensor[] buffers = Inputs.Select(t => Filled(t, float.NaN)).ToArray();
        Pullback(upstream, Targets(buffers, active, i => true, accumulate: false));
        for (int i = 0; i < Inputs.Length; i++)
        {
            if (active[i])
            {
                AssertClose(expected[i], ToDouble(buffers[i]), $"overwrite gradient of input {i}");
            }
        }

        // Accumulate: the gradient is added to what is there.
        Tensor[] initial = Inputs.Select((t, i) => TestRandom.Tensor(Seed + 10 + i, t.Shape.ToArray())).ToArray();
        buffers = initial.Select(t => Copy(t)).ToArray();
        Pullback(upstream, Targets(buffers, active, i => true, accumulate: true));
        for (int i = 0; i < Inputs.Length; i++)
        {
            if (active[i])
            {
                double[] sum = expected[i].Zip(initial[i].ToArray(), (g, p) => g + p).ToArray();
                AssertClose(sum, ToDouble(buffers[i]), $"accumulated gradient of input {i}");
            }
        }

        // None for one input at a time: the others are still right, and the skipped buffer is untouched.
        for (int skip = 0; skip < Inputs.Length; skip++)
        {
            if (!active[skip])
            {
                continue;
            }
            buffers = Inputs.Select(t => Filled(t, float.NaN)).ToArray();
            Pullback(upstream, Targets(buffers, active, i => i != skip, accumulate: false));
            for (int i = 0; i < Inputs.Length; i++)
            {
                if (i == skip)
                {
                    Assert.All(buffers[i].ToArray(), v => Assert.True(float.IsNaN(v)));
                }
                else if (active[i])
                {
                    AssertClose(expected[i], ToDouble(buffers[i]), $"gradient of input {i} with input {skip} skipped");
                }
            }
        }
    }

    private double[][] FiniteDifferences(double[][] inputs, float[] upstream)
    {
        var gradients = new double[inputs.Length][];
        for (int i = 0; i < inputs.Length; i++)
        {
            gradients[i] = new double[inputs[i].Length];
            for (int j = 0; j < inputs[i].Length; j++)
            {
                double original = inputs[i][j];
                double h = 1e-6 * Math.Max(1, Math.Abs(original));
                inputs[i][j] = original + h;
                double plus = Weighted(Reference(inputs), upstream);
                inputs[i][j] = original - h;
                double minus = Weighted(Reference(inputs), upstream);
                inputs[i][j] = original;
                gradients[i][j] = (plus - minus) / (2 * h);
            }
        }
        return gradients;
    }

    private static double Weighted(double[] values, float[] upstream)
    {
        double s = 0;
        for (int i = 0; i < values.Length; i++)
        {
            s += values[i] * upstream[i];
        }
        return s;
    }

    private static GradTarget[] Targets(Tensor[] buffers, bool[] active, Func<int, bool> wanted, bool accumulate) =>
        buffers.Select((b, i) => !active[i] || !wanted(i) ? GradTarget.None
            : accumulate ? GradTarget.Accumulate(b) : GradTarget.Overwrite(b)).ToArray();

    private void AssertClose(double[] expected, double[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = expected.Length == 0 ? 0 : expected.Max(Math.Abs);
        for (int i = 0; i < expected.Length; i++)
        {
            double allowed = Tolerance * (Math.Abs(expected[i]) + scale) + 1e-6;
            if (!(Math.Abs(expected[i] - actual[i]) <= allowed))
            {
                Assert.Fail($"{what}[{i}]: expected {expected[i]:G9}, got {actual[i]:G9} (allowed error {allowed:G3})");
            }
        }
    }

    private static double[] ToDouble(Tensor t) => t.ToArray().Select(v => (double)v).ToArray();

    private static Tensor Filled(Tensor like, float value)
    {
        var t = Tensor.Zeros(like.Shape.ToArray());
        t.Span.Fill(value);
        return t;
    }

    private static Tensor Copy(Tensor t) => Tensor.FromValues(t.Span, t.Shape.ToArray());
}
