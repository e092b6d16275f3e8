using System;
using AutoGrad.Health;
using AutoGrad.Probes;
using Xunit;

namespace AutoGrad.Tests.Scalar;

/// <summary>A scalar function whose two parameters' gradients differ by 10⁴: parameters, not layers.</summary>
public static partial class ScalarHealth
{
    [Differentiable]
    public static double Loss(double a, double[] w) => 1e-6 * a * a + w[0] * w[0] + w[1] * w[1];

    [Differentiable]
    public static double Faint(double a, double[] w) => a * a + 1e-12 * w[0] + 1e-12 * w[1];
}

public class ScalarHealthTests
{
    [Fact]
    public void AScalarMethodsParametersAreNotComparedAsLayers()
    {
        // With one depth per parameter the monitor fitted a depth factor across a and w and called a VANISHING by the
        // layer-ratio rule (‖g_a‖/‖g_w‖ = 1e-6 with ‖g_a‖ below 1e-4); each parameter is classified on its own readings.
        Assert.All(ScalarHealth.LossProbeLayout.Sites, s => Assert.Equal(0, s.Depth));
        var monitor = new HealthMonitor(ScalarHealth.LossProbeLayout);
        var probes = new GradientProbes(ScalarHealth.LossProbeLayout);
        double[] w = { 1.0, -2.0 };
        var dW = new double[2];
        ScalarHealth.LossGradient(1.0, w, out double dA, dW, probes);
        monitor.Record(0, 1.0, probes, 0.1);
        Assert.Equal(2e-6, dA, 1e-12);
        Assert.Equal(HealthStatus.Ok, monitor.Report().Status);
        Assert.Equal(DepthProfileSource.None, monitor.Report().DepthProfile.Source);

        // Each parameter is still judged on its own: w's gradient of 1e-12 is VANISHING, whatever its position.
        var faint = new HealthMonitor(ScalarHealth.FaintProbeLayout);
        var faintProbes = new GradientProbes(ScalarHealth.FaintProbeLayout);
        ScalarHealth.FaintGradient(1.0, w, out _, dW, faintProbes);
        faint.Record(0, 1.0, faintProbes, 0.1);
        Assert.Equal(HealthStatus.Vanishing, faint.Report().Status);
    }
}
