using System;
using System.Linq;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Tensors;

/// <summary>
/// Reads of a Tensor[] at a constant index after an if or a loop that always runs to its end (review helpers 60 and
/// 63): the up-front count check stopped at the first branch or loop, so a short array failed with an
/// IndexOutOfRangeException after the forward sweep had run (a recurrence, a batch normalization's statistics).
/// </summary>
public static partial class ArrayCountsPastBranches
{
    [Differentiable]
    public static float AfterIf(Tensor[] w, [NoGrad] Tensor x, [NoGrad] bool squash)
    {
        var h = Nn.MatMul(x, w[0]);
        if (squash)
            h = Nn.Sigmoid(h);
        return Nn.Sum(Nn.MatMul(h, w[1]));
    }

    [Differentiable]
    public static float HeadAfterRecurrence(Tensor[] xs, Tensor wx, Tensor wh, Tensor bh, Tensor[] wo, [NoGrad] Tensor h0, int steps)
    {
        var h = h0;
        for (int t = 0; t < steps; t++)
            h = Nn.RnnCell(xs[t], h, wx, wh, bh);
        return Nn.Sum(Nn.MatMul(Nn.Tanh(Nn.MatMul(h, wo[0])), wo[1]));
    }

    [Differentiable]
    public static float AfterEarlyReturn(Tensor[] w, [NoGrad] Tensor x, [NoGrad] bool stop)
    {
        var h = Nn.MatMul(x, w[0]);
        if (stop)
            return Nn.Sum(h);
        return Nn.Sum(Nn.MatMul(h, w[1]));
    }
}

public class ArrayCountsPastBranchesTests
{
    private static Tensor Random(int seed, params int[] shape) =>
        Tensor.FromValues(GradCheck.RandomFloat(shape.Aggregate(1, (a, b) => a * b), seed, -0.5f, 0.5f), shape);

    private static Tensor Sevens(params int[] shape)
    {
        var t = Tensor.Zeros(shape);
        t.Span.Fill(7f);
        return t;
    }

    [Fact]
    public void AReadAfterAnIfIsCheckedUpFront()
    {
        Tensor[] w = [Random(1, 3, 3)], dW = [Sevens(3, 3)];
        Tensor x = Random(2, 4, 3);
        var e = Assert.Throws<ArgumentException>(() => ArrayCountsPastBranches.AfterIfGradient(w, x, false, dW));
        Assert.StartsWith("AfterIf at ArrayCountsPastBranches.cs:21 reads w[1], but 'w' has 1 tensor; pass at least 2.", e.Message);
        Assert.All(dW[0].ToArray(), v => Assert.Equal(7f, v));

        w = [Random(1, 3, 3), Random(3, 3, 2)];
        dW = [Tensor.Zeros(3, 3), Tensor.Zeros(3, 2)];
        foreach (bool squash in new[] { false, true })
        {
            ArrayCountsPastBranches.AfterIfGradient(w, x, squash, dW);
            GradCheck.Tensors(w, dW, () => ArrayCountsPastBranches.AfterIf(w, x, squash));
        }
    }

    [Fact]
    public void AHeadAfterARecurrenceIsCheckedBeforeTheRecurrenceRuns()
    {
        const int batch = 2, input = 3, hidden = 4, steps = 3;
        Tensor[] xs = Enumerable.Range(0, steps).Select(t => Random(10 + t, batch, input)).ToArray();
        Tensor wx = Random(20, hidden, input), wh = Random(21, hidden, hidden), bh = Random(22, hidden), h0 = Random(23, batch, hidden);
        Tensor[] dXs = xs.Select(t => Sevens(batch, input)).ToArray();
        Tensor dWx = Sevens(hidden, input), dWh = Sevens(hidden, hidden), dBh = Sevens(hidden);
        Tensor[] wo = [Random(30, hidden, hidden)], dWo = [Sevens(hidden, hidden)];
        var e = Assert.Throws<ArgumentException>(() => ArrayCountsPastBranches.HeadAfterRecurrenceGradient(xs, wx, wh, bh, wo, h0, steps, dXs, dWx, dWh, dBh, dWo));
        Assert.Contains("reads wo[1], but 'wo' has 1 tensor; pass at least 2.", e.Message);
        Assert.All(dWx.ToArray().Concat(dWo[0].ToArray()), v => Assert.Equal(7f, v));
    }

    [Fact]
    public void AReadAfterAnEarlyReturnIsNotRequired()
    {
        // w[1] is read only when 'stop' is false: a one-tensor array is fine with 'stop' true.
        Tensor[] w = [Random(1, 3, 3)], dW = [Tensor.Zeros(3, 3)];
        Tensor x = Random(2, 4, 3);
        ArrayCountsPastBranches.AfterEarlyReturnGradient(w, x, true, dW);
        GradCheck.Tensors(w, dW, () => ArrayCountsPastBranches.AfterEarlyReturn(w, x, true));
    }
}
