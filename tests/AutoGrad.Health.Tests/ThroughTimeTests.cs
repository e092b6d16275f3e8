using System;
using System.Linq;
using AutoGrad.Probes;
using Xunit;

namespace AutoGrad.Health.Tests;

/// <summary>
/// A layer output inside a recurrence is recorded once per time step, the last step first; the monitor compares the
/// first time step's ‖∂L/∂h‖ with the last's, as AUTOTRAINER compares the first layer with the last.
/// </summary>
public class ThroughTimeTests
{
    private const int Steps = 32;

    /// <summary>One recurrent cell (w1, b1, h1 recorded per time step) feeding a plain output layer.</summary>
    private static ProbeLayout Recurrent() => new("Rnn.Loss", new[]
    {
        new ProbeSite("w1", ProbeKind.Parameter, 0, "Tanh", 256, Synthetic.File, 10, true),
        new ProbeSite("b1", ProbeKind.Parameter, 0, "Tanh", 16, Synthetic.File, 10, true),
        new ProbeSite("h", ProbeKind.LayerOutput, 0, "Tanh", 0, Synthetic.File, 10, true),
        new ProbeSite("wo", ProbeKind.Parameter, 1, "None", 160, Synthetic.File, 12, false),
    });

    /// <summary>The backward pass over <see cref="Steps"/> time steps: ∂L/∂h at time step t has norm latest·factor^(T-1-t).</summary>
    private static void Fill(GradientProbes probes, double latest, double factorPerStep)
    {
        probes.Begin();
        probes.RecordGradient(3, Synthetic.WithNorm(160, 0.5));
        for (int t = Steps - 1; t >= 0; t--)
        {
            probes.RecordGradient(2, Synthetic.WithNorm(16, latest * Math.Pow(factorPerStep, Steps - 1 - t)));
        }
        probes.RecordGradient(0, Synthetic.WithNorm(256, 0.3));
        probes.RecordGradient(1, Synthetic.WithNorm(16, 0.1));
    }

    [Fact]
    public void ProbesKeepTheFirstAndLastRecordOfAStep()
    {
        var probes = new GradientProbes(Recurrent());
        Fill(probes, 0.4, 0.5);
        Assert.Equal(Steps, probes.RecordCount(2));
        Assert.Equal(0.4, probes.FirstRecordL2(2), 5);
        Assert.Equal(0.4 * Math.Pow(0.5, Steps - 1), probes.LastRecordL2(2), 12);
        Assert.Equal(1, probes.RecordCount(3));
        probes.Begin();
        Assert.Equal(0, probes.RecordCount(2));
    }

    [Fact]
    public void AGradientFadingThroughTimeIsVanishingWithRecurrentAdvice()
    {
        var layout = Recurrent();
        var monitor = new HealthMonitor(layout);
        var probes = new GradientProbes(layout);
        Fill(probes, 0.3, 0.6); // 0.6^31 ≈ 1.3e-7 of the last step's

        Assert.Equal(HealthStatus.Vanishing, monitor.Record(0, 2.0, probes, 0.05));
        HealthReport report = monitor.Report();
        LayerHealth cell = report.Layers[0];
        Assert.Equal(HealthRule.ThroughTimeBelowLimit, cell.Rule);
        Assert.Equal(Steps, cell.Trigger!.TimeSteps);
        Assert.Equal(0.3 * Math.Pow(0.6, Steps - 1) / 0.3, cell.Trigger.EarliestNorm / cell.Trigger.LatestNorm, 9);
        Assert.Equal("LSTM/GRU", cell.Advice);
        HealthAdvice advice = Assert.Single(report.Advice, a => a.Trigger == "VANISHING");
        Assert.Contains("first of 32 time steps", advice.Reading);
        Assert.Contains("×0.6 per step back in time", advice.Reading);
        Assert.Contains("along the recurrence", advice.Threshold);
        Assert.Contains("LSTM or GRU", advice.Suggestion);
        Assert.DoesNotContain("ReLU", advice.Suggestion);
        SiteHealth h = report.Sites.Single(s => s.Site.Name == "h");
        Assert.Equal(Steps, h.TimeSteps);
        Assert.Equal(HealthStatus.Vanishing, h.Status);
    }

    /// <summary>
    /// A gradient that faded so far that the first time step's adjoint underflowed to exactly 0 is the strongest case
    /// of vanishing, on the first step and on the rolling medians after it (it read OK while a zero first norm was
    /// taken for a missing reading).
    /// </summary>
    /// <summary>
    /// A loop over layers of run-time depth (every site AcrossLayers) reads the same way but is advised as a deep stack;
    /// a stacked RNN's layer, whose output site is in the loop over layers and whose weights are in the loop over time,
    /// is still a recurrence (review helper-67: one AcrossLayers site had turned the whole layer into a stack).
    /// </summary>
    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void ALoopOverLayersIsAdvisedAsAStackAndAStackedRecurrenceAsARecurrence(bool weightsAcrossLayers, bool recurrence)
    {
        ProbeSite[] sites = Recurrent().Sites.ToArray();
        sites[0] = sites[0] with { AcrossLayers = weightsAcrossLayers };
        sites[1] = sites[1] with { AcrossLayers = weightsAcrossLayers };
        sites[2] = sites[2] with { AcrossLayers = true };
        var layout = new ProbeLayout("Rnn.Loss", sites);
        var monitor = new HealthMonitor(layout);
        var probes = new GradientProbes(layout);
        Fill(probes, 0.3, 0.6);

        Assert.Equal(HealthStatus.Vanishing, monitor.Record(0, 2.0, probes, 0.05));
        HealthAdvice advice = Assert.Single(monitor.Report().Advice, a => a.Trigger == "VANISHING");
        if (recurrence)
        {
            Assert.Contains("first of 32 time steps", advice.Reading);
            Assert.Contains("LSTM or GRU", advice.Suggestion);
        }
        else
        {
            Assert.Contains("first of the loop's 32 iterations", advice.Reading);
            Assert.DoesNotContain("LSTM", advice.Suggestion);
            Assert.Contains("run-time depth", advice.Suggestion);
        }
    }

    [Fact]
    public void AGradientThatFadedToExactlyZeroIsVanishing()
    {
        var layout = Recurrent();
        var monitor = new HealthMonitor(layout);
        var probes = new GradientProbes(layout);
        for (int step = 0; step < 30; step++)
        {
            Fill(probes, 0.3, 0.0); // every time step before the last reads exactly 0
            Assert.Equal(0.0, probes.LastRecordL2(2));
            Assert.Equal(HealthStatus.Vanishing, monitor.Record(step, 2.0, probes, 0.05));
        }
        LayerHealth cell = monitor.Report().Layers[0];
        Assert.Equal(HealthRule.ThroughTimeBelowLimit, cell.Rule);
        Assert.Equal(0.0, cell.Trigger!.EarliestNorm);
        Assert.Equal(0.0, cell.Trigger.MedianTimeRatio);
        Assert.Contains("LSTM or GRU", Assert.Single(monitor.Report().Advice, a => a.Trigger == "VANISHING").Suggestion);
    }

    [Fact]
    public void AGradientGrowingThroughTimeIsExplodingWithClippingAdvice()
    {
        var layout = Recurrent();
        var monitor = new HealthMonitor(layout);
        var probes = new GradientProbes(layout);
        Fill(probes, 0.01, 1.25); // 1.25^31 ≈ 1,000 times the last step's

        Assert.Equal(HealthStatus.Exploding, monitor.Record(0, 2.0, probes, 0.05));
        HealthReport report = monitor.Report();
        Assert.Equal(HealthRule.ThroughTimeAboveLimit, report.Layers[0].Rule);
        HealthAdvice advice = Assert.Single(report.Advice, a => a.Trigger == "EXPLODING");
        Assert.Contains("first of 32 time steps", advice.Reading);
        Assert.Contains("clip by global norm", advice.Suggestion);
    }

    [Theory]
    [InlineData(0.9)]  // 0.9^31 ≈ 0.04: fading, but well within AUTOTRAINER's 1e-3
    [InlineData(1.0)]
    [InlineData(1.1)]  // 1.1^31 ≈ 19, below 70
    public void AGradientThatReachesTheFirstTimeStepIsOk(double factor)
    {
        var layout = Recurrent();
        var monitor = new HealthMonitor(layout);
        var probes = new GradientProbes(layout);
        Fill(probes, 0.3, factor);
        Assert.Equal(HealthStatus.Ok, monitor.Record(0, 2.0, probes, 0.05));
    }

    [Fact]
    public void AFadingRatioWithALargeFirstStepIsNotVanishing()
    {
        // AUTOTRAINER's second condition: the first norm itself must be small (< 1e-4) too.
        var layout = Recurrent();
        var monitor = new HealthMonitor(layout);
        var probes = new GradientProbes(layout);
        Fill(probes, 1e3, 0.7); // 0.7^31 ≈ 1.6e-5 of the last step's, but the first step still holds 0.016
        monitor.Record(0, 2.0, probes, 0.05);
        Assert.NotEqual(HealthRule.ThroughTimeBelowLimit, monitor.Report().Layers[0].Rule);
        Assert.NotEqual(HealthStatus.Vanishing, monitor.Report().Layers[0].Status);
    }

    [Fact]
    public void TheJsonLinesRecordCarriesTheTimeProfile()
    {
        var layout = Recurrent();
        var monitor = new HealthMonitor(layout);
        var probes = new GradientProbes(layout);
        Fill(probes, 0.3, 0.6);
        monitor.Record(0, 2.0, probes, 0.05);
        var stream = new System.IO.MemoryStream();
        using (var writer = new HealthJsonLinesWriter(stream, leaveOpen: true)) writer.Write(monitor);
        using var json = System.Text.Json.JsonDocument.Parse(stream.ToArray());
        var h = json.RootElement.GetProperty("sites").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "h");
        Assert.Equal(Steps, h.GetProperty("time_steps").GetInt32());
        Assert.Equal(0.3, h.GetProperty("l2_last_time_step").GetDouble(), 5);
        Assert.True(h.GetProperty("l2_first_time_step").GetDouble() < 1e-6);
        var wo = json.RootElement.GetProperty("sites").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "wo");
        Assert.False(wo.TryGetProperty("time_steps", out _));
    }

    [Fact]
    public void FadingIsJudgedOnTheRollingMedianSoOneBatchDoesNotFlipIt()
    {
        var layout = Recurrent();
        var monitor = new HealthMonitor(layout);
        var probes = new GradientProbes(layout);
        for (int step = 0; step < 40; step++)
        {
            Fill(probes, 0.3, step % 7 == 6 ? 0.9 : 0.6); // every seventh batch reaches the first step
            monitor.Record(step, 2.0, probes, 0.05);
            if (step >= 20) Assert.Equal(HealthStatus.Vanishing, monitor.Status);
        }
        // A healthy recurrence with one fading batch stays OK.
        var healthy = new HealthMonitor(layout);
        for (int step = 0; step < 40; step++)
        {
            Fill(probes, 0.3, step == 30 ? 0.6 : 0.95);
            healthy.Record(step, 2.0, probes, 0.05);
            if (step >= 20) Assert.Equal(HealthStatus.Ok, healthy.Status);
        }
        // Six of every seven batches fade by 0.6 per step: that is the median the fading monitor reports.
        double median = monitor.Report().Layers[0].Trigger!.MedianTimeRatio;
        Assert.Equal(Math.Log10(Math.Pow(0.6, Steps - 1)), Math.Log10(median), 6);
    }

    /// <summary>
    /// Review helper-79: an LSTM or GRU was told to use LSTM/GRU cells, and a run that clips was told to clip. An
    /// op site named LstmCell or GruCell at the layer's depth makes it a gated cell; the clipping threshold is an option.
    /// </summary>
    [Fact]
    public void AGatedCellIsNotToldToUseOneAndAClippedRunNotToClip()
    {
        ProbeSite[] sites = Recurrent().Sites.Append(new ProbeSite("LstmCell", ProbeKind.Operation, 0, "None", 0, Synthetic.File, 10, true)).ToArray();
        var layout = new ProbeLayout("Lstm.Loss", sites);
        var fading = new HealthMonitor(layout);
        var probes = new GradientProbes(layout);
        Fill(probes, 0.3, 0.6);
        Assert.Equal(HealthStatus.Vanishing, fading.Record(0, 2.0, probes, 0.05));
        HealthAdvice advice = Assert.Single(fading.Report().Advice, a => a.Trigger == "VANISHING");
        Assert.DoesNotContain("use LSTM or GRU", advice.Suggestion);
        Assert.Contains("gated cells already", advice.Suggestion);

        var clipped = new HealthMonitor(layout, new HealthOptions { ClipGlobalNorm = 1 });
        var parameters = new AutoGrad.Optim.ParameterList();
        foreach ((string name, int[] shape) in new[] { ("w1", new[] { 16, 16 }), ("b1", new[] { 16 }), ("wo", new[] { 10, 16 }) })
        {
            parameters.Add(name, Tensor.Zeros(shape), Tensor.Zeros(shape));
        }
        for (int step = 0; step <= 60; step++)
        {
            probes.Begin();
            probes.RecordGradient(3, Synthetic.WithNorm(160, 0.5));
            for (int t = Steps - 1; t >= 0; t--) probes.RecordGradient(2, Synthetic.WithNorm(16, 0.3));
            probes.RecordGradient(0, Synthetic.WithNorm(256, step == 60 ? 300 : 0.3));
            probes.RecordGradient(1, Synthetic.WithNorm(16, 0.1));
            clipped.Record(step, 2.0, probes, 0.05, parameters);
        }
        HealthAdvice exploding = Assert.Single(clipped.Report().Advice, a => a.Trigger == "EXPLODING");
        Assert.DoesNotContain("use LSTM/GRU", exploding.Suggestion);
        Assert.DoesNotContain("clip by global norm", exploding.Suggestion);
        Assert.Contains("lower the clipping threshold (HealthOptions.ClipGlobalNorm, now 1)", exploding.Suggestion);
    }

    /// <summary>Review helper-93: a GRU whose gradient fades was told to check its forget gate's bias; a GRU has an
    /// update gate and no cell state. An LSTM keeps the forget gate.</summary>
    [Theory]
    [InlineData("GruCell", "the update gate's bias", "forget gate")]
    [InlineData("LstmCell", "the forget gate's bias", "update gate")]
    public void AFadingGatedCellIsToldAboutItsOwnGate(string cell, string expected, string absent)
    {
        ProbeSite[] sites = Recurrent().Sites.Append(new ProbeSite(cell, ProbeKind.Operation, 0, "None", 0, Synthetic.File, 10, true)).ToArray();
        var layout = new ProbeLayout("Gated.Loss", sites);
        var monitor = new HealthMonitor(layout);
        var probes = new GradientProbes(layout);
        Fill(probes, 0.3, 0.6);
        Assert.Equal(HealthStatus.Vanishing, monitor.Record(0, 2.0, probes, 0.05));
        HealthAdvice advice = Assert.Single(monitor.Report().Advice, a => a.Trigger == "VANISHING");
        Assert.Contains(expected, advice.Suggestion);
        Assert.DoesNotContain(absent, advice.Suggestion);
    }

    /// <summary>Review helper-94: a GRU beside a plain recurrence, both fading, was told to use LSTM/GRU cells.</summary>
    [Fact]
    public void AGruBesideAPlainRecurrenceGetsItsOwnCure()
    {
        ProbeSite[] sites =
        {
            new("wx", ProbeKind.Parameter, 0, "None", 256, Synthetic.File, 10, true),
            new("h", ProbeKind.LayerOutput, 0, "None", 0, Synthetic.File, 10, true),
            new("GruCell", ProbeKind.Operation, 0, "None", 0, Synthetic.File, 10, true),
            new("uh", ProbeKind.Parameter, 1, "Tanh", 256, Synthetic.File, 12, true),
            new("g", ProbeKind.LayerOutput, 1, "Tanh", 0, Synthetic.File, 12, true),
            new("wo", ProbeKind.Parameter, 2, "None", 160, Synthetic.File, 14, false),
        };
        var layout = new ProbeLayout("Mixed.Loss", sites);
        var monitor = new HealthMonitor(layout);
        var probes = new GradientProbes(layout);
        probes.Begin();
        probes.RecordGradient(5, Synthetic.WithNorm(160, 0.5));
        for (int t = Steps - 1; t >= 0; t--) probes.RecordGradient(4, Synthetic.WithNorm(16, 0.3 * Math.Pow(0.6, Steps - 1 - t)));
        probes.RecordGradient(3, Synthetic.WithNorm(256, 0.3));
        for (int t = Steps - 1; t >= 0; t--) probes.RecordGradient(1, Synthetic.WithNorm(16, 0.3 * Math.Pow(0.6, Steps - 1 - t)));
        probes.RecordGradient(0, Synthetic.WithNorm(256, 0.3));

        monitor.Record(0, 2.0, probes, 0.05);
        HealthReport report = monitor.Report();

        Assert.Equal("shorter sequences", report.Layers[0].Advice);
        Assert.Equal("LSTM/GRU", report.Layers[1].Advice);
        Assert.Contains(report.Advice, a => a.Suggestion.Contains("use LSTM/GRU cells for uh", StringComparison.Ordinal) &&
                                             a.Suggestion.Contains("the update gate's bias", StringComparison.Ordinal));
    }

    /// <summary>Review helper-96: an exploding GRU beside an exploding plain recurrence was told to use LSTM/GRU cells.</summary>
    [Fact]
    public void AnExplodingGruBesideAPlainRecurrenceIsNotToldToUseOne()
    {
        ProbeSite[] sites =
        {
            new("wx", ProbeKind.Parameter, 0, "None", 256, Synthetic.File, 10, true),
            new("GruCell", ProbeKind.Operation, 0, "None", 0, Synthetic.File, 10, true),
            new("uh", ProbeKind.Parameter, 1, "Tanh", 256, Synthetic.File, 12, true),
            new("wo", ProbeKind.Parameter, 2, "None", 160, Synthetic.File, 14, false),
        };
        var layout = new ProbeLayout("Mixed.Loss", sites);
        var monitor = new HealthMonitor(layout);
        var probes = new GradientProbes(layout);
        probes.Begin();
        probes.RecordGradient(3, Synthetic.WithNorm(160, 0.5));
        probes.RecordGradient(2, Synthetic.WithNorm(256, 1e8));
        probes.RecordGradient(0, Synthetic.WithNorm(256, 1e8));

        monitor.Record(0, 2.0, probes, 0.05);
        HealthReport report = monitor.Report();

        Assert.Equal("clip", report.Layers[0].Advice);
        Assert.Equal("clip; LSTM/GRU", report.Layers[1].Advice);
        HealthAdvice advice = Assert.Single(report.Advice, a => a.Trigger == "EXPLODING");
        Assert.Contains("use LSTM/GRU cells for uh", advice.Suggestion);
    }

    /// <summary>
    /// A recurrent layer and the feed-forward head after it both exploding get one piece of advice each: the head was
    /// told it sat in a recurrence and to use LSTM/GRU cells.
    /// </summary>
    [Fact]
    public void AnExplodingHeadAfterAnExplodingRecurrenceIsNotToldItIsRecurrent()
    {
        var monitor = new HealthMonitor(Recurrent());
        var probes = new GradientProbes(Recurrent());
        probes.Begin();
        probes.RecordGradient(3, Synthetic.WithNorm(160, 1e8));
        for (int t = Steps - 1; t >= 0; t--) probes.RecordGradient(2, Synthetic.WithNorm(16, 0.3));
        probes.RecordGradient(0, Synthetic.WithNorm(256, 1e8));
        probes.RecordGradient(1, Synthetic.WithNorm(16, 0.1));

        Assert.Equal(HealthStatus.Exploding, monitor.Record(0, 2.0, probes, 0.05));
        HealthReport report = monitor.Report();

        Assert.All(report.Layers, l => Assert.Equal(HealthStatus.Exploding, l.Status));
        HealthAdvice[] exploding = report.Advice.Where(a => a.Trigger == "EXPLODING").ToArray();
        Assert.Equal(2, exploding.Length);
        HealthAdvice cell = Assert.Single(exploding, a => a.Subject.Contains("w1", StringComparison.Ordinal));
        HealthAdvice head = Assert.Single(exploding, a => a.Subject.Contains("wo", StringComparison.Ordinal));
        Assert.DoesNotContain("wo", cell.Subject);
        Assert.Contains("sits in a recurrence", cell.Suggestion);
        Assert.Contains("LSTM/GRU", cell.Suggestion);
        Assert.DoesNotContain("recurrence", head.Suggestion);
        Assert.DoesNotContain("LSTM", head.Suggestion);
        Assert.Contains("clip by global norm", head.Suggestion);
        Assert.Equal("clip; LSTM/GRU", report.Layers[0].Advice);
        Assert.Equal("clip; lower LR", report.Layers[1].Advice);
    }

    /// <summary>Review helper-80: a run that clips was told to lower its threshold for a gradient growing across time
    /// steps, which clipping (the same factor on every step) cannot change.</summary>
    [Fact]
    public void GrowthAcrossTimeStepsUnderClippingIsNotToldToClipHarder()
    {
        var monitor = new HealthMonitor(Recurrent(), new HealthOptions { ClipGlobalNorm = 0.1 });
        var probes = new GradientProbes(Recurrent());
        var parameters = new AutoGrad.Optim.ParameterList();
        foreach ((string name, int[] shape) in new[] { ("w1", new[] { 16, 16 }), ("b1", new[] { 16 }), ("wo", new[] { 10, 16 }) })
        {
            parameters.Add(name, Tensor.Zeros(shape), Tensor.Zeros(shape));
        }
        Fill(probes, 0.3, 1.5); // the first time step's adjoint 1.5^31 times the last's
        Assert.Equal(HealthStatus.Exploding, monitor.Record(0, 2.0, probes, 0.05, parameters));
        HealthAdvice advice = Assert.Single(monitor.Report().Advice, a => a.Trigger == "EXPLODING");
        Assert.Contains("bounds the update but not this growth", advice.Suggestion);
        Assert.DoesNotContain("lower the clipping threshold", advice.Suggestion);
    }
}
