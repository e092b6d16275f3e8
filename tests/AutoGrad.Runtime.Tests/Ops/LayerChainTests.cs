using System;
using AutoGrad.Kernels;
using AutoGrad.Runtime.Tests.Support;
using AutoGrad.Testing;
using Xunit;

namespace AutoGrad.Runtime.Tests.Ops;

/// <summary>
/// The LinearActivationInto overload a chain of fused layers calls: each layer keeps its output feature-major for the
/// next, which then multiplies without transposing its weights. Every output must have the bits of the plain overload,
/// and the kept copy must be the output's transpose.
/// </summary>
public class LayerChainTests
{
    private static readonly OpSite Site = new("LinearActivation", "Chain.cs", 1, "x", "w", "b", "activation");

    /// <summary>Runs a chain of layers both ways and compares every layer's output bit for bit.</summary>
    private static void AssertChainMatches(FusedActivation activation, int batch, params int[] widths)
    {
        Tensor x = TestRandom.Tensor(1, batch, widths[0]);
        Tensor plainInput = x, chainedInput = x;
        Tensor? chainedInputTransposed = null;
        for (int l = 0; l + 1 < widths.Length; l++)
        {
            Tensor w = TestRandom.Tensor(10 + l, 1.5f / MathF.Sqrt(widths[l]), widths[l + 1], widths[l]);
            Tensor b = TestRandom.Tensor(20 + l, 0.1f, widths[l + 1]);
            Tensor? plain = null, chained = null, chainedTransposed = null;

            Nn.LinearActivationInto(ref plain, plainInput, w, b, activation, Site);
            Nn.LinearActivationInto(ref chained, ref chainedTransposed, chainedInput, chainedInputTransposed, w, b, activation, Site);

            float[] expected = plain!.ToArray(), actual = chained!.ToArray();
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                    $"layer {l}, element {i}: {actual[i]} against {expected[i]}");
            }
            if (chainedTransposed is not null)
            {
                Assert.Equal(new[] { widths[l + 1], batch }, chainedTransposed.Shape.ToArray());
                for (int r = 0; r < batch; r++)
                {
                    for (int c = 0; c < widths[l + 1]; c++)
                    {
                        Assert.Equal(chained[r, c], chainedTransposed[c, r]);
                    }
                }
            }
            plainInput = plain;
            chainedInput = chained;
            chainedInputTransposed = chainedTransposed;
        }
    }

    [Theory]
    [InlineData(32, new[] { 64, 64, 64, 64 })]   // the 21-layer network's shape
    [InlineData(32, new[] { 48, 32, 64, 32 })]   // narrowing and widening
    [InlineData(64, new[] { 20, 128, 32 })]      // a first layer whose inputs are no multiple of 16
    public void ATanhChainGivesThePlainBits(int batch, int[] widths) => AssertChainMatches(FusedActivation.Tanh, batch, widths);

    [Theory]
    [InlineData(FusedActivation.Relu, 32, new[] { 64, 64, 64 })]      // another activation
    [InlineData(FusedActivation.Sigmoid, 32, new[] { 64, 64, 64 })]
    [InlineData(FusedActivation.Tanh, 10, new[] { 64, 64, 64 })]      // a batch in no whole 16s
    [InlineData(FusedActivation.Tanh, 32, new[] { 300, 64, 64 })]     // more inputs than one k block
    [InlineData(FusedActivation.Tanh, 16, new[] { 16, 16, 16 })]      // too small for the packed product
    public void OtherLayersRunBatchMajorAndKeepNoCopy(FusedActivation activation, int batch, int[] widths)
    {
        Tensor x = TestRandom.Tensor(3, batch, widths[0]);
        Tensor w = TestRandom.Tensor(4, widths[1], widths[0]);
        Tensor b = TestRandom.Tensor(5, widths[1]);
        Tensor? result = null;
        Tensor? kept = Tensor.Zeros(1);

        Nn.LinearActivationInto(ref result, ref kept, x, null, w, b, activation, Site);

        Assert.Null(kept!.TransposeOf);
        AssertChainMatches(activation, batch, widths);
    }

    [Fact]
    public void ACopyOfTheWrongShapeIsNotRead()
    {
        Tensor x = TestRandom.Tensor(6, 32, 64), w = TestRandom.Tensor(7, 64, 64), b = TestRandom.Tensor(8, 64);
        Tensor? plain = null, chained = null, kept = null;
        Nn.LinearActivationInto(ref plain, x, w, b, FusedActivation.Tanh, Site);

        Nn.LinearActivationInto(ref chained, ref kept, x, Tensor.Zeros(32, 64), w, b, FusedActivation.Tanh, Site);

        Assert.Equal(plain!.ToArray(), chained!.ToArray());
    }

    [Fact]
    public void ACopyOfTheRightShapeMadeForAnotherTensorIsNotRead()
    {
        Tensor x = TestRandom.Tensor(6, 32, 64), other = TestRandom.Tensor(9, 32, 64), w = TestRandom.Tensor(7, 64, 64), b = TestRandom.Tensor(8, 64);
        Tensor? plain = null, otherOut = null, otherTransposed = null, chained = null, kept = null;
        Nn.LinearActivationInto(ref plain, x, w, b, FusedActivation.Tanh, Site);
        // A feature-major copy a chained layer made, but of another layer's output.
        Nn.LinearActivationInto(ref otherOut, ref otherTransposed, other, null, w, b, FusedActivation.Tanh, Site);

        Nn.LinearActivationInto(ref chained, ref kept, x, otherTransposed, w, b, FusedActivation.Tanh, Site);

        Assert.Equal(plain!.ToArray(), chained!.ToArray());
    }

    [Fact]
    public void AChainAlternatingBetweenABatchItTakesAndOneItDoesNotAllocatesNothing()
    {
        // Batch 32 runs the feature-major chain and batch 17 does not: the copies' buffers must survive the 17s.
        if (!TanhFeatureMajor.Suits(64, 32, 64))
        {
            return; // no AVX-512: every layer runs batch-major
        }
        const int Layers = 3;
        Tensor[] w = new Tensor[Layers], b = new Tensor[Layers];
        for (int l = 0; l < Layers; l++)
        {
            w[l] = TestRandom.Tensor(10 + l, 0.2f, 64, 64);
            b[l] = TestRandom.Tensor(20 + l, 0.1f, 64);
        }
        Tensor?[] outputs = new Tensor?[Layers], transposed = new Tensor?[Layers];
        Tensor x32 = TestRandom.Tensor(1, 32, 64), x17 = TestRandom.Tensor(2, 17, 64);
        float[] Step(Tensor x)
        {
            Tensor input = x;
            Tensor? inputTransposed = null;
            for (int l = 0; l < Layers; l++)
            {
                Nn.LinearActivationInto(ref outputs[l], ref transposed[l], input, inputTransposed, w[l], b[l], FusedActivation.Tanh, Site);
                input = outputs[l]!;
                inputTransposed = transposed[l];
            }
            return input.ToArray();
        }
        float[] first32 = Step(x32), first17 = Step(x17);
        Allocations.AssertNoneAfterWarmUp(() =>
        {
            Nn.LinearActivationInto(ref outputs[0], ref transposed[0], x32, null, w[0], b[0], FusedActivation.Tanh, Site);
            Nn.LinearActivationInto(ref outputs[1], ref transposed[1], outputs[0]!, transposed[0], w[1], b[1], FusedActivation.Tanh, Site);
            Nn.LinearActivationInto(ref outputs[0], ref transposed[0], x17, null, w[0], b[0], FusedActivation.Tanh, Site);
            Nn.LinearActivationInto(ref outputs[1], ref transposed[1], outputs[0]!, transposed[0], w[1], b[1], FusedActivation.Tanh, Site);
        }, warmUp: 20, window: 10);
        Assert.Equal(first32, Step(x32));
        Assert.Equal(first17, Step(x17));
    }

    [Fact]
    public void BadShapesAreReportedAsByThePlainOverload()
    {
        Tensor x = TestRandom.Tensor(6, 32, 48), w = TestRandom.Tensor(7, 64, 64), b = TestRandom.Tensor(8, 64);
        Tensor? result = null, kept = null;

        var e = Assert.Throws<ShapeMismatchException>(() =>
            Nn.LinearActivationInto(ref result, ref kept, x, null, w, b, FusedActivation.Tanh, Site));

        Assert.Contains("Chain.cs:1", e.Message);
    }

    [Fact]
    public void TheFeatureMajorTanhCountsSaturationAsTheTanhKernel()
    {
        if (!TanhFeatureMajor.Suits(32, 32, 64))
        {
            return; // no AVX-512: the layer runs batch-major, whose count TanhKernelTests check
        }
        float[] z = TestRandom.Floats(32 * 32, 9, 4f), bias = TestRandom.Floats(32, 10, 0.5f);
        float[] expected = new float[z.Length];
        for (int o = 0; o < 32; o++)
        {
            for (int c = 0; c < 32; c++)
            {
                expected[o * 32 + c] = z[o * 32 + c] + bias[o];
            }
        }
        long expectedCount = TanhKernel.Apply(expected, expected, 0.99f);
        float[] y = new float[z.Length];

        long count;
        unsafe
        {
            fixed (float* pz = z, pb = bias, py = y)
            {
                count = TanhFeatureMajor.Run(pz, pb, 32, 32, py, 0.99f);
            }
        }

        Assert.Equal(expectedCount, count);
        Assert.Equal(expected, z);
        for (int o = 0; o < 32; o++)
        {
            for (int c = 0; c < 32; c++)
            {
                Assert.Equal(z[o * 32 + c], y[c * 32 + o]);
            }
        }
    }

    [Fact]
    public void TheFeatureMajorTanhWithoutAProbeCountsNothingAndWritesTheSameValues()
    {
        if (!TanhFeatureMajor.Suits(32, 32, 64))
        {
            return; // no AVX-512: the layer runs batch-major, which TanhKernelTests check without counting
        }
        float[] z = TestRandom.Floats(32 * 32, 9, 4f), bias = TestRandom.Floats(32, 10, 0.5f);
        float[] zUncounted = (float[])z.Clone(), y = new float[z.Length], yUncounted = new float[z.Length];

        long counted, uncounted;
        unsafe
        {
            fixed (float* pz = z, pzu = zUncounted, pb = bias, py = y, pyu = yUncounted)
            {
                counted = TanhFeatureMajor.Run(pz, pb, 32, 32, py, 0.99f);
                uncounted = TanhFeatureMajor.Run(pzu, pb, 32, 32, pyu, 0.99f, count: false);
            }
        }

        Assert.True(counted > 0);
        Assert.Equal(0, uncounted);
        Assert.Equal(z, zUncounted);
        Assert.Equal(y, yUncounted);
    }
}

