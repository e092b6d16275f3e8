using System;
using System.Linq;
using AutoGrad.Probes;
using Xunit;

namespace AutoGrad.Health.Tests;

public class NonFiniteTests
{
    [Fact]
    public void NaNGradientIsNonFiniteAndNamesTheCulpritOpAndLine()
    {
        var layout = Synthetic.Stack(3, "relu");
        var monitor = new HealthMonitor(layout);
        var probes = new GradientProbes(layout);
        Synthetic.Fill(probes, 3, _ => 1.0, activation: "relu");
        var poisoned = Synthetic.WithNorm(256, 1.0);
        poisoned[7] = float.NaN;
        probes.RecordGradient(Synthetic.Weight(0), poisoned);
        probes.NoteNonFinite(Synthetic.Output(1), inputsFinite: false); // a later op only passes it on
        probes.NoteNonFinite(Synthetic.Output(0), inputsFinite: true);  // the first op in forward order made it

        monitor.Record(5, 1.0, probes, 0.1);
        HealthReport report = monitor.Report();

        Assert.Equal(HealthStatus.NonFinite, report.Status);
        Assert.Equal(HealthStatus.NonFinite, report.Layers[0].Status);
        // Review helper-62: the maximum of the finite values (0 for a gradient NaN throughout) is no layer's max|g|.
        Assert.True(double.IsNaN(report.Layers[0].MaxAbs));
        Assert.Equal(1.0 / Math.Sqrt(256), report.Layers[1].MaxAbs, 6);
        Assert.NotNull(report.NonFinite);
        Assert.Equal("h1", report.NonFinite!.Site.Name);
        Assert.Equal(10, report.NonFinite.Site.Line);
        Assert.True(report.NonFinite.IsCulprit);
        Assert.Contains("h1 (Mlp.cs:10)", report.NonFinite.Describe());
        Assert.Contains("culprit", report.NonFinite.Describe());
        HealthAdvice advice = Assert.Single(report.Advice, a => a.Trigger == "NON-FINITE");
        Assert.Contains("Mlp.cs:10", advice.Suggestion);
        Assert.Contains("NON-FINITE", report.ToString());
        Assert.Equal("fix this op (culprit)", report.Layers[0].Advice);
        Assert.True(monitor.ShouldSkipUpdate);
    }

    [Theory]
    [InlineData("Relu(Linear)", "overflowed float's range (3.4e38) from finite inputs")]
    [InlineData("MatMul", "overflowed float's range (3.4e38) from finite inputs")]
    [InlineData("Add[1]", "overflowed float's range (3.4e38) from finite inputs")] // an unrolled copy
    [InlineData("Mse", "overflowed float's range (3.4e38) from finite inputs")] // review helper-62: squares overflow
    [InlineData("Log", "add an epsilon or clamp its input")]
    public void ACulpritsAdviceFitsWhatItComputes(string op, string advised)
    {
        // A linear layer has no log or division to guard: from finite inputs only overflow makes a NaN/∞ there.
        ProbeLayout stack = Synthetic.Stack(1, "relu");
        var layout = new ProbeLayout(stack.Method, stack.Sites.Append(new ProbeSite(op, ProbeKind.Operation, 0, "None", 0, "Mlp.cs", 30, false)).ToArray());
        var monitor = new HealthMonitor(layout);
        var probes = new GradientProbes(layout);
        Synthetic.Fill(probes, 1, _ => 1.0, activation: "relu");
        probes.NoteNonFinite(layout.Count - 1, inputsFinite: true);
        monitor.Record(0, double.NaN, probes, 0.1);
        HealthAdvice advice = Assert.Single(monitor.Report().Advice, a => a.Trigger == "NON-FINITE");
        Assert.Contains("Mlp.cs:30", advice.Suggestion);
        Assert.Contains(advised, advice.Suggestion);
    }

    [Fact]
    public void AnOpWhoseInputsWereNonFiniteIsCalledAPropagator()
    {
        var layout = Synthetic.Stack(2, "relu");
        var monitor = new HealthMonitor(layout);
        var probes = new GradientProbes(layout);
        Synthetic.Fill(probes, 2, _ => 1.0, activation: "relu");
        probes.NoteNonFinite(Synthetic.Output(1), inputsFinite: false);

        monitor.Record(0, double.NaN, probes, 0.1);
        NonFiniteOrigin origin = monitor.Report().NonFinite!;

        Assert.False(origin.IsCulprit);
        Assert.True(origin.ReportedByOp);
        Assert.Contains("propagated", origin.Describe());
        Assert.Equal(HealthStatus.NonFinite, monitor.Status);
    }

    [Fact]
    public void WithoutAnOpReportTheNonFiniteGradientNearestTheOutputIsNamed()
    {
        // The backward pass made it at b2 and passed it on to layer 1, which it reached last.
        var layout = Synthetic.Stack(3, "relu");
        var monitor = new HealthMonitor(layout);
        var probes = new GradientProbes(layout);
        Synthetic.Fill(probes, 3, _ => 1.0, activation: "relu");
        probes.RecordGradient(Synthetic.Bias(1), new[] { float.PositiveInfinity });
        probes.RecordGradient(Synthetic.Weight(0), new[] { float.NaN });
        probes.RecordGradient(Synthetic.Output(0), new[] { float.NaN });

        monitor.Record(0, 1.0, probes, 0.1);
        NonFiniteOrigin origin = monitor.Report().NonFinite!;

        Assert.Equal("b2", origin.Site.Name);
        Assert.False(origin.ReportedByOp);
        Assert.Contains("backward pass produced it", origin.Describe());
    }

    [Fact]
    public void PersistentNonFiniteStepsAskToStopOnceAndAHealthyStepResets()
    {
        var layout = Synthetic.Stack(1, "relu");
        var monitor = new HealthMonitor(layout, new HealthOptions { StopAfterNonFiniteSteps = 3 });
        var probes = new GradientProbes(layout);
        int stops = 0;
        monitor.StopRequested += (_, _) => stops++;

        for (int step = 0; step < 5; step++)
        {
            Synthetic.Fill(probes, 1, _ => 1.0, activation: "relu");
            monitor.Record(step, double.PositiveInfinity, probes, 0.1);
            Assert.Equal(step >= 2, monitor.ShouldStop);
            Assert.True(monitor.ShouldSkipUpdate);
        }
        Assert.Equal(1, stops);
        Assert.Equal(5, monitor.ConsecutiveNonFiniteSteps);

        Synthetic.Fill(probes, 1, _ => 1.0, activation: "relu");
        monitor.Record(5, 1.0, probes, 0.1);
        Assert.False(monitor.ShouldStop);

        // A step whose gradient call had no probes would be recorded with step 5's readings: refused.
        var e = Assert.Throws<InvalidOperationException>(() => monitor.Record(6, 1.0, probes, 0.1));
        Assert.Contains("earlier step", e.Message);
        Assert.False(monitor.ShouldSkipUpdate);
        Assert.Equal(0, monitor.ConsecutiveNonFiniteSteps);
    }

    [Fact]
    public void ProbesNoGradientCallFilledAreRefusedNotReadAsAHealthyZeroNorm()
    {
        // A training loop that calls the gradient without its probes: the monitor read a norm of 0, status OK, and the
        // clipping the options ask for did nothing.
        var layout = Synthetic.Stack(1, "relu");
        var monitor = new HealthMonitor(layout);
        var probes = new GradientProbes(layout);

        var e = Assert.Throws<InvalidOperationException>(() => monitor.Record(0, 1.0, probes, 0.1));

        Assert.Contains("no readings", e.Message);
        Assert.Contains("Gradient(..., probes)", e.Message);
        Assert.Equal(0, monitor.ClassifiedSteps);
    }

    [Fact]
    public void SkippingCanBeTurnedOff()
    {
        var layout = Synthetic.Stack(1, "relu");
        var monitor = new HealthMonitor(layout, new HealthOptions { SkipNonFiniteUpdates = false });
        var probes = new GradientProbes(layout);
        Synthetic.Fill(probes, 1, _ => 1.0, activation: "relu");

        monitor.Record(0, double.NaN, probes, 0.1);

        Assert.False(monitor.ShouldSkipUpdate);
        Assert.Equal(HealthStatus.NonFinite, monitor.Status);
    }

    [Fact]
    public void AReportBeforeTheFirstStepGivesNoNonFiniteAdvice()
    {
        var layout = Synthetic.Stack(3, "relu");
        HealthReport report = new HealthMonitor(layout).Report();
        Assert.DoesNotContain(report.Advice, a => a.Trigger == "NON-FINITE");
        Assert.DoesNotContain("NON-FINITE", report.ToString());
        Assert.Equal("no step classified yet; call Record after a probed gradient call", report.Summary()); // printed after the method name
    }
}
