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
        Assert.Equal(16, site.Line);
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
