using System;
using System.Linq;
using AutoGrad.Probes;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Tensors;

/// <summary>
/// Gradient buffers that share memory with an argument or with each other. The backward pass reads the arguments
/// while it writes the gradients (a linear layer writes its weight gradient before it reads the weights for the input
/// gradient), so such a call would give wrong gradients without a word: the generated gradient refuses it.
/// </summary>
public static partial class AliasedGradientBuffers
{
    [Differentiable]
    public static float LinearMse(Tensor x, Tensor w, Tensor b, [NoGrad] Tensor y) => Nn.Mse(Nn.Linear(x, w, b), y);

    [Differentiable]
    public static float Stack(Tensor[] w, [NoGrad] Tensor x)
    {
        var h = x;
        for (int l = 0; l < 3; l++) h = Nn.Tanh(Nn.MatMul(h, w[l]));
        return Nn.Sum(h);
    }

    [Differentiable]
    public static float Mixed(Tensor w, float[] v, [NoGrad] Tensor x)
    {
        var ws = w.Span;
        float s = 0;
        for (int i = 0; i < v.Length; i++) s += v[i] * ws[i];
        return s + Nn.Sum(Nn.MatMul(x, w));
    }

    [Differentiable]
    public static double Scaled(double[] w, [NoGrad] double[] x)
    {
        double s = 0;
        for (int i = 0; i < w.Length; i++) s += w[i] * w[i] * x[i];
        return s;
    }
}

public class AliasedGradientBufferTests
{
    private static Tensor Random(int seed, params int[] shape) =>
        Tensor.FromValues(GradCheck.RandomFloat(shape.Aggregate(1, (a, d) => a * d), seed), shape);

    [Fact]
    public void AWeightAsItsOwnGradientIsRefused()
    {
        Tensor x = Random(1, 4, 3), w = Random(2, 2, 3), b = Random(3, 2), y = Random(4, 4, 2);
        Tensor before = Tensor.FromValues(w.Span, 2, 3);
        var e = Assert.Throws<ArgumentException>(() =>
            AliasedGradientBuffers.LinearMseGradient(x, w, b, y, Tensor.Zeros(4, 3), w, Tensor.Zeros(2)));
        Assert.Contains("'dW' shares memory with 'w'", e.Message);
        Assert.Equal(before.Span.ToArray(), w.Span.ToArray()); // refused before any work
    }

    [Fact]
    public void AGradientOverAnInputIsRefused()
    {
        // x [3, 3] and w [3, 3]: dW has x's shape, so only the aliasing check can tell.
        Tensor x = Random(5, 3, 3), w = Random(6, 3, 3), b = Random(7, 3), y = Random(8, 3, 3);
        var e = Assert.Throws<ArgumentException>(() =>
            AliasedGradientBuffers.LinearMseGradient(x, w, b, y, Tensor.Zeros(3, 3), x, Tensor.Zeros(3)));
        Assert.Contains("'dW' shares memory with 'x'", e.Message);
    }

    [Fact]
    public void OneBufferForTwoGradientsOfATensorArrayIsRefused()
    {
        Tensor[] w = [Random(11, 4, 4), Random(12, 4, 4), Random(13, 4, 4)];
        Tensor x = Random(14, 2, 4), shared = Tensor.Zeros(4, 4);
        var e = Assert.Throws<ArgumentException>(() => AliasedGradientBuffers.StackGradient(w, x, [Tensor.Zeros(4, 4), shared, shared]));
        Assert.Contains("'dW[1]' shares memory with 'dW[2]'", e.Message);
    }

    [Fact]
    public void OverlappingViewsAreRefusedAndDisjointViewsOfOneBufferAreNot()
    {
        Tensor[] w = [Random(21, 4, 4), Random(22, 4, 4), Random(23, 4, 4)];
        Tensor x = Random(24, 2, 4);
        var flat = new float[48];
        // Rows 4..7 of a [12, 4] buffer overlap rows 2..5 when the views start at rows 0 and 2.
        Tensor all = new Tensor(flat, 12, 4);
        Tensor[] overlapping = [all.SliceRows(0, 4), all.SliceRows(2, 4), all.SliceRows(8, 4)];
        var e = Assert.Throws<ArgumentException>(() => AliasedGradientBuffers.StackGradient(w, x, overlapping));
        Assert.Contains("'dW[0]' shares memory with 'dW[1]'", e.Message);

        Tensor[] separate = [all.SliceRows(0, 4), all.SliceRows(4, 4), all.SliceRows(8, 4)];
        Tensor[] expected = [Tensor.Zeros(4, 4), Tensor.Zeros(4, 4), Tensor.Zeros(4, 4)];
        float value = AliasedGradientBuffers.StackGradient(w, x, separate);
        Assert.Equal(value, AliasedGradientBuffers.StackGradient(w, x, expected));
        for (int l = 0; l < 3; l++) Assert.Equal(expected[l].Span.ToArray(), separate[l].Span.ToArray());
    }

    [Fact]
    public void TheCheckFollowsTheTensorsOfEachCall()
    {
        // A call that passed is remembered; a later call with one tensor swapped is checked again, and a call
        // after a refused one too.
        Tensor x = Random(31, 4, 3), w = Random(32, 2, 3), b = Random(33, 2), y = Random(34, 4, 2);
        Tensor dX = Tensor.Zeros(4, 3), dW = Tensor.Zeros(2, 3), dB = Tensor.Zeros(2);
        AliasedGradientBuffers.LinearMseGradient(x, w, b, y, dX, dW, dB);
        AliasedGradientBuffers.LinearMseGradient(x, w, b, y, dX, dW, dB);
        Assert.Throws<ArgumentException>(() => AliasedGradientBuffers.LinearMseGradient(x, w, b, y, dX, dW, b));
        Assert.Throws<ArgumentException>(() => AliasedGradientBuffers.LinearMseGradient(x, w, b, y, dX, dW, b));
        AliasedGradientBuffers.LinearMseGradient(x, w, b, y, dX, dW, dB);
        GradCheck.Tensors([x, w, b], [dX, dW, dB], () => AliasedGradientBuffers.LinearMse(x, w, b, y));

        // Only the input changes, as with a new minibatch every step: it is checked against every gradient.
        AliasedGradientBuffers.LinearMseGradient(Random(35, 4, 3), w, b, y, dX, dW, dB);
        var e = Assert.Throws<ArgumentException>(() => AliasedGradientBuffers.LinearMseGradient(dX, w, b, y, dX, dW, dB));
        Assert.Contains("'dX' shares memory with 'x'", e.Message);
    }

    [Fact]
    public void TheShapeChecksFollowTheTensorsOfEachCall()
    {
        // A method without Tensor[] parameters skips its shape checks while every tensor is the last passing call's:
        // a new gradient of the wrong shape is refused, again on the next call with it, and after a refused call
        // the good tensors pass again.
        Tensor x = Random(41, 4, 3), w = Random(42, 2, 3), b = Random(43, 2), y = Random(44, 4, 2);
        Tensor dX = Tensor.Zeros(4, 3), dW = Tensor.Zeros(2, 3), dB = Tensor.Zeros(2), wrong = Tensor.Zeros(3);
        AliasedGradientBuffers.LinearMseGradient(x, w, b, y, dX, dW, dB);
        for (int attempt = 0; attempt < 2; attempt++)
        {
            var e = Assert.Throws<ArgumentException>(() => AliasedGradientBuffers.LinearMseGradient(x, w, b, y, dX, dW, wrong));
            Assert.Contains("The gradient 'dB' has shape [3], but 'b' has shape [2]", e.Message);
        }
        Assert.Throws<ArgumentNullException>(() => AliasedGradientBuffers.LinearMseGradient(x, w, b, y, dX, null!, dB));
        // A wrong shape is reported before probes of another method.
        var first = Assert.Throws<ArgumentException>(() => AliasedGradientBuffers.LinearMseGradient(
            x, w, b, y, dX, dW, wrong, new GradientProbes(AliasedGradientBuffers.StackProbeLayout)));
        Assert.Contains("The gradient 'dB' has shape [3]", first.Message);
        AliasedGradientBuffers.LinearMseGradient(x, w, b, y, dX, dW, dB);
        GradCheck.Tensors([x, w, b], [dX, dW, dB], () => AliasedGradientBuffers.LinearMse(x, w, b, y));

        // A parameter of another shape with the gradient of the last call is refused too.
        Tensor wider = Random(45, 2, 4);
        var mismatch = Assert.Throws<ArgumentException>(() =>
            AliasedGradientBuffers.LinearMseGradient(Random(46, 4, 4), wider, b, y, Tensor.Zeros(4, 4), dW, dB));
        Assert.Contains("'dW' has shape [2, 3], but 'w' has shape [2, 4]", mismatch.Message);
    }

    [Fact]
    public void AnArrayAsItsOwnGradientIsRefused()
    {
        double[] w = { 0.5, -1, 2 }, x = { 1, 2, 3 };
        var e = Assert.Throws<ArgumentException>(() => AliasedGradientBuffers.ScaledGradient(w, x, w));
        Assert.Contains("'dW' shares memory with 'w'", e.Message);
        Assert.Throws<ArgumentException>(() => AliasedGradientBuffers.ScaledGradient(w, x, x));
        Assert.Equal(new[] { 0.5, -1, 2 }, w);
        var g = new double[3];
        AliasedGradientBuffers.ScaledGradient(w, x, g);
        Assert.Equal(new[] { 1.0, -4, 12 }, g);
    }

    [Fact]
    public void ASpanGradientOverATensorOrATensorGradientOverAnArrayIsRefused()
    {
        Tensor w = Random(51, 3, 2), x = Random(52, 2, 3);
        float[] v = GradCheck.RandomFloat(6, 53);
        var e = Assert.Throws<ArgumentException>(() => AliasedGradientBuffers.MixedGradient(w, v, x, Tensor.Zeros(3, 2), w.Data));
        Assert.Contains("'dV' shares memory with 'w'", e.Message);
        e = Assert.Throws<ArgumentException>(() => AliasedGradientBuffers.MixedGradient(w, v, x, new Tensor(v, 3, 2), new float[6]));
        Assert.Contains("'dW' shares memory with 'v'", e.Message);
        Tensor dW = Tensor.Zeros(3, 2);
        var dV = new float[6];
        AliasedGradientBuffers.MixedGradient(w, v, x, dW, dV);
        Assert.Equal(w.Span.ToArray(), dV);
    }

    [Fact]
    public void ProbesOfAnotherMethodAreRefused()
    {
        Tensor x = Random(41, 4, 3), w = Random(42, 2, 3), b = Random(43, 2), y = Random(44, 4, 2);
        var wrong = new GradientProbes(AliasedGradientBuffers.StackProbeLayout);
        var e = Assert.Throws<ArgumentException>(() =>
            AliasedGradientBuffers.LinearMseGradient(x, w, b, y, Tensor.Zeros(4, 3), Tensor.Zeros(2, 3), Tensor.Zeros(2), wrong));
        Assert.Contains("LinearMseProbeLayout", e.Message);
        var scalarWrong = new GradientProbes(AliasedGradientBuffers.LinearMseProbeLayout);
        Assert.Throws<ArgumentException>(() => AliasedGradientBuffers.ScaledGradient([1.0], [1.0], new double[1], scalarWrong));
        var right = new GradientProbes(AliasedGradientBuffers.LinearMseProbeLayout);
        AliasedGradientBuffers.LinearMseGradient(x, w, b, y, Tensor.Zeros(4, 3), Tensor.Zeros(2, 3), Tensor.Zeros(2), right);
        Assert.True(right.L2(0) > 0);
    }
}
