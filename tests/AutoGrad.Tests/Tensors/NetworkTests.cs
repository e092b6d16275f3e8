using System;
using System.Linq;
using AutoGrad.Probes;
using AutoGrad.Testing;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Tensors;

/// <summary>
/// Tensor networks through the generator, cross-checked against the same networks written with scalar loops and
/// differentiated by the core engine, and against finite differences.
/// </summary>
public class NetworkTests
{
    private const int Batch = 5, Inputs = 7, Hidden = 6, Classes = 4;

    private static Tensor Random(int seed, float scale, params int[] shape)
    {
        var t = Tensor.Zeros(shape);
        double[] v = GradCheck.Random(t.Length, seed, -scale, scale);
        for (int i = 0; i < v.Length; i++) t[i] = (float)v[i];
        return t;
    }

    private static double[] ToDouble(Tensor t) => t.ToArray().Select(v => (double)v).ToArray();

    private static void AssertClose(double[] expected, Tensor actual, double tolerance, string name)
    {
        float[] a = actual.ToArray();
        Assert.Equal(expected.Length, a.Length);
        double scale = Math.Max(1e-3, expected.Max(Math.Abs));
        for (int i = 0; i < a.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - a[i]) <= tolerance * scale, $"{name}[{i}]: scalar engine {expected[i]:R}, tensor engine {a[i]:R}");
        }
    }

    [Fact]
    public void MlpMatchesTheScalarEngine()
    {
        Tensor w1 = Random(1, 0.5f, Hidden, Inputs), b1 = Random(2, 0.5f, Hidden);
        Tensor w2 = Random(3, 0.5f, Classes, Hidden), b2 = Random(4, 0.5f, Classes);
        Tensor x = Random(5, 1f, Batch, Inputs);
        int[] labels = { 0, 3, 1, 2, 3 };
        Tensor dW1 = Tensor.Zeros(Hidden, Inputs), dB1 = Tensor.Zeros(Hidden), dW2 = Tensor.Zeros(Classes, Hidden), dB2 = Tensor.Zeros(Classes);

        float loss = Mlp.LossGradient(w1, b1, w2, b2, x, labels, dW1, dB1, dW2, dB2);

        var g1 = new double[w1.Length];
        var g2 = new double[b1.Length];
        var g3 = new double[w2.Length];
        var g4 = new double[b2.Length];
        double expected = ScalarMlp.LossGradient(ToDouble(w1), ToDouble(b1), ToDouble(w2), ToDouble(b2), ToDouble(x), labels,
            Batch, Inputs, Hidden, Classes, g1, g2, g3, g4);
        Assert.Equal(expected, loss, 4);
        Assert.Equal(Mlp.Loss(w1, b1, w2, b2, x, labels), loss);
        AssertClose(g1, dW1, 1e-4, "dW1");
        AssertClose(g2, dB1, 1e-4, "dB1");
        AssertClose(g3, dW2, 1e-4, "dW2");
        AssertClose(g4, dB2, 1e-4, "dB2");
    }

    [Fact]
    public void MlpAgainstFiniteDifferences()
    {
        Tensor w1 = Random(11, 0.5f, Hidden, Inputs), b1 = Random(12, 0.5f, Hidden);
        Tensor w2 = Random(13, 0.5f, Classes, Hidden), b2 = Random(14, 0.5f, Classes);
        Tensor x = Random(15, 1f, Batch, Inputs);
        int[] labels = { 1, 1, 0, 2, 3 };
        Tensor[] parameters = { w1, b1, w2, b2 };
        Tensor[] gradients = parameters.Select(p => Tensor.Zeros(p.Shape.ToArray())).ToArray();
        Mlp.LossGradient(w1, b1, w2, b2, x, labels, gradients[0], gradients[1], gradients[2], gradients[3]);
        GradCheck.Tensors(parameters, gradients, () => Mlp.Loss(w1, b1, w2, b2, x, labels), stride: 3, absolute: 2e-3);
    }

    [Fact]
    public void DeepResidualStackMatchesTheScalarEngine()
    {
        const int layers = 20, width = 4, batch = 3;
        Tensor[] w = Enumerable.Range(0, layers).Select(l => Random(100 + l, 0.4f, width, width)).ToArray();
        Tensor[] b = Enumerable.Range(0, layers).Select(l => Random(200 + l, 0.2f, width)).ToArray();
        Tensor x = Random(7, 1f, batch, width), y = Random(8, 1f, batch, width);
        Tensor[] dW = w.Select(t => Tensor.Zeros(width, width)).ToArray();
        Tensor[] dB = b.Select(t => Tensor.Zeros(width)).ToArray();

        float loss = Mlp.DeepGradient(w, b, x, y, dW, dB);

        double[] wFlat = w.SelectMany(ToDouble).ToArray(), bFlat = b.SelectMany(ToDouble).ToArray();
        var gw = new double[wFlat.Length];
        var gb = new double[bFlat.Length];
        double expected = ScalarMlp.DeepGradient(wFlat, bFlat, ToDouble(x), ToDouble(y), layers, batch, width, gw, gb);
        Assert.Equal(expected, loss, 3);
        for (int l = 0; l < layers; l++)
        {
            AssertClose(gw.Skip(l * width * width).Take(width * width).ToArray(), dW[l], 2e-4, $"dW[{l}]");
            AssertClose(gb.Skip(l * width).Take(width).ToArray(), dB[l], 2e-4, $"dB[{l}]");
        }
    }

    [Fact]
    public void DeepSigmoidStackMatchesTheScalarEngine()
    {
        const int layers = 8, width = 5, batch = 3;
        Tensor[] w = Enumerable.Range(0, layers).Select(l => Random(700 + l, 1.5f, width, width)).ToArray();
        Tensor[] b = Enumerable.Range(0, layers).Select(l => Random(800 + l, 0.5f, width)).ToArray();
        Tensor x = Random(13, 1f, batch, width);
        int[] labels = { 0, 3, 4 };
        Tensor[] dW = w.Select(t => Tensor.Zeros(width, width)).ToArray();
        Tensor[] dB = b.Select(t => Tensor.Zeros(width)).ToArray();

        float loss = DeepSigmoid.LossGradient(w, b, x, labels, dW, dB);

        double[] wFlat = w.SelectMany(ToDouble).ToArray(), bFlat = b.SelectMany(ToDouble).ToArray();
        var gw = new double[wFlat.Length];
        var gb = new double[bFlat.Length];
        double expected = ScalarMlp.DeepSigmoidGradient(wFlat, bFlat, ToDouble(x), labels, layers, batch, width, gw, gb);
        Assert.Equal(expected, loss, 4);
        for (int l = 0; l < layers; l++)
        {
            AssertClose(gw.Skip(l * width * width).Take(width * width).ToArray(), dW[l], 3e-4, $"dW[{l}]");
            AssertClose(gb.Skip(l * width).Take(width).ToArray(), dB[l], 3e-4, $"dB[{l}]");
        }
    }

    [Fact]
    public void StepsAllocateNothingAfterWarmUpAndAreDeterministic()
    {
        Tensor w1 = Random(21, 0.5f, Hidden, Inputs), b1 = Random(22, 0.5f, Hidden);
        Tensor w2 = Random(23, 0.5f, Classes, Hidden), b2 = Random(24, 0.5f, Classes);
        Tensor x = Random(25, 1f, Batch, Inputs);
        int[] labels = { 0, 1, 2, 3, 0 };
        Tensor dW1 = Tensor.Zeros(Hidden, Inputs), dB1 = Tensor.Zeros(Hidden), dW2 = Tensor.Zeros(Classes, Hidden), dB2 = Tensor.Zeros(Classes);
        const int layers = 20, width = 4;
        Tensor[] w = Enumerable.Range(0, layers).Select(l => Random(300 + l, 0.4f, width, width)).ToArray();
        Tensor[] b = Enumerable.Range(0, layers).Select(l => Random(400 + l, 0.2f, width)).ToArray();
        Tensor xd = Random(9, 1f, 3, width), yd = Random(10, 1f, 3, width);
        Tensor[] dW = w.Select(t => Tensor.Zeros(width, width)).ToArray();
        Tensor[] dB = b.Select(t => Tensor.Zeros(width)).ToArray();

        float first = Mlp.LossGradient(w1, b1, w2, b2, x, labels, dW1, dB1, dW2, dB2);
        float[] firstGradient = dW1.ToArray();
        float again = 0;
        Allocations.AssertNoneAfterWarmUp(() => again = Mlp.LossGradient(w1, b1, w2, b2, x, labels, dW1, dB1, dW2, dB2));
        Allocations.AssertNoneAfterWarmUp(() => Mlp.DeepGradient(w, b, xd, yd, dW, dB));
        Assert.Equal(first, again);
        Assert.Equal(firstGradient, dW1.ToArray());
    }

    [Fact]
    public void StepsThatAlternateBetweenTwoBatchSizesAllocateNothingAfterWarmUp()
    {
        // Training batches of one size and a last (or validation) batch of another: each workspace buffer keeps both.
        Tensor w1 = Random(21, 0.5f, Hidden, Inputs), b1 = Random(22, 0.5f, Hidden);
        Tensor w2 = Random(23, 0.5f, Classes, Hidden), b2 = Random(24, 0.5f, Classes);
        Tensor x8 = Random(25, 1f, 8, Inputs), x3 = Random(26, 1f, 3, Inputs);
        int[] labels8 = [0, 1, 2, 3, 0, 1, 2, 3], labels3 = [3, 2, 1];
        Tensor dW1 = Tensor.Zeros(Hidden, Inputs), dB1 = Tensor.Zeros(Hidden), dW2 = Tensor.Zeros(Classes, Hidden), dB2 = Tensor.Zeros(Classes);
        const int width = 16;
        Tensor[] w = Enumerable.Range(0, 20).Select(l => Random(300 + l, 0.2f, width, width)).ToArray();
        Tensor[] b = Enumerable.Range(0, 20).Select(l => Random(400 + l, 0.2f, width)).ToArray();
        Tensor xa = Random(9, 1f, 32, width), ya = Random(10, 1f, 32, width), xb = Random(11, 1f, 7, width), yb = Random(12, 1f, 7, width);
        Tensor[] dW = w.Select(t => Tensor.Zeros(width, width)).ToArray(), dB = b.Select(t => Tensor.Zeros(width)).ToArray();

        float small = Mlp.LossGradient(w1, b1, w2, b2, x3, labels3, dW1, dB1, dW2, dB2);
        float[] smallGradient = dW1.ToArray();
        Allocations.AssertNoneAfterWarmUp(() =>
        {
            Mlp.LossGradient(w1, b1, w2, b2, x8, labels8, dW1, dB1, dW2, dB2);
            Mlp.LossGradient(w1, b1, w2, b2, x3, labels3, dW1, dB1, dW2, dB2);
        });
        Allocations.AssertNoneAfterWarmUp(() =>
        {
            Mlp.DeepGradient(w, b, xa, ya, dW, dB);
            Mlp.DeepGradient(w, b, xb, yb, dW, dB);
        });
        // The reused buffers hold the other batch's values: the results must not depend on them.
        Assert.Equal(small, Mlp.LossGradient(w1, b1, w2, b2, x3, labels3, dW1, dB1, dW2, dB2));
        Assert.Equal(smallGradient, dW1.ToArray());
        GradCheck.Tensors(w.Take(2).Concat(b.Take(1)).ToArray(), dW.Take(2).Concat(dB.Take(1)).ToArray(), () => Mlp.Deep(w, b, xb, yb), stride: 7);
    }

    [Fact]
    public void ShapeMismatchNamesTheOpTheLineAndBothShapes()
    {
        Tensor w1 = Random(31, 0.5f, Hidden, Inputs + 1), b1 = Random(32, 0.5f, Hidden);
        Tensor w2 = Random(33, 0.5f, Classes, Hidden), b2 = Random(34, 0.5f, Classes);
        Tensor x = Random(35, 1f, Batch, Inputs);
        var ex = Assert.Throws<ShapeMismatchException>(() => Mlp.LossGradient(w1, b1, w2, b2, x, new int[Batch],
            Tensor.Zeros(Hidden, Inputs + 1), Tensor.Zeros(Hidden), Tensor.Zeros(Classes, Hidden), Tensor.Zeros(Classes)));
        Assert.StartsWith("Linear at Networks.cs:12: x has 7 features but w1 expects 8", ex.Message);

        // The method itself, called directly (the ops' plain forms take the argument names from the compiler).
        var direct = Assert.Throws<ShapeMismatchException>(() => Mlp.Loss(w1, b1, w2, b2, x, new int[Batch]));
        Assert.Equal(ex.Message, direct.Message);
    }

    [Fact]
    public void AFusedLayerOverSeveralLinesNamesTheLineOfItsLinearCall()
    {
        Tensor w = Random(1, 0.5f, 3, 5), b = Random(2, 0.5f, 3), x = Random(3, 1f, 2, 4);
        var generated = Assert.Throws<ShapeMismatchException>(() => MultiLineLayer.LossGradient(w, b, x, Tensor.Zeros(3, 5), Tensor.Zeros(3)));
        var direct = Assert.Throws<ShapeMismatchException>(() => MultiLineLayer.Loss(w, b, x));
        Assert.StartsWith("Linear at Networks.cs:33: x has 4 features but w expects 5", generated.Message);
        Assert.Equal(direct.Message, generated.Message);
    }

    [Fact]
    public void AShapeMismatchInAnUnrolledLayerNamesThatLayer()
    {
        const int width = 4;
        Tensor[] w = Enumerable.Range(0, 20).Select(l => Random(500 + l, 0.4f, width, width)).ToArray();
        Tensor[] b = Enumerable.Range(0, 20).Select(l => Random(600 + l, 0.1f, width)).ToArray();
        w[7] = Random(507, 0.4f, width, width + 1);
        Tensor x = Random(11, 1f, 3, width), y = Random(12, 1f, 3, width);
        Tensor[] dW = w.Select(t => Tensor.Zeros(t.Shape.ToArray())).ToArray(), dB = b.Select(t => Tensor.Zeros(t.Shape.ToArray())).ToArray();
        var ex = Assert.Throws<ShapeMismatchException>(() => Mlp.DeepGradient(w, b, x, y, dW, dB));
        Assert.StartsWith("Linear at Networks.cs:21: h has 4 features but w[7] expects 5", ex.Message);
    }

    [Fact]
    public void ATensorArrayShorterThanTheUnrolledLoopIsRefusedBeforeAnyWork()
    {
        // The loop reads w[0] … w[19]; with 19 layers the call must fail up front, naming the read, not with an
        // IndexOutOfRangeException after the forward sweep has run through 19 layers.
        const int width = 4, layers = 19;
        Tensor[] w = Enumerable.Range(0, layers).Select(l => Random(500 + l, 0.4f, width, width)).ToArray();
        Tensor[] b = Enumerable.Range(0, layers).Select(l => Random(600 + l, 0.1f, width)).ToArray();
        Tensor x = Random(11, 1f, 3, width), y = Random(12, 1f, 3, width);
        Tensor[] dW = w.Select(t => Sevens(width, width)).ToArray(), dB = b.Select(t => Sevens(width)).ToArray();
        var probes = new GradientProbes(Mlp.DeepProbeLayout);

        var ex = Assert.Throws<ArgumentException>(() => Mlp.DeepGradient(w, b, x, y, dW, dB, probes));
        Assert.Equal("w", ex.ParamName);
        Assert.StartsWith("Deep at Networks.cs:21 reads w[19], but 'w' has 19 tensors; pass at least 20.", ex.Message);
        Assert.All(dW.Concat(dB), g => Assert.All(g.ToArray(), v => Assert.Equal(7f, v)));
        Assert.Equal(0, probes.Generation);

        // b is checked too, and a longer array than the loop reads is fine (its extra gradient is cleared).
        Tensor[] w20 = w.Append(Random(519, 0.4f, width, width)).ToArray(), dW20 = dW.Append(Tensor.Zeros(width, width)).ToArray();
        ex = Assert.Throws<ArgumentException>(() => Mlp.DeepGradient(w20, b, x, y, dW20, dB));
        Assert.Equal("b", ex.ParamName);
        Tensor[] b21 = b.Append(Random(619, 0.1f, width)).Append(Random(620, 0.1f, width)).ToArray();
        Tensor[] w21 = w20.Append(Random(520, 0.4f, width, width)).ToArray();
        Tensor[] dW21 = w21.Select(t => Sevens(width, width)).ToArray(), dB21 = b21.Select(t => Sevens(width)).ToArray();
        Mlp.DeepGradient(w21, b21, x, y, dW21, dB21);
        Assert.All(dW21[20].ToArray(), v => Assert.Equal(0f, v));
        Assert.Contains(dW21[0].ToArray(), v => v != 0f && v != 7f);

        static Tensor Sevens(params int[] shape) => new(Enumerable.Repeat(7f, shape.Aggregate(1, (n, d) => n * d)).ToArray(), shape);
    }

    [Fact]
    public void ATensorArrayShorterThanARolledConstantLoopIsRefusedBeforeAnyWork()
    {
        // 300 layers are past the unrolling limit, so the loop stays a loop; its bounds are still constants, and a
        // too-short array failed with a bare IndexOutOfRangeException in the middle of the forward sweep.
        Tensor[] w = Enumerable.Range(0, 39).Select(l => Random(700 + l, 0.4f, 3, 3)).ToArray();
        Tensor[] dW = w.Select(_ => Tensor.Zeros(3, 3)).ToArray();
        var ex = Assert.Throws<ArgumentException>(() => RolledStack.LossGradient(w, Random(13, 1f, 2, 3), dW));
        Assert.StartsWith("Loss at Networks.cs:152 reads w[299], but 'w' has 39 tensors; pass at least 300.", ex.Message);

        ex = Assert.Throws<ArgumentException>(() => RolledStackAhead.LossGradient(w, Random(13, 1f, 2, 3), dW));
        Assert.StartsWith("Loss at Networks.cs:165 reads w[299], but 'w' has 39 tensors; pass at least 300.", ex.Message);

        Tensor[] w300 = Enumerable.Range(0, 300).Select(l => Random(700 + l, 0.9f, 3, 3)).ToArray(), dW300 = w300.Select(_ => Tensor.Zeros(3, 3)).ToArray();
        Tensor x = Random(13, 1f, 2, 3);
        RolledStack.LossGradient(w300, x, dW300);
        GradCheck.Tensors([w300[298], w300[299]], [dW300[298], dW300[299]], () => RolledStack.Loss(w300, x));
    }

    [Fact]
    public void WrongGradientShapeThrowsBeforeAnyWork()
    {
        Tensor w1 = Random(41, 0.5f, Hidden, Inputs), b1 = Random(42, 0.5f, Hidden);
        Tensor w2 = Random(43, 0.5f, Classes, Hidden), b2 = Random(44, 0.5f, Classes);
        Tensor x = Random(45, 1f, Batch, Inputs);
        var ex = Assert.Throws<ArgumentException>(() => Mlp.LossGradient(w1, b1, w2, b2, x, new int[Batch],
            Tensor.Zeros(Hidden, Inputs), Tensor.Zeros(Hidden + 1), Tensor.Zeros(Classes, Hidden), Tensor.Zeros(Classes)));
        Assert.Equal("dB1", ex.ParamName);
    }

    [Fact]
    public void AGradientBufferThatMatchedOnceIsCheckedAgainAgainstAnotherParameter()
    {
        // The argument check remembers the last pair that matched; a buffer passed for another parameter must still
        // be compared.
        Tensor w1 = Random(41, 0.5f, Hidden, Inputs), b1 = Random(42, 0.5f, Hidden);
        Tensor w2 = Random(43, 0.5f, Classes, Hidden), b2 = Random(44, 0.5f, Classes);
        Tensor x = Random(45, 1f, Batch, Inputs);
        Tensor dW1 = Tensor.Zeros(Hidden, Inputs), dB1 = Tensor.Zeros(Hidden), dW2 = Tensor.Zeros(Classes, Hidden), dB2 = Tensor.Zeros(Classes);
        Mlp.LossGradient(w1, b1, w2, b2, x, new int[Batch], dW1, dB1, dW2, dB2);

        var ex = Assert.Throws<ArgumentException>(() => Mlp.LossGradient(w1, b1, w2, b2, x, new int[Batch], dW1, dB2, dW2, dB1));
        Assert.Equal("dB1", ex.ParamName);
    }

    [Fact]
    public void ProbeLayoutNamesUnrolledLayersAndRecordsReadings()
    {
        ProbeLayout layout = Mlp.DeepProbeLayout;
        Assert.Contains(layout.Sites, s => s.Name == "w[3]" && s.Kind == ProbeKind.Parameter && s.Depth == 3);
        Assert.Contains(layout.Sites, s => s.Name == "h[19]" && s.Kind == ProbeKind.LayerOutput && s.Depth == 19);
        Assert.All(layout.Sites.Where(s => s.Kind == ProbeKind.Parameter), s => Assert.Equal(19, layout.Sites.Where(x => x.Kind == ProbeKind.Parameter).Max(x => x.Depth)));

        const int layers = 20, width = 4;
        Tensor[] w = Enumerable.Range(0, layers).Select(l => Random(500 + l, 0.4f, width, width)).ToArray();
        Tensor[] b = Enumerable.Range(0, layers).Select(l => Random(600 + l, 0.2f, width)).ToArray();
        Tensor x = Random(11, 1f, 3, width), y = Random(12, 1f, 3, width);
        Tensor[] dW = w.Select(t => Tensor.Zeros(width, width)).ToArray();
        Tensor[] dB = b.Select(t => Tensor.Zeros(width)).ToArray();
        var probes = new GradientProbes(layout);
        Mlp.DeepGradient(w, b, x, y, dW, dB, probes);
        int site = layout.IndexOf("w[3]", ProbeKind.Parameter);
        double norm = Math.Sqrt(dW[3].ToArray().Sum(v => (double)v * v));
        Assert.Equal(norm, probes.L2(site), 4);
        Assert.True(probes.L2(layout.IndexOf("h[10]", ProbeKind.LayerOutput)) > 0);
    }

    [Fact]
    public void NonFiniteLossNamesTheFirstOpThatProducedIt()
    {
        Tensor w1 = Random(51, 0.5f, Hidden, Inputs), b1 = Random(52, 0.5f, Hidden);
        Tensor w2 = Random(53, 0.5f, Classes, Hidden), b2 = Random(54, 0.5f, Classes);
        Tensor x = Random(55, 1f, Batch, Inputs);
        w2[5] = float.PositiveInfinity; // the second Linear turns finite inputs into infinities
        var probes = new GradientProbes(Mlp.LossProbeLayout);
        float loss = Mlp.LossGradient(w1, b1, w2, b2, x, new int[Batch], Tensor.Zeros(Hidden, Inputs), Tensor.Zeros(Hidden),
            Tensor.Zeros(Classes, Hidden), Tensor.Zeros(Classes), probes);
        Assert.False(float.IsFinite(loss));
        ProbeSite culprit = Mlp.LossProbeLayout.Sites[probes.FirstNonFiniteSite];
        Assert.Equal(ProbeKind.Operation, culprit.Kind);
        Assert.Equal(13, culprit.Line);
        Assert.False(probes.FirstNonFiniteInputsFinite); // w2 itself holds the infinity: a propagator of bad input
    }
}
