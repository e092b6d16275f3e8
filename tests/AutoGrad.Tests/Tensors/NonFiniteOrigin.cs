using System;
using System.Linq;
using AutoGrad.Probes;
using Xunit;

namespace AutoGrad.Tests.Tensors;

/// <summary>A linear recurrence without a squashing activation: large weights overflow after a few steps.</summary>
public static partial class LinearRecurrence
{
    [Differentiable]
    public static float Loss(Tensor w, Tensor b, [NoGrad] Tensor h0, [NoGrad] Tensor y, int steps)
    {
        var h = h0;
        for (int t = 0; t < steps; t++)
        {
            h = Nn.Linear(h, w, b);
        }
        return Nn.Mse(h, y);
    }
}

public class NonFiniteOriginTests
{
    [Fact]
    public void OverflowInsideALoopNamesTheOpAsCulprit()
    {
        const int n = 4;
        var w = Tensor.Zeros(n, n);
        for (int i = 0; i < n; i++) w[i, i] = 1e12f;            // finite, but ×1e12 per step overflows float by step 4
        Tensor b = Tensor.Zeros(n), h0 = Tensor.Zeros(1, n), y = Tensor.Zeros(1, n);
        for (int i = 0; i < n; i++) h0[i] = 1f;
        var probes = new GradientProbes(LinearRecurrence.LossProbeLayout);

        float loss = LinearRecurrence.LossGradient(w, b, h0, y, 10, Tensor.Zeros(n, n), Tensor.Zeros(n), probes);

        Assert.False(float.IsFinite(loss));
        Assert.True(probes.FirstNonFiniteSite >= 0);
        ProbeSite site = LinearRecurrence.LossProbeLayout.Sites[probes.FirstNonFiniteSite];
        Assert.Equal(ProbeKind.Operation, site.Kind);
        Assert.Equal("Linear", site.Name);
        Assert.Equal(17, site.Line);
        Assert.True(site.InRecurrence);
        Assert.True(probes.FirstNonFiniteInputsFinite); // w, b and h0 were finite: the op itself overflowed
    }

    [Fact]
    public void HealthyStepsNoteNothing()
    {
        const int n = 3;
        var w = Tensor.Zeros(n, n);
        for (int i = 0; i < n; i++) w[i, i] = 0.5f;
        var probes = new GradientProbes(LinearRecurrence.LossProbeLayout);
        float loss = LinearRecurrence.LossGradient(w, Tensor.Zeros(n), Tensor.Zeros(2, n), Tensor.Zeros(2, n), 5,
            Tensor.Zeros(n, n), Tensor.Zeros(n), probes);
        Assert.True(float.IsFinite(loss));
        Assert.Equal(-1, probes.FirstNonFiniteSite);
        Assert.Contains(LinearRecurrence.LossProbeLayout.Sites, s => s.Kind == ProbeKind.Parameter && s.Name == "w" && s.InRecurrence);
    }
}

/// <summary>
/// Ops and a scalar loop over an op's output: a NaN that starts in the scalar code is named there, not at the op that
/// later reads it. The method overwrites a scalar parameter first, so the checked rerun must start from the value
/// passed in. The line number is asserted below; keep it.
/// </summary>
public static partial class ScalarPenaltyOnOps
{
    [Differentiable]
    public static float Loss(Tensor w, [NoGrad] Tensor x, [NoGrad] Tensor y, float shift)
    {
        shift = 2f - shift;
        var h = Nn.Tanh(Nn.MatMul(x, w));
        var s = h.Span;
        float pen = 0;
        for (int i = 0; i < s.Length; i++)
        {
            pen += MathF.Log(s[i] + shift);
        }
        return Nn.Mse(Nn.Scale(h, pen), y);
    }
}

public class ScalarCodeInTensorMethodTests
{
    private static (float Loss, GradientProbes Probes) Run(float shift)
    {
        var w = new Tensor([-1f, 1f], 1, 2);                   // h = tanh([-1, 1]) = [-0.76, 0.76]
        var x = new Tensor([1f], 1, 1);
        var probes = new GradientProbes(ScalarPenaltyOnOps.LossProbeLayout);
        float loss = ScalarPenaltyOnOps.LossGradient(w, x, Tensor.Zeros(1, 2), shift, Tensor.Zeros(1, 2), out _, probes);
        return (loss, probes);
    }

    [Fact]
    public void ANaNFromScalarCodeIsNamedAtItsLineAsTheCulprit()
    {
        (float loss, GradientProbes probes) = Run(1.5f);       // shift 0.5: log(-0.26)
        Assert.True(float.IsNaN(loss));
        Assert.True(probes.FirstNonFiniteSite >= 0);
        ProbeSite site = ScalarPenaltyOnOps.LossProbeLayout.Sites[probes.FirstNonFiniteSite];
        Assert.Equal(ProbeKind.Operation, site.Kind);
        Assert.Equal("pen += MathF.Log(s[i] + shift)", site.Name);
        Assert.Equal(78, site.Line);
        Assert.True(probes.FirstNonFiniteInputsFinite);
    }

    [Fact]
    public void HealthyStepsNoteNothing()
    {
        (float loss, GradientProbes probes) = Run(0f);          // shift 2: every log's argument is above 1
        Assert.True(float.IsFinite(loss));
        Assert.Equal(-1, probes.FirstNonFiniteSite);
    }
}
