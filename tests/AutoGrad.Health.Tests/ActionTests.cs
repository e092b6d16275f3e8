using System;
using System.Collections.Generic;
using System.Linq;
using AutoGrad.Optim;
using AutoGrad.Probes;
using Xunit;

namespace AutoGrad.Health.Tests;

public class ActionTests
{
    private static void FillFromGradients(GradientProbes probes, ParameterList parameters)
    {
        probes.Begin();
        for (int i = 0; i < parameters.Count; i++)
        {
            probes.RecordGradient(probes.Layout.IndexOf(parameters[i].Name, ProbeKind.Parameter), parameters[i].Gradient.Span);
        }
    }

    private static double GlobalNorm(ParameterList parameters) =>
        Math.Sqrt(parameters.Sum(p => p.Gradient.ToArray().Sum(v => (double)v * v)));

    [Fact]
    public void ClipsByTheGlobalNormTheProbesMeasured()
    {
        var layout = Synthetic.Stack(2, "relu");
        var parameters = Parameters.ForStack(2);
        foreach (Parameter p in parameters) Synthetic.WithNorm(p.Gradient.Length, 3.0).CopyTo(p.Gradient.Span);
        var probes = new GradientProbes(layout);
        FillFromGradients(probes, parameters);
        double before = GlobalNorm(parameters);
        var monitor = new HealthMonitor(layout, new HealthOptions { ClipGlobalNorm = 1.0 });

        monitor.Record(0, 1.0, probes, 0.1, parameters);

        Assert.Equal(before, monitor.GlobalNorm, 4);
        Assert.Equal(1.0, GlobalNorm(parameters), 4);
        Assert.Equal(1.0 / before, monitor.ClipScale, 5);
        Assert.Contains("clipped ×", monitor.Report().Summary());
    }

    /// <summary>
    /// Review helper-84: the probes' global norm covers every parameter of the method, the scaling only the list's
    /// entries. A list without one of them (b1 here, or an input not marked [NoGrad]) was scaled by a norm that counted
    /// it, and came out below the limit.
    /// </summary>
    [Fact]
    public void AListThatIsNotTheMethodsParametersIsClippedByItsOwnNorm()
    {
        var layout = Synthetic.Stack(2, "relu");
        var all = Parameters.ForStack(2);
        foreach (Parameter p in all) Synthetic.WithNorm(p.Gradient.Length, 3.0).CopyTo(p.Gradient.Span);
        var probes = new GradientProbes(layout);
        FillFromGradients(probes, all);
        var weights = new ParameterList { all[0], all[2] }; // w1 and w2, without the biases
        var monitor = new HealthMonitor(layout, new HealthOptions { ClipGlobalNorm = 1.0 });

        monitor.Record(0, 1.0, probes, 0.1, weights);

        Assert.Equal(6.0, monitor.GlobalNorm, 4);               // the method's gradient, as probed
        Assert.Equal(1.0, GlobalNorm(weights), 4);              // the list, clipped to the limit by its own norm
        Assert.Equal(1.0 / Math.Sqrt(18), monitor.ClipScale, 5);
        Assert.Equal(3.0, GlobalNorm(new ParameterList { all[1] }), 4); // not in the list: left alone
    }

    /// <summary>
    /// Review helper-84: on a non-finite step clipping was skipped altogether, so with SkipNonFiniteUpdates off an
    /// infinite gradient reached the optimizer although ClipValue promised every value clamped (clip_grad_value_ clamps ±∞).
    /// </summary>
    [Fact]
    public void ClippingByValueClampsInfiniteGradientsOnANonFiniteStep()
    {
        var layout = Synthetic.Stack(1, "relu");
        var parameters = Parameters.ForStack(1);
        foreach (Parameter p in parameters) Synthetic.WithNorm(p.Gradient.Length, 0.5).CopyTo(p.Gradient.Span);
        parameters[0].Gradient.Span[3] = float.PositiveInfinity;
        parameters[0].Gradient.Span[4] = float.NegativeInfinity;
        var probes = new GradientProbes(layout);
        FillFromGradients(probes, parameters);
        var monitor = new HealthMonitor(layout, new HealthOptions { ClipValue = 1, ClipGlobalNorm = 1, SkipNonFiniteUpdates = false });

        monitor.Record(0, 1.0, probes, 0.1, parameters);

        Assert.False(monitor.ShouldSkipUpdate);
        Assert.Equal(2, monitor.ClippedValues);
        Assert.Equal(1f, parameters[0].Gradient.Span[3]);
        Assert.Equal(-1f, parameters[0].Gradient.Span[4]);
        Assert.Equal(1, monitor.ClipScale); // no scaling by an infinite norm
    }

    [Fact]
    public void GradientsBelowTheLimitAreLeftAlone()
    {
        var parameters = Parameters.ForStack(1);
        Synthetic.WithNorm(256, 0.5).CopyTo(parameters[0].Gradient.Span);
        float[] before = parameters[0].Gradient.ToArray();

        double scale = GradientClipping.ClipByGlobalNorm(parameters, 0.5, maxNorm: 1.0);

        Assert.Equal(1.0, scale);
        Assert.Equal(before, parameters[0].Gradient.ToArray());
    }

    [Fact]
    public void ClipGradNormMeasuresTheGlobalNormItselfAndReturnsItAsPyTorchDoes()
    {
        // Without probes (a loop that probes every k-th step): the norm is measured from the gradients.
        var parameters = Parameters.ForStack(2);
        for (int i = 0; i < parameters.Count; i++) Synthetic.WithNorm(parameters[i].Gradient.Length, i + 1.0).CopyTo(parameters[i].Gradient.Span);
        double expected = Math.Sqrt(1 + 4 + 9 + 16);

        double norm = GradientClipping.ClipGradNorm(parameters, maxNorm: 2.0);

        Assert.Equal(expected, norm, 5);
        Assert.Equal(2.0 / (expected + 1e-6), GlobalNorm(parameters) / expected, 5);
        Assert.Equal(expected * (2.0 / (expected + 1e-6)), GlobalNorm(parameters), 5);
        double again = GradientClipping.ClipGradNorm(parameters, maxNorm: 5.0); // under the limit: measured, left alone
        Assert.Equal(2.0, again, 4);
        Assert.Equal(2.0, GlobalNorm(parameters), 4);
    }

    [Fact]
    public void ClipsByValue()
    {
        var parameters = Parameters.ForStack(1);
        new float[] { -5f, 0.5f, 3f, -0.25f }.CopyTo(parameters[1].Gradient.Span);

        Assert.Equal(2, GradientClipping.ClipByValue(parameters, 1.0));

        Assert.Equal(new[] { -1f, 0.5f, 1f, -0.25f }, parameters[1].Gradient.ToArray().Take(4));

        // A NaN stays (the monitor reports it) and the values past the limit beside it are still clamped.
        new float[] { float.NaN, 4f, -0.5f }.CopyTo(parameters[1].Gradient.Span);
        Assert.Equal(1, GradientClipping.ClipByValue(parameters, 1.0));
        Assert.Equal(new[] { float.NaN, 1f, -0.5f }, parameters[1].Gradient.ToArray().Take(3));
    }

    /// <summary>
    /// Review helper-62: clipping by value clamped the gradients while clip_scale said 1 ("not clipped") and the summary
    /// said nothing. The summary counts the clamped values.
    /// </summary>
    [Fact]
    public void TheSummaryShowsClippingByValue()
    {
        var layout = Synthetic.Stack(1, "relu");
        var parameters = Parameters.ForStack(1);
        var monitor = new HealthMonitor(layout, new HealthOptions { ClipValue = 0.001 });
        var probes = new GradientProbes(layout);
        Synthetic.Fill(probes, 1, _ => 1.0, activation: "relu");
        foreach (Parameter p in parameters) Synthetic.WithNorm(p.Gradient.Length, 1.0).CopyTo(p.Gradient.Span);

        monitor.Record(0, 1.0, probes, 0.01, parameters);

        Assert.Equal(256 + 16, monitor.ClippedValues);
        Assert.Equal(1, monitor.ClipScale);
        Assert.Equal(256 + 16, monitor.Report().Actions.ClippedValues);
        Assert.Contains("| 272 values clipped", monitor.Report().Summary());
        Assert.All(parameters.SelectMany(p => p.Gradient.ToArray()), v => Assert.True(MathF.Abs(v) <= 0.001f));
    }

    [Fact]
    public void StatusChangesRaiseEventsOnlyWhenTheyHappen()
    {
        var layout = Synthetic.Stack(2, "relu");
        var monitor = new HealthMonitor(layout);
        var probes = new GradientProbes(layout);
        var events = new List<HealthStatusChangedEventArgs>();
        monitor.StatusChanged += (_, e) => events.Add(e);

        for (int step = 0; step < 3; step++)
        {
            Synthetic.Fill(probes, 2, _ => 1.0, activation: "relu");
            monitor.Record(step, 1.0, probes, 0.1);
        }
        Assert.Empty(events);

        Synthetic.Fill(probes, 2, d => d == 1 ? 1e7 : 1.0, activation: "relu");
        monitor.Record(3, 1.0, probes, 0.1);

        Assert.Contains(events, e => e.Subject == "w2,b2" && e.Current == HealthStatus.Exploding && e.Depth == 1);
        Assert.Contains(events, e => e.Subject == "step" && e.Previous == HealthStatus.Ok && e.Current == HealthStatus.Exploding);
        Assert.All(events, e => Assert.Equal(3, e.Step));
    }

    [Fact]
    public void ClassifiesEveryKthStepButAlwaysANonFiniteOne()
    {
        var layout = Synthetic.Stack(1, "relu");
        var monitor = new HealthMonitor(layout, new HealthOptions { RecordEvery = 10 });
        var probes = new GradientProbes(layout);
        for (int step = 0; step < 30; step++)
        {
            Synthetic.Fill(probes, 1, _ => 1.0, activation: "relu");
            monitor.Record(step, step == 13 ? double.NaN : 1.0, probes, 0.1);
        }

        Assert.Equal(4, monitor.ClassifiedSteps); // 0, 10, 13, 20
        Assert.Equal(new long[] { 0, 10, 13, 20 }, monitor.Report().History.Steps);
    }

    [Fact]
    public void LossSpikeNeedsAFullWindowAndMoreThanFourOutliers()
    {
        var layout = Synthetic.Stack(1, "relu");
        var monitor = new HealthMonitor(layout);
        var probes = new GradientProbes(layout);
        // Each step's gradient call fills the probes anew (the monitor refuses an earlier step's readings).
        void Step(long step, double loss)
        {
            Synthetic.Fill(probes, 1, _ => 1.0, activation: "relu");
            monitor.Record(step, loss, probes, 0.3);
        }

        for (int step = 0; step < 100; step++) Step(step, 1.0);
        for (int step = 100; step < 104; step++)
        {
            Step(step, 5.0);
            Assert.False(monitor.IsLossSpiking); // 4 outliers: within llm-foundry's patience
        }

        Step(104, 5.0);
        HealthReport report = monitor.Report();

        Assert.True(monitor.IsLossSpiking);
        HealthAdvice advice = Assert.Single(report.Advice, a => a.Trigger == "loss spike");
        Assert.Contains("lower the learning rate (now 0.3", advice.Suggestion);
        Assert.Contains("weight regularization", advice.Suggestion);
        Assert.Contains("llm-foundry", advice.Threshold);
        Assert.Contains("loss spike", report.Summary());
    }

    [Fact]
    public void ExplodingThroughARecurrenceAdvisesClippingAndGatedCells()
    {
        var layout = Synthetic.Stack(2, "tanh", recurrent: true);
        var monitor = new HealthMonitor(layout);
        var probes = new GradientProbes(layout);
        Synthetic.Fill(probes, 2, d => d == 0 ? 1e7 : 1.0, activation: "tanh");

        monitor.Record(0, 1.0, probes, 0.1);
        HealthReport report = monitor.Report();

        HealthAdvice advice = Assert.Single(report.Advice, a => a.Trigger == "EXPLODING");
        Assert.Contains("recurrence", advice.Suggestion);
        Assert.Contains("LSTM/GRU", advice.Suggestion);
        Assert.Contains("Pascanu", advice.Suggestion);
    }

    [Fact]
    public void ExplodingWithALargeInitializationScaleAdvisesXavierOrHe()
    {
        var layout = Synthetic.Stack(2, "relu");
        var parameters = Parameters.ForStack(2, scale: 16);
        var monitor = new HealthMonitor(layout);
        var probes = new GradientProbes(layout);
        Synthetic.Fill(probes, 2, d => d == 0 ? 1e7 : 1.0, activation: "relu");

        monitor.Record(0, 1.0, probes, 0.1, parameters);
        HealthReport report = monitor.Report();

        Assert.InRange(report.Layers[0].InitScale, 12, 20);
        HealthAdvice advice = Assert.Single(report.Advice, a => a.Trigger == "EXPLODING");
        Assert.Contains("n_in·Var(W)", advice.Suggestion);
        Assert.Contains("Xavier/Glorot", advice.Suggestion);
        Assert.Contains("He", advice.Suggestion);
        Assert.Equal("Xavier/He init", report.Layers[0].Advice);
    }

    /// <summary>Review helper-96: a layer initialized to a constant has n_in·Var(W) = 0 like a zero one, and got no
    /// learning-rate advice; only weights grown from zero are spared it.</summary>
    [Fact]
    public void AConstantInitializedLayerStillGetsLearningRateAdvice()
    {
        var layout = Synthetic.Stack(2, "relu");
        var parameters = Parameters.ForStack(2);
        parameters[0].Value.Span.Fill(0.36f);
        parameters[2].Value.Span.Fill(0.36f);
        foreach (Parameter p in parameters) Synthetic.WithNorm(p.Gradient.Length, 1.0).CopyTo(p.Gradient.Span);
        var monitor = new HealthMonitor(layout);
        var probes = new GradientProbes(layout);
        FillFromGradients(probes, parameters);
        monitor.Record(0, 1.0, probes, 1.0, parameters); // binds the list: n_in·Var(W) = 0 for both layers

        new Sgd(parameters).Step(1.0f); // ‖ΔW‖ = 1 against ‖W‖ = 5.76
        FillFromGradients(probes, parameters);
        monitor.Record(1, 1.0, probes, 1.0, parameters);

        Assert.Equal("lower LR", monitor.Report().Layers[0].Advice);
    }

    /// <summary>Review helper-98: a layer zero at binding was spared the too-high learning-rate advice for the whole run;
    /// only while its ratio is near the 1/steps that growing from zero gives.</summary>
    [Fact]
    public void AZeroInitializedLayerIsSparedTheRateAdviceOnlyEarly()
    {
        var layout = Synthetic.Stack(2, "relu");
        var parameters = Parameters.ForStack(2);
        foreach (Parameter p in parameters) Synthetic.WithNorm(p.Gradient.Length, 1.0).CopyTo(p.Gradient.Span);
        parameters[0].Value.Span.Clear();
        var monitor = new HealthMonitor(layout);
        var probes = new GradientProbes(layout);
        FillFromGradients(probes, parameters);
        monitor.Record(0, 1.0, probes, 1.0, parameters); // binds: w1 all zero

        parameters[0].Value.Span.Fill(0.36f);
        var sgd = new Sgd(parameters);
        sgd.Step(1.0f); // ratio ≈ 0.17
        FillFromGradients(probes, parameters);
        monitor.Record(1, 1.0, probes, 1.0, parameters);
        Assert.NotEqual("lower LR", monitor.Report().Layers[0].Advice); // 0.17 < 2/1: still growing from zero

        parameters[0].Value.Span.Fill(0.36f);
        sgd.Step(1.0f);
        FillFromGradients(probes, parameters);
        monitor.Record(200, 1.0, probes, 1.0, parameters);
        Assert.Equal("lower LR", monitor.Report().Layers[0].Advice); // 0.17 > 2/200
    }

    /// <summary>Review helper-96: 'W[2]' beside 'w[0]' and 'w[1]' of a stack's site 'w' slipped past the misspelling check.</summary>
    [Fact]
    public void AStacksEntryMisspelledInCaseIsRefused()
    {
        var layout = new ProbeLayout("Stack.Loss", new[]
        {
            new ProbeSite("w", ProbeKind.Parameter, 0, "Tanh", 0, Synthetic.File, 10, true, AcrossLayers: true),
            new ProbeSite("wo", ProbeKind.Parameter, 1, "None", 0, Synthetic.File, 12, false),
        });
        var list = new ParameterList();
        list.Add("w[0]", Tensor.Zeros(4, 4), Tensor.Zeros(4, 4));
        list.Add("w[1]", Tensor.Zeros(4, 4), Tensor.Zeros(4, 4));
        list.Add("W[2]", Tensor.Zeros(4, 4), Tensor.Zeros(4, 4));
        var probes = new GradientProbes(layout);
        probes.Begin();
        probes.RecordGradient(0, Synthetic.WithNorm(48, 1.0));
        probes.RecordGradient(1, Synthetic.WithNorm(8, 1.0));

        var e = Assert.Throws<ArgumentException>(() => new HealthMonitor(layout).Record(0, 1.0, probes, 0.1, list));
        Assert.Contains("'W[2]'", e.Message);
    }

    [Fact]
    public void UpdateRatiosFarAboveCs231nsRuleOfThumbAdviseALowerLearningRate()
    {
        var layout = Synthetic.Stack(2, "relu");
        var parameters = Parameters.ForStack(2);
        foreach (Parameter p in parameters) Synthetic.WithNorm(p.Gradient.Length, 1.0).CopyTo(p.Gradient.Span);
        var optimizer = new Sgd(parameters);
        optimizer.Step(1.0f); // ‖ΔW‖ = 1 against ‖W‖ ≈ 5.7: ratio ≈ 0.18
        var monitor = new HealthMonitor(layout);
        var probes = new GradientProbes(layout);
        FillFromGradients(probes, parameters);

        monitor.Record(1, 1.0, probes, 1.0, parameters);
        HealthReport report = monitor.Report();

        Assert.InRange(report.Layers[0].UpdateRatio, 0.05, 0.5);
        HealthAdvice advice = Assert.Single(report.Advice, a => a.Trigger == "update ratio");
        Assert.Contains("CS231n", advice.Threshold);
        Assert.Contains("too high", advice.Suggestion);
        Assert.Equal("lower LR", report.Layers[0].Advice);
    }

    [Fact]
    public void UpdateRatiosOnBothSidesOfTheRuleOfThumbReportTheSpreadNotTwoContradictingRates()
    {
        var layout = Synthetic.Stack(2, "relu");
        var parameters = Parameters.ForStack(2);
        // Layer 1's gradient is 5,000 times smaller than layer 2's, but not small enough to be VANISHING.
        for (int i = 0; i < parameters.Count; i++)
        {
            Synthetic.WithNorm(parameters[i].Gradient.Length, i < 2 ? 2e-4 : 1.0).CopyTo(parameters[i].Gradient.Span);
        }
        var optimizer = new Sgd(parameters);
        optimizer.Step(1.0f);
        var monitor = new HealthMonitor(layout);
        var probes = new GradientProbes(layout);
        FillFromGradients(probes, parameters);

        monitor.Record(1, 1.0, probes, 1.0, parameters);
        HealthReport report = monitor.Report();

        Assert.True(report.Layers[0].UpdateRatio < 1e-4, report.Layers[0].UpdateRatio.ToString());
        Assert.True(report.Layers[1].UpdateRatio > 1e-2, report.Layers[1].UpdateRatio.ToString());
        Assert.DoesNotContain(report.Layers, l => l.Status == HealthStatus.Vanishing);
        HealthAdvice advice = Assert.Single(report.Advice, a => a.Trigger == "update ratio");
        Assert.Contains("no single learning rate suits every layer", advice.Suggestion);
        Assert.Contains("Adam", advice.Suggestion);
        Assert.DoesNotContain("too high", advice.Suggestion);
        Assert.DoesNotContain("too low", advice.Suggestion);
        Assert.All(report.Layers, l => Assert.Equal("LR spread; Adam", l.Advice));
    }

    [Fact]
    public void AnAdamRunWithSpreadUpdateRatiosIsNotToldToUseAdam()
    {
        var layout = Synthetic.Stack(2, "relu");
        var parameters = Parameters.ForStack(2);
        // Adam's first step moves every weight by about the learning rate whatever its gradient, so ‖ΔW‖/‖W‖ follows
        // 1/RMS(W): layer 1's weights, 1,000 times larger, move 1,000 times slower relative to themselves.
        foreach (ref float v in parameters[0].Value.Span) v *= 1000f;
        for (int i = 0; i < parameters.Count; i++)
        {
            Synthetic.WithNorm(parameters[i].Gradient.Length, 1.0).CopyTo(parameters[i].Gradient.Span);
        }
        var optimizer = new Adam(parameters);
        optimizer.Step(0.01f);
        var monitor = new HealthMonitor(layout);
        var probes = new GradientProbes(layout);
        FillFromGradients(probes, parameters);

        monitor.Record(1, 1.0, probes, 0.01, parameters);
        HealthReport report = monitor.Report();

        Assert.True(report.Layers[0].UpdateRatio < 1e-4, report.Layers[0].UpdateRatio.ToString());
        Assert.True(report.Layers[1].UpdateRatio > 1e-2, report.Layers[1].UpdateRatio.ToString());
        HealthAdvice advice = Assert.Single(report.Advice, a => a.Trigger == "update ratio");
        Assert.Contains("no single learning rate suits every layer", advice.Suggestion);
        Assert.Contains("already scales each weight's step", advice.Suggestion);
        Assert.DoesNotContain("Adam", advice.Suggestion);
        Assert.All(report.Layers, l => Assert.Equal("LR spread; per-layer LR", l.Advice));

        // The same weights stepped by SGD afterwards (‖ΔW‖ = 0.1·‖g‖ = 0.1: about 2e-2 and 2e-5 of them): the advice
        // offers an adaptive optimizer again.
        new Sgd(parameters).Step(0.1f);
        FillFromGradients(probes, parameters);
        monitor.Record(2, 1.0, probes, 0.1, parameters);
        HealthReport sgd = monitor.Report();
        Assert.Contains("Adam", Assert.Single(sgd.Advice, a => a.Trigger == "update ratio").Suggestion);
        Assert.All(sgd.Layers, l => Assert.Equal("LR spread; Adam", l.Advice));
    }

    /// <summary>Review helper-88: one layer on SGD and one on Adam were both told to use Adam.</summary>
    [Fact]
    public void EachLayerOfASpreadIsAdvisedForItsOwnOptimizer()
    {
        var layout = Synthetic.Stack(2, "relu");
        var parameters = Parameters.ForStack(2);
        foreach (ref float v in parameters[0].Value.Span) v *= 1000f;
        for (int i = 0; i < parameters.Count; i++) Synthetic.WithNorm(parameters[i].Gradient.Length, 1.0).CopyTo(parameters[i].Gradient.Span);
        new Sgd(new ParameterList { parameters[0], parameters[1] }).Step(1e-4f);
        new Adam(new ParameterList { parameters[2], parameters[3] }).Step(0.01f);
        var monitor = new HealthMonitor(layout);
        var probes = new GradientProbes(layout);
        FillFromGradients(probes, parameters);

        monitor.Record(1, 1.0, probes, 0.01, parameters);
        HealthReport report = monitor.Report();

        Assert.Equal("LR spread; Adam", report.Layers[0].Advice);
        Assert.Equal("LR spread; per-layer LR", report.Layers[1].Advice);
        HealthAdvice advice = Assert.Single(report.Advice, a => a.Trigger == "update ratio");
        Assert.Contains("for w1,b1, an adaptive optimizer (Adam, AdamW)", advice.Suggestion);
        Assert.Contains("for w2,b2, the optimizer already scales each weight's step", advice.Suggestion);
    }

    [Fact]
    public void ClippingWithoutTheParametersIsRefused()
    {
        // Without the gradients nothing can be clipped; the options say the caller relies on it.
        var layout = Synthetic.Stack(1, "relu");
        var monitor = new HealthMonitor(layout, new HealthOptions { ClipGlobalNorm = 1 });
        var probes = new GradientProbes(layout);
        Synthetic.Fill(probes, 1, _ => 1.0, activation: "relu");
        var e = Assert.Throws<ArgumentNullException>(() => monitor.Record(0, 1.0, probes, 0.1));
        Assert.Equal("parameters", e.ParamName);
    }
}
