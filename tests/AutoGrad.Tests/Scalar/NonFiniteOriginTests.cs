using System.Linq;
using AutoGrad.Health;
using AutoGrad.Probes;
using Xunit;

namespace AutoGrad.Tests.Scalar;

/// <summary>
/// Where a NaN started in scalar code, which keeps no intermediate values: the probed gradient reruns the method
/// checked statement by statement when the result is not finite, and names the first statement whose value was not.
/// </summary>
public class NonFiniteOriginTests
{
    private static (double Loss, GradientProbes Probes) Run(double[] p, double a)
    {
        var probes = new GradientProbes(NonFiniteOrigins.LossProbeLayout);
        double loss = NonFiniteOrigins.LossGradient(p, a, new double[p.Length], out _, probes);
        return (loss, probes);
    }

    private static ProbeSite Site(GradientProbes probes)
    {
        Assert.True(probes.FirstNonFiniteSite >= 0, "no site noted");
        return NonFiniteOrigins.LossProbeLayout.Sites[probes.FirstNonFiniteSite];
    }

    [Fact]
    public void LogOfANegativeValueIsNamedAtItsLineAsTheCulprit()
    {
        (double loss, GradientProbes probes) = Run([1, 2, -3, 4], 1);
        Assert.True(double.IsNaN(loss));
        ProbeSite site = Site(probes);
        Assert.Equal(ProbeKind.Operation, site.Kind);
        Assert.Equal("s += Math.Log(p[i] * a)", site.Name);
        Assert.Equal(17, site.Line);
        Assert.True(site.InRecurrence);
        Assert.True(probes.FirstNonFiniteInputsFinite); // p[2] and a were finite: the log made the NaN
    }

    [Fact]
    public void TheMonitorReportsTheStatementAndItsLine()
    {
        (double loss, GradientProbes probes) = Run([1, 2, -3, 4], 1);
        var monitor = new HealthMonitor(NonFiniteOrigins.LossProbeLayout);
        monitor.Record(0, loss, probes, 0.1);
        NonFiniteOrigin origin = monitor.Report().NonFinite!;
        Assert.NotNull(origin);
        Assert.True(origin.IsCulprit);
        Assert.Contains("NonFiniteOrigins.cs:17", origin.Describe());
        Assert.Equal(HealthStatus.NonFinite, monitor.Status);
    }

    [Fact]
    public void ANaNInputIsNamedWhereItIsFirstReadAsPropagated()
    {
        (_, GradientProbes probes) = Run([1, double.NaN, 3], 1);
        ProbeSite site = Site(probes);
        Assert.Equal(17, site.Line);
        Assert.False(probes.FirstNonFiniteInputsFinite);
    }

    [Fact]
    public void AMeanOverNoElementsIsNamedAtItsLine()
    {
        (double loss, GradientProbes probes) = Run([], 1);
        Assert.True(double.IsNaN(loss));
        ProbeSite site = Site(probes);
        Assert.Equal("double mean = s / p.Length", site.Name);
        Assert.Equal(19, site.Line);
        Assert.False(site.InRecurrence);
        Assert.True(probes.FirstNonFiniteInputsFinite);
    }

    [Fact]
    public void HealthyStepsNoteNothingAndKeepTheirGradient()
    {
        double[] p = [1, 2, 3];
        var probes = new GradientProbes(NonFiniteOrigins.LossProbeLayout);
        var dP = new double[3];
        double loss = NonFiniteOrigins.LossGradient(p, 2, dP, out double dA, probes);
        var plain = new double[3];
        double plainLoss = NonFiniteOrigins.LossGradient(p, 2, plain, out double plainA);
        Assert.Equal(plainLoss, loss);
        Assert.Equal(plain, dP);
        Assert.Equal(plainA, dA);
        Assert.Equal(-1, probes.FirstNonFiniteSite);
    }

    [Fact]
    public void EveryScalarComputationIsASiteAndCopiesAreNot()
    {
        string[] operations = NonFiniteOrigins.LossProbeLayout.Sites.Where(s => s.Kind == ProbeKind.Operation).Select(s => s.Name).ToArray();
        Assert.Equal(["s += Math.Log(p[i] * a)", "double mean = s / p.Length", "return mean * mean"], operations);
    }
}
