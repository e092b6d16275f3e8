using System.Collections.Generic;
using System;
using System.Linq;
using AutoGrad.Optim;
using AutoGrad.Probes;
using Xunit;

namespace AutoGrad.Health.Tests;

/// <summary>
/// Verdicts and advice that were wrong for networks a user builds every day: a bias feeding a batch normalization,
/// a one-hot input layer, a converged run, a dead ReLU layer whose advice quoted another reading, sigmoid init.
/// </summary>
public class AdviceFindingsTests
{
    [Fact]
    public void ABiasWhoseGradientIsZeroByConstructionDoesNotMakeItsLayerVanish()
    {
        // Linear → BatchNorm: the mean subtraction cancels the bias, whose gradient is then rounding noise (3e-11 in a
        // real network) while the weight's is of order 1. Reported VANISHING with "add batch normalization".
        var layout = Synthetic.Stack(2, "relu");
        var monitor = new HealthMonitor(layout);
        var probes = new GradientProbes(layout);
        FillHealthy(probes, 2, bias: _ => Synthetic.WithNorm(16, 3e-11));

        monitor.Record(0, 1.0, probes, 0.1);
        HealthReport report = monitor.Report();

        Assert.Equal(HealthStatus.Ok, report.Status);
        Assert.All(report.Layers, l => Assert.Equal(HealthStatus.Ok, l.Status));
        Assert.DoesNotContain(report.Advice, a => a.Trigger == "VANISHING");
    }

    [Fact]
    public void ABiasGradientThatExplodesOrGoesNonFiniteStillFlagsItsLayer()
    {
        var layout = Synthetic.Stack(2, "relu");
        var monitor = new HealthMonitor(layout);
        var probes = new GradientProbes(layout);
        FillHealthy(probes, 2, bias: d => d == 1 ? Synthetic.WithNorm(16, 1e8) : null);

        monitor.Record(0, 1.0, probes, 0.1);

        Assert.Equal(HealthStatus.Exploding, monitor.LayerStatus(1));
        Assert.Equal(HealthStatus.Ok, monitor.LayerStatus(0));
    }

    [Fact]
    public void MostlyZeroWeightGradientsOfALayerWithoutReluAreSparseInputsNotDeadUnits()
    {
        // A one-hot input layer: the columns of characters absent from the batch get no gradient (71% here).
        var layout = Synthetic.Stack(2, "none");
        var monitor = new HealthMonitor(layout);
        var probes = new GradientProbes(layout);
        FillHealthy(probes, 2, weight: d => d == 0 ? Sparse(256, zeros: 182) : null);

        monitor.Record(0, 1.0, probes, 0.1);

        Assert.Equal(HealthStatus.Ok, monitor.LayerStatus(0));
        Assert.DoesNotContain(monitor.Report().Advice, a => a.Trigger == "DEAD");
    }

    [Fact]
    public void AWeightGradientOfZerosOutsideReluLayersIsDeadWithAdviceAboutTheDataFlowNotLeakyRelu()
    {
        var layout = Synthetic.Stack(2, "none");
        var monitor = new HealthMonitor(layout);
        var probes = new GradientProbes(layout);
        FillHealthy(probes, 2, weight: d => d == 0 ? new float[256] : null);

        monitor.Record(0, 1.0, probes, 0.1);
        HealthReport report = monitor.Report();

        Assert.Equal(HealthStatus.Dead, report.Layers[0].Status);
        HealthAdvice advice = Assert.Single(report.Advice, a => a.Trigger == "DEAD");
        Assert.Contains("100% of w1's gradient values are exactly 0", advice.Reading);
        Assert.Contains("no gradient reaches", advice.Suggestion);
        Assert.DoesNotContain("leaky ReLU", advice.Suggestion);
    }

    [Fact]
    public void DeadAdviceQuotesTheZeroFractionOfTheGradientThatCrossedTheThreshold()
    {
        // The ReLU layer's weight gradient is 79% zeros (the trigger, the layer's first site); its activation site
        // counts 75% of its units dead. The advice quoted the activation site's fraction (34% in the run that found it,
        // when a weight could be DEAD with no unit dead) as if it were the gradient's.
        var layout = Synthetic.Stack(2, "relu");
        var monitor = new HealthMonitor(layout);
        var probes = new GradientProbes(layout);
        FillHealthy(probes, 2, weight: d => d == 1 ? Sparse(256, zeros: 203) : null, deadUnits: d => d == 1 ? 12 : 0);

        monitor.Record(0, 1.0, probes, 0.1);
        HealthReport report = monitor.Report();

        Assert.Equal(HealthStatus.Dead, report.Layers[1].Status);
        Assert.Equal(HealthRule.ZeroGradients, report.Layers[1].Rule);
        HealthAdvice advice = Assert.Single(report.Advice, a => a.Trigger == "DEAD");
        Assert.Contains("79% of w2's gradient values are exactly 0", advice.Reading);
        Assert.Contains("leaky ReLU", advice.Suggestion);
    }

    /// <summary>
    /// Review helper-82: linear, ReLU, linear, ReLU layers with every ReLU unit dead. Each linear layer is told its dead
    /// neighbour by name (one shared advice had named the first one's for both), and the one below a dead ReLU layer
    /// too (it had been told to check its data flow).
    /// </summary>
    [Fact]
    public void LayersNextToDeadReluLayersNameTheirOwnNeighbour()
    {
        string[] activations = ["None", "Relu", "None", "Relu", "None"];
        var sites = new List<ProbeSite>();
        for (int d = 0; d < activations.Length; d++)
        {
            string n = (d + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            sites.Add(new ProbeSite("w" + n, ProbeKind.Parameter, d, activations[d], 256, Synthetic.File, 10 + d, false));
            sites.Add(new ProbeSite("b" + n, ProbeKind.Parameter, d, activations[d], 16, Synthetic.File, 10 + d, false));
        }
        var layout = new ProbeLayout("Mlp.Loss", sites.ToArray());
        var monitor = new HealthMonitor(layout);
        var probes = new GradientProbes(layout);
        probes.Begin();
        for (int d = 0; d < activations.Length; d++)
        {
            probes.RecordGradient(2 * d, new float[256]);
            probes.RecordGradient(2 * d + 1, new float[16]);
        }
        monitor.Record(0, 1.0, probes, 0.1);

        IReadOnlyList<HealthAdvice> advice = monitor.Report().Advice;
        Assert.Contains("its output feeds w2,b2, whose dead ReLU units", Assert.Single(advice, a => a.Subject == "w1,b1").Suggestion);
        Assert.Contains("its input is the output of w2,b2", Assert.Single(advice, a => a.Subject == "w3,b3").Suggestion);
        Assert.Contains("its input is the output of w4,b4", Assert.Single(advice, a => a.Subject == "w5,b5").Suggestion);
        Assert.DoesNotContain(advice, a => a.Suggestion.Contains("data flow"));
    }

    [Fact]
    public void LowUpdateRatiosAdviseAHigherRateOnlyWhileTheLossHasNotFallen()
    {
        // The same tiny updates: at the start of training they say the rate is too low; after the loss fell from 2.3
        // to 2.5e-4 they are what convergence looks like, and a tenfold rate wrecked the model (97.7% → 8.3%).
        (HealthMonitor early, ParameterList p1) = TrainWithTinyUpdates(step => 2.3);
        (HealthMonitor converged, ParameterList p2) = TrainWithTinyUpdates(step => 2.3 * Math.Pow(1e-4, step / 40.0));

        Assert.Contains(early.Report().Advice, a => a.Trigger == "update ratio" && a.Suggestion.Contains("too low"));
        Assert.DoesNotContain(converged.Report().Advice, a => a.Trigger == "update ratio");
        Assert.True(converged.Report().Layers[0].UpdateRatio < 1e-4);
        // A negative loss (a log-likelihood) that fell from -2.3 to -102.3 has converged too.
        (HealthMonitor negative, _) = TrainWithTinyUpdates(step => -2.3 - 100.0 * step / 40.0);
        Assert.DoesNotContain(negative.Report().Advice, a => a.Trigger == "update ratio");
    }

    [Fact]
    public void LowUpdateRatiosInANetworkWithAVanishingLayerAskForNoHigherRate()
    {
        // The vanishing layer's advice names the cause; raising the rate for the other layers escalated without end.
        var layout = Synthetic.Stack(3, "sigmoid");
        var parameters = Parameters.ForStack(3);
        for (int i = 0; i < parameters.Count; i++)
        {
            Synthetic.WithNorm(parameters[i].Gradient.Length, i < 2 ? 1e-9 : 1e-3).CopyTo(parameters[i].Gradient.Span);
        }
        new Sgd(parameters).Step(0.01f);
        var monitor = new HealthMonitor(layout);
        var probes = new GradientProbes(layout);
        FillFrom(probes, parameters);

        monitor.Record(1, 2.3, probes, 0.01, parameters);
        HealthReport report = monitor.Report();

        Assert.Equal(HealthStatus.Vanishing, report.Layers[0].Status);
        Assert.True(report.Layers[2].UpdateRatio < 1e-4, report.Layers[2].UpdateRatio.ToString());
        Assert.DoesNotContain(report.Advice, a => a.Trigger == "update ratio");
    }

    [Fact]
    public void ASigmoidStackInitializedTooSmallIsNotToldThatXavierFixesIt()
    {
        var layout = Synthetic.Stack(3, "sigmoid");
        var parameters = Parameters.ForStack(3, scale: 0.01);
        var monitor = new HealthMonitor(layout);
        var probes = new GradientProbes(layout);
        Synthetic.Fill(probes, 3, d => Math.Pow(10, -12 + 5 * d));

        monitor.Record(0, 2.3, probes, 0.1, parameters);
        HealthReport report = monitor.Report();

        HealthAdvice advice = Assert.Single(report.Advice, a => a.Trigger == "VANISHING");
        Assert.Contains("Xavier/Glorot for tanh", advice.Suggestion);
        Assert.Contains("for sigmoid no initialization is enough", advice.Suggestion);
        Assert.DoesNotContain("Xavier/Glorot for sigmoid", advice.Suggestion);
    }

    [Fact]
    public void AParameterListWhoseNamesTheMethodDoesNotHaveIsRefused()
    {
        // new ParameterList(pairs) names its entries p0, p1, ...: the update ratios and init advice silently went missing.
        var layout = Synthetic.Stack(1, "relu");
        var named = Parameters.ForStack(1);
        var unnamed = new ParameterList();
        for (int i = 0; i < named.Count; i++) unnamed.Add("p" + i, named[i].Value, named[i].Gradient);
        var monitor = new HealthMonitor(layout);
        var probes = new GradientProbes(layout);
        FillFrom(probes, named);

        var e = Assert.Throws<ArgumentException>(() => monitor.Record(0, 1.0, probes, 0.1, unnamed));

        Assert.Contains("None of the ParameterList's names (p0, p1) is a parameter of 'Mlp.Loss'", e.Message);
        Assert.Contains("w1, b1", e.Message);
        FillFrom(probes, named);
        monitor.Record(0, 1.0, probes, 0.1, named); // the method's names pass
    }

    /// <summary>Review helper-90: with one name right, an entry misspelled in case ('W2' for 'w2') was taken for another
    /// method's parameter, and its layer silently had no update ratio or init advice.</summary>
    [Fact]
    public void AnEntryNamedAsAParameterInAnotherCaseIsRefused()
    {
        var layout = Synthetic.Stack(2, "relu");
        var named = Parameters.ForStack(2);
        var misspelled = new ParameterList();
        for (int i = 0; i < named.Count; i++) misspelled.Add(i < 2 ? named[i].Name : named[i].Name.ToUpperInvariant(), named[i].Value, named[i].Gradient);
        var monitor = new HealthMonitor(layout);
        var probes = new GradientProbes(layout);
        FillFrom(probes, named);

        var e = Assert.Throws<ArgumentException>(() => monitor.Record(0, 1.0, probes, 0.1, misspelled));

        Assert.Contains("entry 'W2' is no parameter of 'Mlp.Loss', whose parameter 'w2' differs from it only in case", e.Message);
    }

    /// <summary>Review helper-93: a network whose weights were all zero read DEAD with advice to use leaky ReLU and
    /// lower a learning rate that had played no part; the monitor knew n_in·Var(W) = 0.</summary>
    [Fact]
    public void ADeadLayerOfZeroInitializedWeightsIsToldSo()
    {
        var layout = Synthetic.Stack(2, "relu");
        var parameters = Parameters.ForStack(2);
        foreach (Parameter p in parameters) p.Value.Span.Clear();
        var monitor = new HealthMonitor(layout);
        var probes = new GradientProbes(layout);
        probes.Begin();
        for (int d = 0; d < 2; d++)
        {
            probes.RecordGradient(Synthetic.Weight(d), new float[256]);
            probes.RecordGradient(Synthetic.Bias(d), d == 1 ? Synthetic.WithNorm(16, 1.0) : new float[16]);
            probes.RecordGradient(Synthetic.Output(d), d == 1 ? Synthetic.WithNorm(64, 1.0) : new float[64]);
        }

        monitor.Record(0, 2.3, probes, 0.1, parameters);
        HealthReport report = monitor.Report();

        HealthAdvice dead = Assert.Single(report.Advice, a => a.Trigger == "DEAD");
        Assert.Contains("the weights of w1,b1 w2,b2 are all zero", dead.Suggestion);
        Assert.DoesNotContain("leaky ReLU", dead.Suggestion);
        Assert.Contains(report.Layers, l => l.Advice == "zero init: He/Xavier");
    }

    /// <summary>Review helper-93: with one name right, entries named another way ('first.weight' for 'w1') left their
    /// layer without update ratio or init advice, silently. The report says which layers and which entries.</summary>
    [Fact]
    public void LayersTheListNamesNoEntryForAreReportedBesideTheEntriesThatMatchNothing()
    {
        var layout = Synthetic.Stack(2, "relu");
        var named = Parameters.ForStack(2);
        foreach (Parameter p in named) Synthetic.WithNorm(p.Gradient.Length, 1.0).CopyTo(p.Gradient.Span);
        var mixed = new ParameterList
        {
            { "first.weight", named[0].Value, named[0].Gradient },
            { "first.bias", named[1].Value, named[1].Gradient },
            named[2],
            named[3],
        };
        var monitor = new HealthMonitor(layout);
        var probes = new GradientProbes(layout);
        FillFrom(probes, named);

        monitor.Record(0, 1.0, probes, 0.1, mixed);
        HealthReport report = monitor.Report();

        HealthAdvice note = Assert.Single(report.Advice, a => a.Trigger == "parameter names");
        Assert.Equal("w1,b1", note.Subject);
        Assert.Contains("first.weight, first.bias", note.Reading);
        Assert.Equal("name it in the list", report.Layers[0].Advice);

        // The method's own names: no note.
        var clean = new HealthMonitor(layout);
        FillFrom(probes, named);
        clean.Record(0, 1.0, probes, 0.1, named);
        Assert.DoesNotContain(clean.Report().Advice, a => a.Trigger == "parameter names");
    }

    /// <summary>Review helper-94: beside 'w1', an entry 'W1' is another method's tensor, not a misspelling; a frozen layer
    /// left out of a list that also holds another method's tensors of other sizes is not misnamed either; a zero layer
    /// that is not next to the dead one is not its cause.</summary>
    [Fact]
    public void OtherMethodsEntriesFrozenLayersAndDistantZeroLayersAreNotBlamed()
    {
        var layout = Synthetic.Stack(3, "relu");
        var named = Parameters.ForStack(3);
        foreach (Parameter p in named) Synthetic.WithNorm(p.Gradient.Length, 1.0).CopyTo(p.Gradient.Span);
        var list = new ParameterList { named[0], named[1], named[2], named[3], { "W1", Tensor.Zeros(3, 3), Tensor.Zeros(3, 3) } };
        var monitor = new HealthMonitor(layout);
        var probes = new GradientProbes(layout);
        FillFrom(probes, named);

        monitor.Record(0, 1.0, probes, 0.1, list); // no refusal: 'w1' has its own entry
        Assert.DoesNotContain(monitor.Report().Advice, a => a.Trigger == "parameter names"); // w3 frozen; W1 is 9 values, w3 256

        // w3's weights all zero, w1's gradient dead: w3 is two layers away and no cause of it.
        named[4].Value.Span.Clear();
        var all = new ParameterList { named[0], named[1], named[2], named[3], named[4], named[5] };
        var second = new HealthMonitor(layout);
        probes.Begin();
        for (int d = 0; d < 3; d++)
        {
            probes.RecordGradient(Synthetic.Weight(d), d == 0 ? new float[256] : Synthetic.WithNorm(256, 1.0));
            probes.RecordGradient(Synthetic.Bias(d), d == 0 ? new float[16] : Synthetic.WithNorm(16, 1.0));
            probes.RecordGradient(Synthetic.Output(d), Synthetic.WithNorm(64, 1.0));
        }
        second.Record(0, 1.0, probes, 0.1, all);
        HealthAdvice dead = Assert.Single(second.Report().Advice, a => a.Trigger == "DEAD");
        Assert.DoesNotContain("all zero", dead.Suggestion);
    }

    /// <summary>Review helper-96: generated layouts give tensors a size of 0, so the size check never applied and a
    /// frozen layer beside another method's 3×3 tensor got the note; a zero first layer that starves the layers after
    /// it of input was not named, nor one that the optimizer moved before Report; a layer initialized to a constant got
    /// no learning-rate advice; 'W[2]' of a stack slipped past the misspelling check.</summary>
    [Fact]
    public void SizesFromTheReadingsZeroLayersBelowAndConstantInitialization()
    {
        ProbeLayout stack = Synthetic.Stack(3, "tanh");
        var layout = new ProbeLayout(stack.Method, stack.Sites.Select(s => s with { ParameterCount = 0 }).ToArray());
        var named = Parameters.ForStack(3);
        foreach (Parameter p in named) Synthetic.WithNorm(p.Gradient.Length, 1.0).CopyTo(p.Gradient.Span);
        var list = new ParameterList { named[0], named[1], named[2], named[3], { "enc.weight", Tensor.Zeros(3, 3), Tensor.Zeros(3, 3) } };
        var monitor = new HealthMonitor(layout);
        var probes = new GradientProbes(layout);
        FillFrom(probes, named);
        monitor.Record(0, 1.0, probes, 0.1, list);
        Assert.DoesNotContain(monitor.Report().Advice, a => a.Trigger == "parameter names");

        // w2 all zero passes w1 no gradient; the report comes after the optimizer moved w2, and still names it.
        named[2].Value.Span.Clear();
        var all = new ParameterList { named[0], named[1], named[2], named[3], named[4], named[5] };
        var zero = new HealthMonitor(stack);
        probes = new GradientProbes(stack);
        probes.Begin();
        for (int d = 0; d < 3; d++)
        {
            probes.RecordGradient(Synthetic.Weight(d), d == 0 ? new float[256] : Synthetic.WithNorm(256, 0.6));
            probes.RecordGradient(Synthetic.Bias(d), d == 0 ? new float[16] : Synthetic.WithNorm(16, 0.2));
            probes.RecordGradient(Synthetic.Output(d), Synthetic.WithNorm(64, 1.0));
        }
        zero.Record(0, 1.0, probes, 0.1, all);
        named[2].Value.Span.Fill(0.01f); // the optimizer's step, before the report
        HealthAdvice dead = Assert.Single(zero.Report().Advice, a => a.Trigger == "DEAD");
        Assert.Contains("the weights of w2,b2 are all zero", dead.Suggestion);
    }

    /// <summary>Review helper-98: the misspelling check refused lists two methods share ('W1[0]' beside 'w1').</summary>
    [Fact]
    public void AnotherMethodsIndexedEntriesInAnotherCaseAreAccepted()
    {
        var layout = Synthetic.Stack(2, "relu");
        var named = Parameters.ForStack(2);
        foreach (Parameter p in named) Synthetic.WithNorm(p.Gradient.Length, 1.0).CopyTo(p.Gradient.Span);
        var shared = new ParameterList { named[0], named[1], named[2], named[3] };
        shared.Add("W1[0]", Tensor.Zeros(3, 3), Tensor.Zeros(3, 3));
        shared.Add("W1[1]", Tensor.Zeros(3, 3), Tensor.Zeros(3, 3));
        var monitor = new HealthMonitor(layout);
        var probes = new GradientProbes(layout);
        FillFrom(probes, named);
        monitor.Record(0, 1.0, probes, 0.1, shared);
        Assert.Equal(0, monitor.Step);
    }

    [Fact]
    public void AParameterListMayHoldOtherMethodsParametersAndIndexedEntriesOfARunTimeLoopsSite()
    {
        // A loop bounded at run time over Tensor[] w has one site 'w'; the list names its entries w[0], w[1].
        var layout = new ProbeLayout("Net.Loss", new[]
        {
            new ProbeSite("w", ProbeKind.Parameter, 0, "sigmoid", 256, "Net.cs", 10, true),
            new ProbeSite("b", ProbeKind.Parameter, 0, "sigmoid", 16, "Net.cs", 10, true),
        });
        var stack = Parameters.ForStack(2);
        var list = new ParameterList();
        for (int i = 0; i < stack.Count; i++) list.Add((i % 2 == 0 ? "w" : "b") + "[" + (i / 2) + "]", stack[i].Value, stack[i].Gradient);
        list.Add("unused", Tensor.Zeros(3), Tensor.Zeros(3));
        var monitor = new HealthMonitor(layout);
        var probes = new GradientProbes(layout);
        probes.Begin();
        probes.RecordGradient(0, Synthetic.WithNorm(256, 1.0));
        probes.RecordGradient(1, Synthetic.WithNorm(16, 0.5));

        monitor.Record(0, 1.0, probes, 0.1, list);

        Assert.Equal(HealthStatus.Ok, monitor.Status);
    }

    private static (HealthMonitor Monitor, ParameterList Parameters) TrainWithTinyUpdates(Func<int, double> loss)
    {
        var layout = Synthetic.Stack(2, "relu");
        var parameters = Parameters.ForStack(2);
        var monitor = new HealthMonitor(layout);
        var probes = new GradientProbes(layout);
        var optimizer = new Sgd(parameters);
        for (int step = 0; step <= 40; step++)
        {
            foreach (Parameter p in parameters) Synthetic.WithNorm(p.Gradient.Length, 1e-3).CopyTo(p.Gradient.Span);
            FillFrom(probes, parameters);
            monitor.Record(step, loss(step), probes, 0.01, parameters);
            optimizer.Step(0.01f);
        }
        return (monitor, parameters);
    }

    private static void FillFrom(GradientProbes probes, ParameterList parameters)
    {
        probes.Begin();
        for (int i = 0; i < parameters.Count; i++)
        {
            probes.RecordGradient(probes.Layout.IndexOf(parameters[i].Name, ProbeKind.Parameter), parameters[i].Gradient.Span);
        }
    }

    /// <summary>Healthy readings of order 1 everywhere but where a delegate returns values.</summary>
    /// <param name="deadUnits">How many of layer d's 16 activation units are never positive in its 4 rows.</param>
    private static void FillHealthy(GradientProbes probes, int depth, Func<int, float[]?>? weight = null, Func<int, float[]?>? bias = null,
        Func<int, int>? deadUnits = null)
    {
        probes.Begin();
        for (int d = 0; d < depth; d++)
        {
            var healthy = new float[64];
            for (int i = 0; i < healthy.Length; i++) healthy[i] = i % 16 < (deadUnits?.Invoke(d) ?? 0) ? -0.5f : 0.25f + 0.5f * (i % 2);
            probes.RecordGradient(Synthetic.Weight(d), weight?.Invoke(d) ?? Synthetic.WithNorm(256, 1.0));
            probes.RecordGradient(Synthetic.Bias(d), bias?.Invoke(d) ?? Synthetic.WithNorm(16, 0.25));
            probes.RecordGradient(Synthetic.Output(d), Synthetic.WithNorm(64, 2.0));
            ActivationKind kind = ProbeSiteExtensions.ParseActivation(probes.Layout.Sites[Synthetic.Activation(d)].Activation);
            probes.RecordActivation(Synthetic.Activation(d), healthy, 4, kind);
        }
    }

    /// <summary>A gradient of 256 values of order 1 with its first <paramref name="zeros"/> exactly 0.</summary>
    private static float[] Sparse(int length, int zeros)
    {
        float[] v = Synthetic.WithNorm(length, 1.0);
        Array.Clear(v, 0, zeros);
        return v;
    }
}
