using System;
using System.Linq;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Tensors;

/// <summary>Scalar code and tensor ops in one method: a custom loss written as a loop over a tensor's elements.</summary>
public static partial class MixedLoss
{
    [Differentiable]
    public static float Huber(Tensor w, Tensor b, [NoGrad] Tensor x, [NoGrad] float[] targets, float delta)
    {
        var p = Nn.Sigmoid(Nn.Linear(x, w, b));
        var ps = p.Span;
        float loss = 0;
        for (int i = 0; i < ps.Length; i++)
        {
            float r = ps[i] - targets[i];
            float a = MathF.Abs(r);
            loss += a <= delta ? 0.5f * r * r : delta * (a - 0.5f * delta);
        }
        return loss / ps.Length + 0.01f * Nn.Sum(Nn.Mul(w, w));
    }
}

/// <summary>A parameter read both by ops and, element by element, by scalar code (a hand-written penalty).</summary>
public static partial class MixedPenalty
{
    [Differentiable]
    public static float Loss(Tensor w, [NoGrad] Tensor x, [NoGrad] Tensor y)
    {
        var ws = w.Span;
        float penalty = 0;
        for (int i = 0; i < ws.Length; i++) penalty += MathF.Abs(ws[i]);
        return Nn.Mse(Nn.MatMul(x, w), y) + 0.1f * penalty;
    }
}

/// <summary>A tensor's elements handed to a scalar [Differentiable] method through a local span.</summary>
public static partial class SpanToScalarMethod
{
    [Differentiable]
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        float s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * a[i] * b[i];
        return s;
    }

    [Differentiable]
    public static float Loss(Tensor w, float[] v)
    {
        var ws = w.Span;
        return Dot(ws, v) + Nn.Sum(Nn.Tanh(w));
    }
}

/// <summary>
/// A scalar op result kept in a local of a loop with a run-time length, then used non-linearly: the reverse iteration
/// must read this iteration's saved value (its recomputed copy was read before the value was popped, so from the next).
/// </summary>
public static partial class LoopScalarLocals
{
    [Differentiable]
    public static float SumOfSquares(Tensor x, [NoGrad] int steps)
    {
        float s = 0f;
        for (int t = 0; t < steps; t++)
        {
            float q = Nn.Sum(Nn.Scale(x, t + 1f));
            s += q * q;
        }
        return s;
    }

    /// <summary>A recurrence divided by its own statistic each step.</summary>
    [Differentiable]
    public static float Normalized(Tensor w, [NoGrad] Tensor h0, [NoGrad] int steps)
    {
        var h = h0;
        for (int t = 0; t < steps; t++)
        {
            var a = Nn.Tanh(Nn.MatMul(h, w));
            float m = Nn.Mean(Nn.Mul(a, a));
            h = Nn.Scale(a, 1f / (m + 1f));
        }
        return Nn.Sum(h);
    }
}

/// <summary>Ops behind a ?: or on the right of &amp;&amp;: they run only when the condition says, in the gradient too.</summary>
public static partial class GuardedOps
{
    [Differentiable]
    public static float Choice(Tensor a, Tensor b)
    {
        float r = a.Dim(1) == b.Dim(0) ? Nn.Sum(Nn.MatMul(a, b)) : Nn.Sum(a);
        return r * r;
    }

    [Differentiable]
    public static float TensorChoice(Tensor a, Tensor b, [NoGrad] bool first)
    {
        var h = first ? Nn.Tanh(a) : Nn.Tanh(b);
        return Nn.Sum(Nn.Mul(h, h));
    }

    [Differentiable]
    public static float LeftFirst(Tensor a, Tensor b, [NoGrad] bool c) => Nn.Sum(Nn.MatMul(a, b)) + (c ? Nn.Sum(Nn.Add(b, a)) : 0f);

    [Differentiable]
    public static float Guarded(Tensor w, Tensor[] xs, [NoGrad] int n)
    {
        float s = 0f;
        for (int i = 0; i <= n; i++)
        {
            if (i < xs.Length && Nn.Sum(xs[i]) > -100f) s += Nn.Sum(Nn.Tanh(Nn.MatMul(xs[i], w)));
        }
        return s;
    }
}

public class MixedScalarAndTensorTests
{
    [Fact]
    public void OpsBehindAConditionRunOnlyWhenItHolds()
    {
        // Hoisted before the statement, MatMul ran for a 3×3 by 2×2 product the ?: never takes (a ShapeMismatchException
        // the method itself does not throw), and xs[3] was read past the array's end.
        Tensor a = Tensor.FromValues(GradCheck.RandomFloat(9, 92), 3, 3), b = Tensor.FromValues(GradCheck.RandomFloat(4, 93), 2, 2);
        Tensor dA = Tensor.Zeros(3, 3), dB = Tensor.Zeros(2, 2);
        Assert.Equal(GuardedOps.Choice(a, b), GuardedOps.ChoiceGradient(a, b, dA, dB));
        GradCheck.Tensors([a], [dA], () => GuardedOps.Choice(a, b));
        Assert.All(dB.ToArray(), v => Assert.Equal(0f, v));

        Tensor w = Tensor.FromValues(GradCheck.RandomFloat(4, 94), 2, 2);
        Tensor[] xs = Enumerable.Range(0, 3).Select(i => Tensor.FromValues(GradCheck.RandomFloat(2, 95 + i), 1, 2)).ToArray();
        Tensor dW = Tensor.Zeros(2, 2);
        Tensor[] dXs = xs.Select(_ => Tensor.Zeros(1, 2)).ToArray();
        Assert.Equal(GuardedOps.Guarded(w, xs, 3), GuardedOps.GuardedGradient(w, xs, 3, dW, dXs), 5);
        GradCheck.Tensors([w, xs[0], xs[2]], [dW, dXs[0], dXs[2]], () => GuardedOps.Guarded(w, xs, 3));

        // A ?: choosing between two tensors: the arm not taken gets a zero gradient.
        foreach (bool first in new[] { true, false })
        {
            Tensor p = Tensor.FromValues(GradCheck.RandomFloat(4, 98), 2, 2), q = Tensor.FromValues(GradCheck.RandomFloat(4, 99), 2, 2);
            Tensor dP = Tensor.Zeros(2, 2), dQ = Tensor.Zeros(2, 2);
            GuardedOps.TensorChoiceGradient(p, q, first, dP, dQ);
            GradCheck.Tensors([p, q], [dP, dQ], () => GuardedOps.TensorChoice(p, q, first));
            Assert.All((first ? dQ : dP).ToArray(), v => Assert.Equal(0f, v));
        }
        // The lowered ?: sets a temporary of the generator's, which is no probe site; h is.
        Assert.DoesNotContain(GuardedOps.TensorChoiceProbeLayout.Sites, site => site.Name.StartsWith('_'));
        Assert.Single(GuardedOps.TensorChoiceProbeLayout.Sites, site => site.Name == "h");

        // Ops run in the order the expression has them: the MatMul left of the ?: fails first, as in the method.
        Tensor wide = Tensor.Zeros(2, 3), square = Tensor.Zeros(2, 2);
        string method = Assert.Throws<ShapeMismatchException>(() => GuardedOps.LeftFirst(wide, square, true)).Message;
        string gradient = Assert.Throws<ShapeMismatchException>(() => GuardedOps.LeftFirstGradient(wide, square, true, Tensor.Zeros(2, 3), Tensor.Zeros(2, 2))).Message;
        Assert.StartsWith("MatMul at MixedScalarAndTensor.cs:", gradient);
        Assert.Equal(method, gradient);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void AScalarOpResultKeptInALoopLocalIsReadFromItsOwnIteration(int steps)
    {
        Tensor x = Tensor.FromValues([1f, 2f], 1, 2), dX = Tensor.Zeros(1, 2);
        LoopScalarLocals.SumOfSquaresGradient(x, steps, dX);
        // d/dx Σ_t ((t + 1)·Σx)² = 2·Σx·Σ_t (t + 1)², the same for every element.
        double expected = 2 * 3.0 * Enumerable.Range(1, steps).Sum(k => (double)k * k);
        Assert.Equal(expected, dX[0], 1e-4 * expected);
        Assert.Equal(expected, dX[1], 1e-4 * expected);

        Tensor w = Tensor.FromValues(GradCheck.RandomFloat(9, 90), 3, 3), h0 = Tensor.FromValues(GradCheck.RandomFloat(6, 91), 2, 3);
        Tensor dW = Tensor.Zeros(3, 3);
        LoopScalarLocals.NormalizedGradient(w, h0, steps, dW);
        GradCheck.Tensors([w], [dW], () => LoopScalarLocals.Normalized(w, h0, steps));
    }

    [Fact]
    public void ATensorsSpanPassedToAScalarMethodMatchesFiniteDifferences()
    {
        Tensor w = Tensor.FromValues(GradCheck.RandomFloat(6, 80), 2, 3);
        float[] v = GradCheck.RandomFloat(6, 81);
        Tensor dW = Tensor.Zeros(2, 3);
        var dV = new float[6];
        SpanToScalarMethod.LossGradient(w, v, dW, dV);
        GradCheck.Tensors([w], [dW], () => SpanToScalarMethod.Loss(w, v));
        for (int i = 0; i < 6; i++) Assert.Equal(w[i] * w[i], dV[i], 1e-6f);
    }

    [Fact]
    public void ParameterSpanReadByScalarCodeAndOps()
    {
        Tensor w = Tensor.Zeros(4, 3), x = Tensor.Zeros(5, 4), y = Tensor.Zeros(5, 3);
        double[] v = GradCheck.Random(w.Length + x.Length + y.Length, 72);
        int k = 0;
        foreach (Tensor t in new[] { w, x, y }) for (int i = 0; i < t.Length; i++) t[i] = (float)v[k++];
        Tensor dW = Tensor.Zeros(4, 3);
        dW[0] = 99; // must be overwritten
        MixedPenalty.LossGradient(w, x, y, dW);
        for (int i = 0; i < w.Length; i++)
        {
            float saved = w[i];
            w[i] = saved + 1e-2f;
            double plus = MixedPenalty.Loss(w, x, y);
            w[i] = saved - 1e-2f;
            double minus = MixedPenalty.Loss(w, x, y);
            w[i] = saved;
            double numeric = (plus - minus) / 2e-2;
            Assert.True(Math.Abs(numeric - dW[i]) < 1e-3 + 2e-2 * Math.Abs(numeric), $"[{i}] generated {dW[i]}, numeric {numeric}");
        }
    }

    [Fact]
    public void CustomLossOverATensorsSpanMatchesFiniteDifferences()
    {
        Tensor w = Tensor.Zeros(3, 4), b = Tensor.Zeros(3), x = Tensor.Zeros(5, 4);
        double[] v = GradCheck.Random(w.Length + b.Length + x.Length, 70);
        int k = 0;
        foreach (Tensor t in new[] { w, b, x }) for (int i = 0; i < t.Length; i++) t[i] = (float)v[k++];
        float[] targets = GradCheck.RandomFloat(15, 71, 0, 1);
        Tensor dW = Tensor.Zeros(3, 4), dB = Tensor.Zeros(3);

        float loss = MixedLoss.HuberGradient(w, b, x, targets, 0.2f, dW, dB, out float dDelta);

        Assert.Equal(MixedLoss.Huber(w, b, x, targets, 0.2f), loss, 6);
        foreach ((Tensor p, Tensor g) in new[] { (w, dW), (b, dB) })
        {
            for (int i = 0; i < p.Length; i++)
            {
                float saved = p[i];
                p[i] = saved + 1e-2f;
                double plus = MixedLoss.Huber(w, b, x, targets, 0.2f);
                p[i] = saved - 1e-2f;
                double minus = MixedLoss.Huber(w, b, x, targets, 0.2f);
                p[i] = saved;
                double numeric = (plus - minus) / 2e-2;
                Assert.True(Math.Abs(numeric - g[i]) < 1e-4 + 2e-2 * Math.Abs(numeric), $"[{i}] generated {g[i]}, numeric {numeric}");
            }
        }
        double dNumeric = (MixedLoss.Huber(w, b, x, targets, 0.21f) - MixedLoss.Huber(w, b, x, targets, 0.19f)) / 0.02;
        Assert.True(Math.Abs(dNumeric - dDelta) < 1e-3 + 2e-2 * Math.Abs(dNumeric), $"dDelta {dDelta} vs {dNumeric}");
    }
}
