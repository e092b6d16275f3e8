using System;
using System.Linq;
using AutoGrad.Probes;
using Xunit;

namespace AutoGrad.Health.Tests;

public class StatusTests
{
    private const int Depth = 8;

    private static (HealthMonitor Monitor, GradientProbes Probes) Make(ProbeLayout layout, HealthOptions? options = null) =>
        (new HealthMonitor(layout, options), new GradientProbes(layout));

    [Fact]
    public void SigmoidStackShrinkingByAQuarterPerLayerIsVanishingWithActivationAwareAdvice()
    {
        var (monitor, probes) = Make(Synthetic.Stack(Depth, "sigmoid"));
        Synthetic.Fill(probes, Depth, d => 0.1 * Math.Pow(0.25, Depth - 1 - d));

        HealthStatus status = monitor.Record(0, 0.7, probes, 0.1);
        HealthReport report = monitor.Report();

        Assert.Equal(HealthStatus.Vanishing, status);
        // ratio 0.25^(7-d) < 1e-3 for d <= 2, and there the norm 0.1·ratio < 1e-4: layers 0..2 cross AUTOTRAINER's rule.
        Assert.Equal(new[] { HealthStatus.Vanishing, HealthStatus.Vanishing, HealthStatus.Vanishing },
            report.Layers.Take(3).Select(l => l.Status));
        Assert.All(report.Layers.Skip(3), l => Assert.Equal(HealthStatus.Ok, l.Status));
        Assert.Equal(HealthRule.RatioBelowLimit, report.Layers[0].Rule);
        Assert.Equal(0.25, report.DepthProfile.FactorPerLayer, 3);
        Assert.Equal(DepthProfileSource.LayerOutputs, report.DepthProfile.Source);

        HealthAdvice advice = Assert.Single(report.Advice, a => a.Trigger == "VANISHING");
        Assert.Contains("sigmoid", advice.Suggestion);
        Assert.Contains("ReLU", advice.Suggestion);
        Assert.Contains("He initialization", advice.Suggestion);
        Assert.Contains("residual", advice.Suggestion);
        Assert.Contains("×0.25 per layer", advice.Suggestion);
        Assert.Contains("AUTOTRAINER", advice.Threshold);
        Assert.Contains("‖g_w1,b1‖/‖g_w8,b8‖ = 6.1e-05", advice.Reading);
    }

    [Fact]
    public void NormAboveOneMillionIsExploding()
    {
        var (monitor, probes) = Make(Synthetic.Stack(3, "relu"));
        Synthetic.Fill(probes, 3, d => d == 1 ? 1e7 : 1e6 / 2, activation: "relu");

        monitor.Record(0, 1.0, probes, 0.01);
        HealthReport report = monitor.Report();

        Assert.Equal(HealthStatus.Exploding, report.Status);
        Assert.Equal(HealthStatus.Exploding, report.Layers[1].Status);
        Assert.Equal(HealthRule.NormAboveCeiling, report.Layers[1].Rule);
        HealthAdvice advice = Assert.Single(report.Advice, a => a.Trigger == "EXPLODING");
        Assert.Contains("‖g‖ > 1.0e+06", advice.Threshold);
        Assert.Contains("clip by global norm", advice.Suggestion);
    }

    [Fact]
    public void RatioAboveSeventyIsExplodingEvenBelowTheCeiling()
    {
        var (monitor, probes) = Make(Synthetic.Stack(4, "tanh"));
        Synthetic.Fill(probes, 4, d => Math.Pow(5, 3 - d), activation: "tanh"); // first/last = 125

        monitor.Record(0, 1.0, probes, 0.01);

        Assert.Equal(HealthStatus.Exploding, monitor.LayerStatus(0));
        Assert.Equal(HealthStatus.Ok, monitor.LayerStatus(1)); // 25 < 70
        Assert.Equal(HealthRule.RatioAboveLimit, monitor.Report().Layers[0].Rule);
    }

    [Fact]
    public void JumpAboveTenTimesTheRollingMedianIsExploding()
    {
        var (monitor, probes) = Make(Synthetic.Stack(2, "relu"));
        for (int step = 0; step < 20; step++)
        {
            Synthetic.Fill(probes, 2, _ => 1.0, activation: "relu");
            Assert.Equal(HealthStatus.Ok, monitor.Record(step, 1.0, probes, 0.01));
        }
        Synthetic.Fill(probes, 2, d => d == 0 ? 30.0 : 1.0, activation: "relu");

        monitor.Record(20, 1.0, probes, 0.01);

        Assert.Equal(HealthStatus.Exploding, monitor.LayerStatus(0));
        HealthReport report = monitor.Report();
        Assert.Equal(HealthRule.NormAboveMedian, report.Sites[Synthetic.Weight(0)].Rule);
        Assert.Equal(0, report.Sites[Synthetic.Weight(0)].Log10Median, 6);
    }

    /// <summary>
    /// Review helper-62: the report quoted the rolling median after this step had joined it, not the one the rule
    /// compared with. Ten steps at 1 and 100 in turn put the median at 10; a step at 1e4 moved it to 100.
    /// </summary>
    [Fact]
    public void TheReportQuotesTheMedianTheRuleComparedWith()
    {
        var (monitor, probes) = Make(Synthetic.Stack(1, "relu"));
        for (int step = 0; step < 10; step++)
        {
            Synthetic.Fill(probes, 1, _ => step % 2 == 0 ? 1.0 : 100.0, activation: "relu");
            monitor.Record(step, 1.0, probes, 0.01);
        }
        Synthetic.Fill(probes, 1, _ => 1e4, activation: "relu");
        monitor.Record(10, 1.0, probes, 0.01);

        HealthReport report = monitor.Report();
        Assert.Equal(HealthRule.NormAboveMedian, report.Sites[Synthetic.Weight(0)].Rule);
        Assert.Equal(1.0, report.Sites[Synthetic.Weight(0)].Log10Median, 6);
        Assert.Equal(1.0, report.Layers[0].Trigger!.Log10Median, 6);
        Assert.Contains("rolling median 10", string.Join("\n", report.Advice.Select(a => a.Reading)));
    }

    [Fact]
    public void HealthyStepsAreOkWithoutAdvice()
    {
        var (monitor, probes) = Make(Synthetic.Stack(Depth, "relu"));
        for (int step = 0; step < 30; step++)
        {
            Synthetic.Fill(probes, Depth, d => 0.1 * (1 + 0.01 * step) * (1 + 0.05 * d), activation: "relu");
            monitor.Record(step, 1.0 / (step + 1), probes, 0.01);
        }
        HealthReport report = monitor.Report();

        Assert.Equal(HealthStatus.Ok, report.Status);
        Assert.All(report.Layers, l => Assert.Equal(HealthStatus.Ok, l.Status));
        Assert.All(report.Sites, s => Assert.Equal(HealthStatus.Ok, s.Status));
        Assert.Empty(report.Advice);
        Assert.Null(report.NonFinite);
    }

    [Fact]
    public void EightyPercentDeadUnitsIsDead()
    {
        const int width = 10, rows = 4;
        var (monitor, probes) = Make(Synthetic.Stack(2, "relu", width));
        var output = new float[rows * width];
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < width; j++) output[r * width + j] = j < 2 ? 1f + r : -1f; // units 2..9 never positive
        }
        Synthetic.Fill(probes, 2, _ => 1.0, width, "relu", d => d == 1 ? output : null);

        monitor.Record(0, 1.0, probes, 0.01);
        HealthReport report = monitor.Report();

        Assert.Equal(HealthStatus.Dead, report.Layers[1].Status);
        Assert.Equal(HealthRule.DeadUnits, report.Layers[1].Rule);
        Assert.Equal(0.8, report.Layers[1].FlaggedFraction, 6);
        Assert.Equal("dead", report.Layers[1].FlagKind);
        HealthAdvice advice = Assert.Single(report.Advice, a => a.Trigger == "DEAD");
        Assert.Contains("80%", advice.Reading);
        Assert.Contains("leaky ReLU", advice.Suggestion);
    }

    [Fact]
    public void MostlyZeroWeightGradientIsDead()
    {
        var (monitor, probes) = Make(Synthetic.Stack(2, "relu"));
        Synthetic.Fill(probes, 2, _ => 1.0, activation: "relu");
        probes.Begin();
        var g = Synthetic.WithNorm(256, 1.0);
        Array.Clear(g, 0, 200); // 78% zeros
        probes.RecordGradient(Synthetic.Weight(0), g);
        probes.RecordGradient(Synthetic.Weight(1), Synthetic.WithNorm(256, 1.0));

        monitor.Record(0, 1.0, probes, 0.01);

        Assert.Equal(HealthStatus.Dead, monitor.SiteStatus(Synthetic.Weight(0)));
        Assert.Equal(HealthRule.ZeroGradients, monitor.Report().Sites[Synthetic.Weight(0)].Rule);
        Assert.Equal(HealthStatus.Ok, monitor.SiteStatus(Synthetic.Weight(1)));
    }

    /// <summary>
    /// Review helper-79: a 12-layer sigmoid stack's gradients of 1e-23 jumping tenfold read EXPLODING (with advice to clip
    /// and lower the rate), flipping with VANISHING step after step. Below the RMS floor a jump is no explosion.
    /// </summary>
    [Fact]
    public void AJumpOfAGradientBelowTheVanishingFloorIsNotExploding()
    {
        var (monitor, probes) = Make(Synthetic.Stack(1, "sigmoid"));
        for (int step = 0; step <= 60; step++)
        {
            Synthetic.Fill(probes, 1, _ => step == 60 ? 1e-21 : 1e-23);
            monitor.Record(step, 2.3, probes, 0.01);
        }
        Assert.Equal(HealthStatus.Vanishing, monitor.SiteStatus(Synthetic.Weight(0)));
        Assert.Equal(HealthRule.RmsBelowFloor, monitor.Report().Sites[Synthetic.Weight(0)].Rule);
        // The same jump at ordinary sizes is EXPLODING, and so is one at 1e-6 (review helper-80: with Adam a model whose
        // loss is scaled by 1e-6 explodes at that scale; the floor sits below Adam's ε).
        foreach (double scale in new[] { 1.0, 1e-6 })
        {
            var (ordinary, readings) = Make(Synthetic.Stack(1, "sigmoid"));
            for (int step = 0; step <= 60; step++)
            {
                Synthetic.Fill(readings, 1, _ => (step == 60 ? 100.0 : 1.0) * scale);
                ordinary.Record(step, 2.3, readings, 0.01);
            }
            Assert.Equal(HealthStatus.Exploding, ordinary.SiteStatus(Synthetic.Weight(0)));
        }
    }

    /// <summary>Review helper-62: a negative first step was refused as "the last step recorded was -1".</summary>
    [Fact]
    public void ANegativeStepIsRefusedAsSuch()
    {
        var (monitor, probes) = Make(Synthetic.Stack(1, "relu"));
        Synthetic.Fill(probes, 1, _ => 1.0, activation: "relu");
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => monitor.Record(-5, 1.0, probes, 0.01));
        Assert.Contains("start at 0", e.Message);
        Assert.Equal(HealthStatus.Ok, monitor.Record(0, 1.0, probes, 0.01));
    }

    /// <summary>
    /// Review helper-62: a window or a history shorter than MinHistory switched every rolling-median rule off (a norm
    /// 500 times its history read OK); such options are refused.
    /// </summary>
    [Fact]
    public void OptionsThatWouldSwitchTheMedianRulesOffAreRefused()
    {
        var layout = Synthetic.Stack(1, "relu");
        var window = Assert.Throws<ArgumentOutOfRangeException>(() => new HealthMonitor(layout, new HealthOptions { Thresholds = new HealthThresholds { RollingWindow = 5 } }));
        Assert.Equal("MinHistory", window.ParamName);
        Assert.Contains("RollingWindow (5)", window.Message);
        var history = Assert.Throws<ArgumentOutOfRangeException>(() => new HealthMonitor(layout, new HealthOptions { HistoryLength = 5 }));
        Assert.Equal("HistoryLength", history.ParamName);
        Assert.Contains("MinHistory (10)", history.Message);
        // At the limits the median rule runs: 200 steps at 1, then one at 500, is EXPLODING.
        var (monitor, probes) = Make(layout, new HealthOptions { HistoryLength = 10, Thresholds = new HealthThresholds { RollingWindow = 10 } });
        for (int step = 0; step <= 200; step++)
        {
            Synthetic.Fill(probes, 1, _ => step == 200 ? 500.0 : 1.0, activation: "relu");
            monitor.Record(step, 1.0, probes, 0.01);
        }
        Assert.Equal(HealthStatus.Exploding, monitor.SiteStatus(Synthetic.Weight(0)));
        Assert.Equal(HealthRule.NormAboveMedian, monitor.Report().Sites[Synthetic.Weight(0)].Rule);
    }

    /// <summary>A step of a two-layer stack whose first weight gradient has <paramref name="zeros"/> of its 256 values 0.</summary>
    private static void RecordFirstWeightWithZeros(HealthMonitor monitor, GradientProbes probes, long step, int zeros)
    {
        var g = Synthetic.WithNorm(256, 1.0);
        Array.Clear(g, 0, zeros);
        probes.Begin();
        probes.RecordGradient(Synthetic.Weight(0), g);
        probes.RecordGradient(Synthetic.Weight(1), Synthetic.WithNorm(256, 1.0));
        monitor.Record(step, 1.0, probes, 0.01);
    }

    /// <summary>
    /// Review helper-62: leaky ReLU and PReLU pass gradients for negative inputs, so a weight gradient 78% zeros (one-hot
    /// inputs using a quarter of the columns) is sparse input, not dead units; leaky ReLU layers read DEAD with advice to
    /// use leaky ReLU. A gradient that is zero everywhere is still DEAD, with the no-gradient advice.
    /// </summary>
    [Theory]
    [InlineData("LeakyRelu")]
    [InlineData("PRelu")]
    [InlineData("Elu")]  // review helper-66: ELU's, SELU's and SiLU's derivatives stay above 0 down to about -88
    [InlineData("Selu")]
    [InlineData("Silu")]
    public void MostlyZeroWeightGradientUnderALeakyActivationIsNotDead(string activation)
    {
        var (monitor, probes) = Make(Synthetic.Stack(2, activation));
        RecordFirstWeightWithZeros(monitor, probes, step: 0, zeros: 200); // 78% zeros
        Assert.Equal(HealthStatus.Ok, monitor.SiteStatus(Synthetic.Weight(0)));

        RecordFirstWeightWithZeros(monitor, probes, step: 1, zeros: 256);
        Assert.Equal(HealthStatus.Dead, monitor.SiteStatus(Synthetic.Weight(0)));
        HealthAdvice advice = Assert.Single(monitor.Report().Advice, a => a.Trigger == "DEAD");
        Assert.DoesNotContain("leaky ReLU", advice.Suggestion);
        Assert.Contains("no gradient reaches", advice.Suggestion);
    }

    /// <summary>
    /// Review helper-65: GELU's derivative is exactly 0 in float not far below zero (about -14), so its units die as
    /// ReLU's do: 13 of 16 GELU units pushed to -20 left 81% of the weight gradient zero and read OK once the
    /// leaky-ReLU fix had excluded the whole family.
    /// </summary>
    [Theory]
    [InlineData("Relu")]
    [InlineData("Gelu")]
    public void MostlyZeroWeightGradientUnderAnActivationWhoseUnitsDieIsDead(string activation)
    {
        var (monitor, probes) = Make(Synthetic.Stack(2, activation));
        RecordFirstWeightWithZeros(monitor, probes, step: 0, zeros: 208); // 81% zeros
        Assert.Equal(HealthStatus.Dead, monitor.SiteStatus(Synthetic.Weight(0)));
        Assert.Equal(HealthRule.ZeroGradients, monitor.Report().Sites[Synthetic.Weight(0)].Rule);
        Assert.Contains("leaky ReLU", Assert.Single(monitor.Report().Advice, a => a.Trigger == "DEAD").Suggestion);
    }

    /// <summary>
    /// A ReLU layer's weight gradient 81% zeros is sparse input only when its bias gradient and its activation site both
    /// say its units live (a dead unit's bias gradient is exactly 0 and it is never positive); either reading alone can
    /// mislead (a shared bias, a features-first layer), so without both the layer stays DEAD.
    /// </summary>
    [Theory]
    [InlineData(0, 0, true, HealthStatus.Ok)]
    [InlineData(8, 0, true, HealthStatus.Ok)]     // half the biases 0: below the 70% of the rule
    [InlineData(12, 0, true, HealthStatus.Dead)]  // 75% of the bias gradient 0
    [InlineData(0, 12, true, HealthStatus.Dead)]  // 75% of the units never positive
    [InlineData(0, 0, false, HealthStatus.Dead)]  // no unit count
    public void AMostlyZeroReluWeightGradientIsSparseInputOnlyWhenBiasAndUnitsAgree(int zeroBiases, int deadUnits, bool activation, HealthStatus expected)
    {
        var (monitor, probes) = Make(Synthetic.Stack(2, "Relu"));
        var g = Synthetic.WithNorm(256, 1.0);
        Array.Clear(g, 0, 208);
        var bias = Synthetic.WithNorm(16, 0.25);
        Array.Clear(bias, 0, zeroBiases);
        var outputs = new float[64]; // 4 rows of 16 units
        for (int i = 0; i < outputs.Length; i++) outputs[i] = i % 16 < deadUnits ? -0.5f : 0.5f;
        probes.Begin();
        probes.RecordGradient(Synthetic.Weight(0), g);
        probes.RecordGradient(Synthetic.Bias(0), bias);
        if (activation) probes.RecordActivation(Synthetic.Activation(0), outputs, 4, ActivationKind.Relu);
        probes.RecordGradient(Synthetic.Weight(1), Synthetic.WithNorm(256, 1.0));
        monitor.Record(0, 1.0, probes, 0.01);

        Assert.Equal(expected, monitor.SiteStatus(Synthetic.Weight(0)));
        Assert.Equal(expected == HealthStatus.Dead ? HealthRule.ZeroGradients : HealthRule.None, monitor.Report().Sites[Synthetic.Weight(0)].Rule);
    }

    /// <summary>
    /// Review helper-62: the adjoint of a ReLU's input ('z = Linear(...); h = Relu(z)' gives z a LayerOutput site with
    /// the ReLU activation) is zero wherever z is negative, most of it in a healthy layer: it read DEAD with no unit dead.
    /// Only weights are judged by the zero fraction.
    /// </summary>
    [Fact]
    public void AMostlyZeroAdjointOfAReluInputIsNotDead()
    {
        var (monitor, probes) = Make(Synthetic.Stack(2, "relu"));
        var g = Synthetic.WithNorm(64, 2.0);
        Array.Clear(g, 0, 51); // 80% zeros
        probes.Begin();
        probes.RecordGradient(Synthetic.Weight(0), Synthetic.WithNorm(256, 1.0));
        probes.RecordGradient(Synthetic.Output(0), g);
        probes.RecordGradient(Synthetic.Weight(1), Synthetic.WithNorm(256, 1.0));
        monitor.Record(0, 1.0, probes, 0.01);
        Assert.Equal(HealthStatus.Ok, monitor.SiteStatus(Synthetic.Output(0)));
        Assert.Equal(HealthStatus.Ok, monitor.Report().Layers[0].Status);
    }

    /// <summary>
    /// Review helper-54: a 30-layer sigmoid stack's first layers read exactly 0 under layers at 1e-45, and were called
    /// DEAD with advice to look for a disconnected input. Under a VANISHING layer, a gradient of 0 has underflowed.
    /// </summary>
    [Fact]
    public void AZeroGradientUnderVanishingLayersHasUnderflowedAndIsVanishing()
    {
        var (monitor, probes) = Make(Synthetic.Stack(Depth, "sigmoid"));
        Synthetic.Fill(probes, Depth, d => d < 3 ? 0.0 : 0.1 * Math.Pow(1e-8, Depth - 1 - d));

        HealthStatus status = monitor.Record(0, 0.7, probes, 0.1);
        HealthReport report = monitor.Report();

        Assert.Equal(HealthStatus.Vanishing, status);
        Assert.All(report.Layers.Take(4), l => Assert.Equal(HealthStatus.Vanishing, l.Status));
        Assert.All(report.Layers.Take(3), l => Assert.Equal(HealthRule.RmsBelowFloor, l.Rule));
        Assert.DoesNotContain(report.Advice, a => a.Trigger == "DEAD");
        Assert.Contains("w1,b1", Assert.Single(report.Advice, a => a.Trigger == "VANISHING").Subject);
    }

    /// <summary>
    /// Review helper-56: a zero weight gradient under a VANISHING layer is not always underflow. An input of zeros
    /// leaves the bias gradient and ∂L/∂h; a ReLU layer's units can be dead; a layer above at 1e-9 is vanishing, not
    /// at float's floor. Each stays DEAD, with DEAD's advice.
    /// </summary>
    [Theory]
    [InlineData("sigmoid", 1e-9, 0.0, false)]   // the layer above is small, not near underflow
    [InlineData("sigmoid", 1e-34, 1e-5, false)] // the layer's own bias gradient is alive (an input of zeros)
    [InlineData("relu", 1e-34, 0.0, true)]      // every unit of the layer is dead
    public void AZeroWeightGradientThatIsNotUnderflowStaysDead(string activation, double above, double ownBias, bool deadUnits)
    {
        var (monitor, probes) = Make(Synthetic.Stack(3, activation));
        const int width = 16;
        var dead = new float[4 * width]; // all ≤ 0: never positive
        var healthy = new float[4 * width];
        for (int i = 0; i < healthy.Length; i++) healthy[i] = 0.25f + 0.5f * (i % 2);
        probes.Begin();
        for (int d = 0; d < 3; d++)
        {
            double norm = d == 0 ? 0.0 : d == 1 ? above : 0.1;
            probes.RecordGradient(Synthetic.Weight(d), Synthetic.WithNorm(width * width, norm));
            probes.RecordGradient(Synthetic.Bias(d), Synthetic.WithNorm(width, d == 0 ? ownBias : norm / 4));
            probes.RecordGradient(Synthetic.Output(d), Synthetic.WithNorm(4 * width, norm * 2));
            probes.RecordActivation(Synthetic.Activation(d), d == 0 && deadUnits ? dead : healthy, 4, ProbeSiteExtensions.ParseActivation(activation));
        }

        monitor.Record(0, 0.7, probes, 0.1);
        HealthReport report = monitor.Report();

        Assert.Equal(HealthStatus.Vanishing, report.Layers[1].Status);
        Assert.Equal(HealthStatus.Dead, report.Layers[0].Status);
        Assert.Contains(report.Advice, a => a.Trigger == "DEAD");
    }

    [Fact]
    public void AZeroGradientUnderHealthyLayersIsStillDead()
    {
        var (monitor, probes) = Make(Synthetic.Stack(Depth, "sigmoid"));
        Synthetic.Fill(probes, Depth, d => d == 0 ? 0.0 : 0.1);

        monitor.Record(0, 0.7, probes, 0.1);
        HealthReport report = monitor.Report();

        Assert.Equal(HealthStatus.Dead, report.Layers[0].Status);
        Assert.Equal(HealthRule.ZeroGradients, report.Layers[0].Rule);
    }

    [Fact]
    public void SaturatedSigmoidOutputsAreSaturated()
    {
        var (monitor, probes) = Make(Synthetic.Stack(2, "sigmoid"));
        var output = Enumerable.Range(0, 40).Select(i => i % 10 < 8 ? 0.999f : 0.5f).ToArray();
        Synthetic.Fill(probes, 2, _ => 1.0, activations: d => d == 0 ? output : null);

        monitor.Record(0, 1.0, probes, 0.01);
        HealthReport report = monitor.Report();

        Assert.Equal(HealthStatus.Saturated, report.Layers[0].Status);
        Assert.Equal("saturated", report.Layers[0].FlagKind);
        Assert.Contains("Xavier", Assert.Single(report.Advice, a => a.Trigger == "SATURATED").Suggestion);
    }

    [Fact]
    public void RmsBelowFloorIsVanishing()
    {
        var (monitor, probes) = Make(Synthetic.Stack(1, "relu"));
        Synthetic.Fill(probes, 1, _ => 1e-6, activation: "relu"); // RMS = 1e-6/16 < 1e-7

        monitor.Record(0, 1.0, probes, 0.01);
        HealthReport report = monitor.Report();

        Assert.Equal(HealthStatus.Vanishing, report.Status);
        Assert.Equal(HealthRule.RmsBelowFloor, report.Layers[0].Rule);
        Assert.Contains("RMS(g_w1) = 6.25e-08", report.Advice[0].Reading); // the site that crossed the floor
    }

    [Theory]
    [InlineData(HealthStatus.Ok, "OK")]
    [InlineData(HealthStatus.Vanishing, "VANISHING")]
    [InlineData(HealthStatus.Exploding, "EXPLODING")]
    [InlineData(HealthStatus.NonFinite, "NON-FINITE")]
    [InlineData(HealthStatus.Saturated, "SATURATED")]
    [InlineData(HealthStatus.Dead, "DEAD")]
    public void ReportWordsAreExactlyTheDocumentedOnes(HealthStatus status, string word) =>
        Assert.Equal(word, status.ToReportWord());
}
