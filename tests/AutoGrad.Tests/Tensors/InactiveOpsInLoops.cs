using System.Linq;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Tensors;

/// <summary>
/// Review helper-71: in a loop of run-time length, an op that reads only [NoGrad] data ('Nn.Tanh(rs[t])') has no
/// pullback, and its per-iteration output was never restored in reverse: every iteration's pullback that read it (the
/// other operand of a Mul, the input of a MatMul's weight gradient, the factor of a Scale) got the last iteration's.
/// </summary>
public static partial class InactiveOpsInLoops
{
    [Differentiable]
    public static float MulByData(Tensor x, [NoGrad] Tensor[] rs, int steps)
    {
        float s = 0;
        for (int t = 0; t < steps; t++)
            s += Nn.Sum(Nn.Mul(x, Nn.Tanh(rs[t])));
        return s;
    }

    [Differentiable]
    public static float Gate(Tensor h0, Tensor w, [NoGrad] Tensor[] masks, [NoGrad] Tensor r, int steps)
    {
        var h = h0;
        for (int t = 0; t < steps; t++)
            h = Nn.Mul(Nn.Tanh(Nn.MatMul(h, w)), Nn.Sigmoid(masks[t]));
        return Nn.Sum(Nn.Mul(h, r));
    }

    [Differentiable]
    public static float ScaledInputs(Tensor w, [NoGrad] Tensor[] xs, int steps)
    {
        float s = 0;
        for (int t = 0; t < steps; t++)
            s += Nn.Sum(Nn.Tanh(Nn.MatMul(Nn.Scale(xs[t], 2f), w)));
        return s;
    }

    [Differentiable]
    public static float Slices(Tensor x, [NoGrad] Tensor r, int steps)
    {
        float s = 0;
        for (int t = 0; t < steps; t++)
            s += Nn.Sum(Nn.Mul(Nn.Tanh(Nn.Slice(x, t, 1)), Nn.Slice(r, t, 1)));
        return s;
    }

    [Differentiable]
    public static float ScalarOfData(Tensor x, [NoGrad] Tensor[] rs, int steps)
    {
        var h = x;
        for (int t = 0; t < steps; t++)
            h = Nn.Tanh(Nn.Scale(h, Nn.Mean(rs[t])));
        return Nn.Sum(h);
    }

    /// <summary>A loop with nothing to differentiate: its ops' outputs need no restoring, and it gets no reverse loop.</summary>
    [Differentiable]
    public static float DataOnlyLoop(Tensor x, [NoGrad] Tensor[] rs, int steps)
    {
        float c = 0;
        for (int t = 0; t < steps; t++)
            c += Nn.Sum(Nn.Tanh(rs[t]));
        return c * Nn.Sum(Nn.Mul(x, x));
    }
}

/// <summary>
/// Review helper-74: a user's tensor op with a [CustomPullback] and no ForwardInto returns a new tensor each call; in a
/// loop of run-time length its output was not taped, so every iteration's pullbacks read the last one's.
/// </summary>
public static partial class UserOpsInLoops
{
    [CustomPullback(nameof(ElementTanhPullback))]
    public static Tensor ElementTanh(Tensor x)
    {
        var r = Tensor.Zeros(x.Shape.ToArray());
        for (int i = 0; i < x.Length; i++) r[i] = System.MathF.Tanh(x[i]);
        return r;
    }

    public static void ElementTanhPullback(Tensor x, Tensor result, Tensor dResult, GradTarget dX)
    {
        if (dX.Tensor is not { } d) return;
        for (int i = 0; i < x.Length; i++)
        {
            float g = dResult[i] * (1 - result[i] * result[i]);
            d[i] = dX.IsAccumulate ? d[i] + g : g;
        }
    }

    [Differentiable]
    public static float OfData(Tensor x, [NoGrad] Tensor[] rs, int steps)
    {
        float s = 0;
        for (int t = 0; t < steps; t++)
            s += Nn.Sum(Nn.Mul(x, ElementTanh(rs[t])));
        return s;
    }

    [CustomPullback(nameof(ElementLogPullback))]
    public static Tensor ElementLog(Tensor x)
    {
        var r = Tensor.Zeros(x.Shape.ToArray());
        for (int i = 0; i < x.Length; i++) r[i] = System.MathF.Log(x[i]);
        return r;
    }

    public static void ElementLogPullback(Tensor x, Tensor dResult, GradTarget dX)
    {
        if (dX.Tensor is not { } d) return;
        for (int i = 0; i < x.Length; i++) d[i] = (dX.IsAccumulate ? d[i] : 0) + dResult[i] / x[i];
    }

    /// <summary>Review helper-77: a NaN made by the user's op was blamed on the Tanh after it.</summary>
    [Differentiable]
    public static float LogRecurrence(Tensor x, [NoGrad] Tensor[] rs, int steps)
    {
        var h = x;
        for (int t = 0; t < steps; t++)
            h = Nn.Tanh(ElementLog(Nn.Add(h, rs[t])));
        return Nn.Sum(h);
    }

    /// <summary>Review helper-81: a NaN made in an inner loop was blamed on the Sum after the loops, "inputs finite".</summary>
    [Differentiable]
    public static float NestedLoops(Tensor x, [NoGrad] Tensor[] rs, int steps, int inner)
    {
        var h = x;
        for (int t = 0; t < steps; t++)
            for (int k = 0; k < inner; k++)
            {
                var a = Nn.Mul(Nn.Add(h, rs[t]), rs[t]);
                h = Nn.Tanh(Nn.Sub(a, a));
            }
        return Nn.Sum(h);
    }

    /// <summary>Review helper-81: an op in a branch saves fewer outputs than the loop runs iterations, and its position on
    /// its tape was read as the iteration: the op that went NaN an iteration later was named.</summary>
    [Differentiable]
    public static float BranchInLoop(Tensor x, [NoGrad] Tensor[] rs, [NoGrad] Tensor[] qs, int steps)
    {
        var h = x;
        var g = x;
        for (int t = 0; t < steps; t++)
        {
            if (t >= 1) g = ElementLog(Nn.Add(g, qs[t]));
            h = Nn.Tanh(ElementLog(Nn.Add(h, rs[t])));
        }
        return Nn.Sum(Nn.Mul(h, g));
    }

    [Differentiable]
    public static float Recurrence(Tensor x, [NoGrad] Tensor[] rs, int steps)
    {
        var h = x;
        for (int t = 0; t < steps; t++)
            h = ElementTanh(Nn.Add(h, rs[t]));
        return Nn.Sum(Nn.Mul(h, h));
    }
}

public class InactiveOpsInLoopsTests
{
    private const int Steps = 3;

    private static Tensor Random(int seed, params int[] shape) =>
        Tensor.FromValues(GradCheck.RandomFloat(shape.Aggregate(1, (a, b) => a * b), seed), shape);

    private static Tensor[] Sequence(int seed, params int[] shape) =>
        Enumerable.Range(0, Steps).Select(t => Random(seed + t, shape)).ToArray();

    [Fact]
    public void AnOperandOfDataGetsEachIterationsValue()
    {
        Tensor x = Random(1, 2, 3), dX = Tensor.Zeros(2, 3);
        Tensor[] rs = Sequence(10, 2, 3);
        InactiveOpsInLoops.MulByDataGradient(x, rs, Steps, dX);
        // Independently: d/dx Σ_t Σ x ⊙ tanh(r_t) = Σ_t tanh(r_t).
        for (int i = 0; i < x.Length; i++)
        {
            double expected = rs.Sum(r => System.Math.Tanh(r[i]));
            Assert.Equal(expected, dX[i], 1e-5);
        }
    }

    [Fact]
    public void AGateOfDataMatchesFiniteDifferences()
    {
        Tensor h0 = Random(2, 2, 4), w = Random(3, 4, 4), r = Random(4, 2, 4);
        Tensor[] masks = Sequence(20, 2, 4);
        Tensor dH0 = Tensor.Zeros(2, 4), dW = Tensor.Zeros(4, 4);
        InactiveOpsInLoops.GateGradient(h0, w, masks, r, Steps, dH0, dW);
        GradCheck.Tensors([h0, w], [dH0, dW], () => InactiveOpsInLoops.Gate(h0, w, masks, r, Steps));
    }

    [Fact]
    public void ScaledDataIntoAProductMatchesFiniteDifferences()
    {
        Tensor w = Random(5, 3, 2), dW = Tensor.Zeros(3, 2);
        Tensor[] xs = Sequence(30, 4, 3);
        InactiveOpsInLoops.ScaledInputsGradient(w, xs, Steps, dW);
        GradCheck.Tensors([w], [dW], () => InactiveOpsInLoops.ScaledInputs(w, xs, Steps));
    }

    [Fact]
    public void SlicesOfDataMatchFiniteDifferences()
    {
        Tensor x = Random(6, 2, 5), r = Random(7, 2, 5), dX = Tensor.Zeros(2, 5);
        InactiveOpsInLoops.SlicesGradient(x, r, Steps, dX);
        GradCheck.Tensors([x], [dX], () => InactiveOpsInLoops.Slices(x, r, Steps));
    }

    [Fact]
    public void AScalarOfDataMatchesFiniteDifferences()
    {
        Tensor x = Random(8, 2, 3), dX = Tensor.Zeros(2, 3);
        Tensor[] rs = Enumerable.Range(0, Steps).Select(t => Tensor.FromValues(GradCheck.RandomFloat(6, 40 + t, 0.5f, 2f), 2, 3)).ToArray();
        InactiveOpsInLoops.ScalarOfDataGradient(x, rs, Steps, dX);
        GradCheck.Tensors([x], [dX], () => InactiveOpsInLoops.ScalarOfData(x, rs, Steps));
    }

    [Fact]
    public void ALoopOverDataOnlyStillGivesTheGradient()
    {
        Tensor x = Random(9, 2, 3), dX = Tensor.Zeros(2, 3);
        Tensor[] rs = Sequence(50, 2, 3);
        InactiveOpsInLoops.DataOnlyLoopGradient(x, rs, Steps, dX);
        double c = rs.Sum(r => r.ToArray().Sum(v => System.Math.Tanh(v)));
        for (int i = 0; i < x.Length; i++) Assert.Equal(2 * c * x[i], dX[i], 1e-4);
    }

    [Fact]
    public void AUserOpWithoutForwardIntoIsTapedPerIteration()
    {
        Tensor x = Random(11, 2, 3), dX = Tensor.Zeros(2, 3);
        Tensor[] rs = Sequence(60, 2, 3);
        UserOpsInLoops.OfDataGradient(x, rs, Steps, dX);
        for (int i = 0; i < x.Length; i++) Assert.Equal(rs.Sum(r => System.Math.Tanh(r[i])), dX[i], 1e-5);
        dX = Tensor.Zeros(2, 3);
        UserOpsInLoops.RecurrenceGradient(x, rs, Steps, dX);
        GradCheck.Tensors([x], [dX], () => UserOpsInLoops.Recurrence(x, rs, Steps));
    }

    [Fact]
    public void ANaNMadeByAUserOpInALoopIsBlamedOnIt()
    {
        Tensor x = Tensor.FromValues([1f, 2f, 3f, 4f, 5f, 6f], 2, 3), dX = Tensor.Zeros(2, 3);
        Tensor[] rs = [Tensor.Zeros(2, 3), Tensor.FromValues([0f, 0f, -30f, 0f, 0f, 0f], 2, 3), Tensor.Zeros(2, 3)];
        var probes = new Probes.GradientProbes(UserOpsInLoops.LogRecurrenceProbeLayout);
        UserOpsInLoops.LogRecurrenceGradient(x, rs, 3, dX, probes);
        Assert.True(probes.FirstNonFiniteSite >= 0);
        Assert.Equal("ElementLog", UserOpsInLoops.LogRecurrenceProbeLayout.Sites[probes.FirstNonFiniteSite].Name);
        Assert.True(probes.FirstNonFiniteInputsFinite);
    }

    [Fact]
    public void ANaNInANestedLoopOrABranchInALoopIsBlamedOnItsOp()
    {
        Tensor x = Tensor.FromValues([1f, 2f, 3f, 4f, 5f, 6f], 2, 3), dX = Tensor.Zeros(2, 3);
        Tensor[] rs = [Tensor.Zeros(2, 3), Tensor.FromValues([0f, 0f, 1e30f, 0f, 0f, 0f], 2, 3), Tensor.Zeros(2, 3)];
        var probes = new Probes.GradientProbes(UserOpsInLoops.NestedLoopsProbeLayout);
        UserOpsInLoops.NestedLoopsGradient(x, rs, 3, 2, dX, probes);
        Probes.ProbeSite site = UserOpsInLoops.NestedLoopsProbeLayout.Sites[probes.FirstNonFiniteSite];
        Assert.Equal("Mul", site.Name);
        Assert.True(probes.FirstNonFiniteInputsFinite);

        Tensor[] logs = [Tensor.Zeros(2, 3), Tensor.FromValues([0f, 0f, -30f, 0f, 0f, 0f], 2, 3), Tensor.Zeros(2, 3)];
        Tensor[] qs = [Tensor.Zeros(2, 3), Tensor.Zeros(2, 3), Tensor.FromValues([0f, 0f, -30f, 0f, 0f, 0f], 2, 3)];
        probes = new Probes.GradientProbes(UserOpsInLoops.BranchInLoopProbeLayout);
        UserOpsInLoops.BranchInLoopGradient(x, logs, qs, 3, Tensor.Zeros(2, 3), probes);
        site = UserOpsInLoops.BranchInLoopProbeLayout.Sites[probes.FirstNonFiniteSite];
        Assert.Equal("ElementLog", site.Name);
        Assert.Equal(UserOpsInLoops.BranchInLoopProbeLayout.Sites.Where(s => s.Name == "ElementLog").Max(s => s.Line), site.Line);
    }
}
