using System;
using System.Linq;
using AutoGrad.Health;
using AutoGrad.Init;
using AutoGrad.Optim;
using AutoGrad.Probes;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Tensors;

/// <summary>A two-hidden-layer ReLU network, the layers the dead-unit rules are about.</summary>
public static partial class TwoReluLayers
{
    [Differentiable]
    public static float Loss(Tensor w1, Tensor b1, Tensor w2, Tensor b2, Tensor w3, Tensor b3,
                             [NoGrad] Tensor x, [NoGrad] int[] labels)
    {
        var h1 = Nn.Relu(Nn.Linear(x, w1, b1));
        var h2 = Nn.Relu(Nn.Linear(h1, w2, b2));
        return Nn.SoftmaxCrossEntropy(Nn.Linear(h2, w3, b3), labels);
    }
}

/// <summary>Review helper-83: a user op whose enum argument shares a name with a [ProbeActivation] op of its class.</summary>
public enum ScalingMode { Relu, Tanh }

public static partial class ModeOps
{
    [CustomPullback(nameof(ApplyPullback))]
    public static Tensor Apply(Tensor a, [NoGrad] ScalingMode mode)
    {
        var r = Tensor.Zeros(a.Shape.ToArray());
        for (int i = 0; i < a.Length; i++) r[i] = 2 * a[i];
        return r;
    }

    public static void ApplyPullback(Tensor a, ScalingMode mode, Tensor dResult, GradTarget dA)
    {
        if (dA.Tensor is not { } d) return;
        for (int i = 0; i < a.Length; i++) d[i] = (dA.IsAccumulate ? d[i] : 0) + 2 * dResult[i];
    }

    [ProbeActivation(ActivationKind.Relu, "Relu")]
    public static Tensor Relu(Tensor a) => a;

    [Differentiable]
    public static float Scaled(Tensor a) => Nn.Sum(Apply(a, ScalingMode.Relu));
}

/// <summary>Layers where the dead-unit evidence is partial (review helper-70).</summary>
public static partial class DeadUnitEvidence
{
    /// <summary>Features first: h is [units, batch], so the activation site counts examples as units.</summary>
    [Differentiable]
    public static float FeaturesFirst(Tensor w1, Tensor w2, [NoGrad] Tensor x)
    {
        var h = Nn.Relu(Nn.MatMul(w1, x));
        var o = Nn.MatMul(w2, h);
        return Nn.Sum(Nn.Mul(o, o));
    }

    /// <summary>One ReLU over two layers: its activation site counts both halves.</summary>
    [Differentiable]
    public static float TwoBranches(Tensor w1, Tensor b1, Tensor w2, Tensor b2, Tensor wo, Tensor bo, [NoGrad] Tensor x, [NoGrad] int[] labels)
    {
        var h = Nn.Relu(Nn.Concat(Nn.Linear(x, w1, b1), Nn.Linear(x, w2, b2)));
        return Nn.SoftmaxCrossEntropy(Nn.Linear(h, wo, bo), labels);
    }

    /// <summary>A stack of run-time depth: its sites pool every layer's readings.</summary>
    [Differentiable]
    public static float ReluStack(Tensor[] w, Tensor[] b, [NoGrad] Tensor x, [NoGrad] int[] labels)
    {
        var h = x;
        for (int l = 0; l < w.Length; l++) h = Nn.Relu(Nn.Linear(h, w[l], b[l]));
        return Nn.SoftmaxCrossEntropy(h, labels);
    }

    /// <summary>Two GELU layers sharing one bias: its one site is at the first layer and sums both layers' gradients.</summary>
    [Differentiable]
    public static float SharedBias(Tensor w1, Tensor b, Tensor w2, Tensor w3, Tensor b3, [NoGrad] Tensor x, [NoGrad] int[] labels)
    {
        var h1 = Nn.Gelu(Nn.Linear(x, w1, b));
        var h2 = Nn.Gelu(Nn.Linear(h1, w2, b));
        return Nn.SoftmaxCrossEntropy(Nn.Linear(h2, w3, b3), labels);
    }

    /// <summary>The fused op called directly: its constant argument names the activation.</summary>
    [Differentiable]
    public static float DirectlyFused(Tensor w1, Tensor b1, Tensor w2, Tensor b2, [NoGrad] Tensor x, [NoGrad] int[] labels)
    {
        var h1 = Nn.LinearActivation(x, w1, b1, FusedActivation.Relu);
        return Nn.SoftmaxCrossEntropy(Nn.Linear(h1, w2, b2), labels);
    }

    /// <summary>The first layer read before the loop over the others: one site 'w' that is no stack's.</summary>
    [Differentiable]
    public static float FirstLayerBeforeTheLoop(Tensor[] w, Tensor[] b, [NoGrad] Tensor x, [NoGrad] int[] labels)
    {
        var h = Nn.Relu(Nn.Linear(x, w[0], b[0]));
        for (int l = 1; l < w.Length; l++) h = Nn.Relu(Nn.Linear(h, w[l], b[l]));
        return Nn.SoftmaxCrossEntropy(h, labels);
    }
}

/// <summary>
/// A ReLU layer's weight gradient is mostly zeros in two different situations: its units died (whole rows of dW are 0,
/// and so are their bias gradients) or its input is sparse (whole columns are 0: one-hot inputs, and at batch 1 the
/// zeros of the ReLU below it, with half of the layer's own units inactive for that one example). Only the first is
/// DEAD; the second read DEAD with advice to switch to leaky ReLU.
/// </summary>
public class SparseInputHealthTests
{
    private const int Inputs = 48, Hidden = 64, Classes = 10;

    private static (ParameterList Parameters, Tensor[] Values) Network(ulong seed, float firstBias = 0)
    {
        int[][] shapes = [[Hidden, Inputs], [Hidden], [Hidden, Hidden], [Hidden], [Classes, Hidden], [Classes]];
        string[] names = ["w1", "b1", "w2", "b2", "w3", "b3"];
        var parameters = new ParameterList();
        var values = new Tensor[shapes.Length];
        for (int i = 0; i < shapes.Length; i++)
        {
            values[i] = Tensor.Zeros(shapes[i]);
            if (shapes[i].Length == 2) Initializers.HeNormal(values[i], seed + (ulong)i);
            parameters.Add(names[i], values[i], Tensor.Zeros(shapes[i]));
        }
        values[1].Span.Fill(firstBias);
        return (parameters, values);
    }

    private static HealthMonitor Step(ParameterList p, Tensor[] v, Tensor x, int[] labels)
    {
        var probes = new GradientProbes(TwoReluLayers.LossProbeLayout);
        var monitor = new HealthMonitor(TwoReluLayers.LossProbeLayout);
        float loss = TwoReluLayers.LossGradient(v[0], v[1], v[2], v[3], v[4], v[5], x, labels,
            p[0].Gradient, p[1].Gradient, p[2].Gradient, p[3].Gradient, p[4].Gradient, p[5].Gradient, probes);
        monitor.Record(0, loss, probes, 0.01, p);
        return monitor;
    }

    private static double ZeroFraction(Tensor t) => t.ToArray().Count(g => g == 0) / (double)t.Length;

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(9)]
    public void AtBatchOneTheSecondReluLayerIsNotDead(int seed)
    {
        (ParameterList p, Tensor[] v) = Network(seed: (ulong)seed);
        Tensor x = Tensor.FromValues(GradCheck.RandomFloat(Inputs, 7), 1, Inputs);
        HealthMonitor monitor = Step(p, v, x, [3]);

        // The situation: about three quarters of w2's gradient is 0 (a column per inactive input, a row per inactive
        // unit), while fewer than 70% of the units are inactive for the example.
        Assert.True(ZeroFraction(p[2].Gradient) >= 0.7, $"w2's gradient is {ZeroFraction(p[2].Gradient):P0} zeros");
        Assert.True(ZeroFraction(p[3].Gradient) < 0.7, $"b2's gradient is {ZeroFraction(p[3].Gradient):P0} zeros");
        HealthReport report = monitor.Report();
        Assert.Equal(HealthStatus.Ok, report.Layers[1].Status);
        Assert.DoesNotContain(report.Advice, a => a.Trigger == "DEAD");
    }

    [Fact]
    public void OneHotInputsLeaveTheFirstReluLayerAlive()
    {
        // Eight examples, each one of 48 categories: at least 40 of w1's 48 columns get no gradient (83% or more).
        (ParameterList p, Tensor[] v) = Network(seed: 11, firstBias: 0.1f);
        const int batch = 8;
        var data = new float[batch * Inputs];
        for (int r = 0; r < batch; r++) data[r * Inputs + (r * 5) % Inputs] = 1;
        Tensor x = Tensor.FromValues(data, batch, Inputs);
        HealthMonitor monitor = Step(p, v, x, Enumerable.Range(0, batch).Select(r => r % Classes).ToArray());

        Assert.True(ZeroFraction(p[0].Gradient) >= 0.8, $"w1's gradient is {ZeroFraction(p[0].Gradient):P0} zeros");
        HealthReport report = monitor.Report();
        Assert.Equal(HealthStatus.Ok, report.Layers[0].Status);
        Assert.DoesNotContain(report.Advice, a => a.Trigger == "DEAD");
    }

    [Fact]
    public void ReluUnitsPushedNegativeAreStillDead()
    {
        // The same network with its first layer's units biased far below zero: no unit is ever positive, w1's
        // gradient and b1's are 0, and the layer is DEAD with the leaky-ReLU advice.
        (ParameterList p, Tensor[] v) = Network(seed: 5, firstBias: -100);
        Tensor x = Tensor.FromValues(GradCheck.RandomFloat(8 * Inputs, 7), 8, Inputs);
        HealthMonitor monitor = Step(p, v, x, [0, 1, 2, 3, 4, 5, 6, 7]);

        // (w3 reads DEAD too: every input it has is 0.)
        HealthReport report = monitor.Report();
        Assert.Equal(HealthStatus.Dead, report.Layers[0].Status);
        Assert.Equal(HealthRule.ZeroGradients, report.Layers[0].Rule);
        Assert.Contains(report.Advice, a => a.Trigger == "DEAD" && a.Reading.Contains("of w1's gradient") && a.Suggestion.Contains("leaky ReLU"));
        // Review helper-79: the output layer under the dead ReLU layer was told to check its data flow.
        HealthAdvice output = Assert.Single(report.Advice, a => a.Trigger == "DEAD" && a.Subject == "w3,b3");
        Assert.Contains("its input is the output of w2,b2, whose ReLU units are dead", output.Suggestion);
        Assert.DoesNotContain("data flow", output.Suggestion);
    }

    /// <summary>
    /// Review helper-70: a features-first ReLU layer (no bias) with 34 of its 40 units dead read OK once the activation
    /// site, which counted its 16 examples as units and found none dead, could clear the weight's DEAD.
    /// </summary>
    [Fact]
    public void ADeadFeaturesFirstLayerWithoutABiasStaysDead()
    {
        const int units = 40, inputs = 20, batch = 16;
        var w1 = Tensor.FromValues(GradCheck.RandomFloat(units * inputs, 1), units, inputs);
        for (int u = 0; u < 34; u++)
            for (int k = 0; k < inputs; k++) w1.Span[u * inputs + k] = -Math.Abs(w1.Span[u * inputs + k]) - 0.1f;
        var x = Tensor.FromValues(GradCheck.RandomFloat(inputs * batch, 2, 0.1f, 1f), inputs, batch);
        var w2 = Tensor.FromValues(GradCheck.RandomFloat(3 * units, 3), 3, units);
        Tensor dW1 = Tensor.Zeros(units, inputs), dW2 = Tensor.Zeros(3, units);
        var probes = new GradientProbes(DeadUnitEvidence.FeaturesFirstProbeLayout);
        var monitor = new HealthMonitor(DeadUnitEvidence.FeaturesFirstProbeLayout);
        float loss = DeadUnitEvidence.FeaturesFirstGradient(w1, w2, x, dW1, dW2, probes);
        monitor.Record(0, loss, probes, 0.01);

        Assert.InRange(ZeroFraction(dW1), 34.0 / units, 0.99); // the 34 rows, and units the random weights left dead
        Assert.Equal(HealthStatus.Dead, monitor.Report().Layers[0].Status);
        Assert.Equal(HealthRule.ZeroGradients, monitor.Report().Layers[0].Rule);
    }

    /// <summary>
    /// Review helper-70: one ReLU over two layers, the second with 18 of its 20 units dead. The shared activation site
    /// counts 45% of all 40 units dead; the layer's own bias gradient, 90%. It read OK.
    /// </summary>
    [Fact]
    public void ADeadHalfUnderASharedReluStaysDead()
    {
        const int inputs = 12, half = 20, classes = 3, batch = 16;
        Tensor w1 = Tensor.FromValues(GradCheck.RandomFloat(half * inputs, 4), half, inputs), b1 = Tensor.Zeros(half);
        Tensor w2 = Tensor.FromValues(GradCheck.RandomFloat(half * inputs, 5), half, inputs), b2 = Tensor.Zeros(half);
        Tensor wo = Tensor.FromValues(GradCheck.RandomFloat(classes * 2 * half, 6), classes, 2 * half), bo = Tensor.Zeros(classes);
        for (int u = 0; u < 18; u++) b2.Span[u] = -50;
        Tensor x = Tensor.FromValues(GradCheck.RandomFloat(batch * inputs, 7), batch, inputs);
        Tensor[] grads = [w1, b1, w2, b2, wo, bo];
        grads = grads.Select(t => Tensor.Zeros(t.Shape.ToArray())).ToArray();
        var probes = new GradientProbes(DeadUnitEvidence.TwoBranchesProbeLayout);
        var monitor = new HealthMonitor(DeadUnitEvidence.TwoBranchesProbeLayout);
        float loss = DeadUnitEvidence.TwoBranchesGradient(w1, b1, w2, b2, wo, bo, x, Enumerable.Range(0, batch).Select(i => i % classes).ToArray(),
            grads[0], grads[1], grads[2], grads[3], grads[4], grads[5], probes);
        monitor.Record(0, loss, probes, 0.01);

        Assert.Equal(0.9, ZeroFraction(grads[3]), 6);
        LayerHealth row = Assert.Single(monitor.Report().Layers, l => l.Name == "w2,b2");
        Assert.Equal(HealthStatus.Dead, row.Status);
    }

    /// <summary>
    /// Review helper-70: a stack's sites pool its layers' readings, whose counts need not divide (one-hot inputs into a
    /// [32, 1000] layer, then a [24, 32] one: 32,768 weight values, 56 bias values). The bias was not taken for one, and
    /// the one-hot zeros read DEAD.
    /// </summary>
    [Fact]
    public void AStackOfRunTimeDepthUsesItsPooledBiasReading()
    {
        const int inputs = 1000, hidden = 32, classes = 24, batch = 8;
        Tensor[] w = [Tensor.Zeros(hidden, inputs), Tensor.Zeros(classes, hidden)];
        Initializers.HeNormal(w[0], 1);
        Initializers.HeNormal(w[1], 2);
        Tensor[] b = [Tensor.Zeros(hidden), Tensor.Zeros(classes)];
        b[0].Span.Fill(0.1f);
        Tensor[] dW = w.Select(t => Tensor.Zeros(t.Shape.ToArray())).ToArray(), dB = b.Select(t => Tensor.Zeros(t.Shape.ToArray())).ToArray();
        var data = new float[batch * inputs];
        for (int r = 0; r < batch; r++) data[r * inputs + 37 * r] = 1;
        var probes = new GradientProbes(DeadUnitEvidence.ReluStackProbeLayout);
        var monitor = new HealthMonitor(DeadUnitEvidence.ReluStackProbeLayout);
        float loss = DeadUnitEvidence.ReluStackGradient(w, b, Tensor.FromValues(data, batch, inputs), Enumerable.Range(0, batch).ToArray(), dW, dB, probes);
        monitor.Record(0, loss, probes, 0.01);

        Assert.True(ZeroFraction(dW[0]) > 0.95);
        Assert.DoesNotContain(monitor.Report().Advice, a => a.Trigger == "DEAD");
    }

    /// <summary>
    /// Review helper-70: a site 'w' that reads w[0] before the loop and w[1..] in it is no stack's; pairing it with
    /// every entry gave its row the mean of layers it does not describe. It reads no entry.
    /// </summary>
    [Fact]
    public void ASiteThatIsNoStacksIsNotPairedWithEveryEntry()
    {
        var parameters = new ParameterList();
        Tensor[] w = [Tensor.Zeros(16, 8), Tensor.Zeros(16, 16)];
        Tensor[] b = [Tensor.Zeros(16), Tensor.Zeros(16)];
        for (int l = 0; l < 2; l++)
        {
            Initializers.HeNormal(w[l], (ulong)l);
            parameters.Add($"w[{l}]", w[l], Tensor.Zeros(w[l].Shape.ToArray()));
            parameters.Add($"b[{l}]", b[l], Tensor.Zeros(b[l].Shape.ToArray()));
        }
        var probes = new GradientProbes(DeadUnitEvidence.FirstLayerBeforeTheLoopProbeLayout);
        var monitor = new HealthMonitor(DeadUnitEvidence.FirstLayerBeforeTheLoopProbeLayout);
        float loss = DeadUnitEvidence.FirstLayerBeforeTheLoopGradient(w, b, Tensor.FromValues(GradCheck.RandomFloat(4 * 8, 9), 4, 8), [0, 1, 2, 3],
            [parameters[0].Gradient, parameters[2].Gradient], [parameters[1].Gradient, parameters[3].Gradient], probes);
        monitor.Record(0, loss, probes, 0.01, parameters);

        Assert.All(monitor.Report().Layers, l => Assert.True(double.IsNaN(l.InitScale), $"{l.Name}: {l.InitScale}"));
    }

    /// <summary>
    /// Review helper-75: 34 of a GELU layer's 40 units pushed far below zero (their derivative is exactly 0) while its
    /// bias is shared with the next layer, whose use of it fills in the dead units' bias gradients. The bias alone
    /// cleared the DEAD; a GELU layer has no unit count to agree with it, so it stays DEAD.
    /// </summary>
    [Fact]
    public void ADeadGeluLayerWhoseBiasIsSharedStaysDead()
    {
        const int inputs = 20, hidden = 40, classes = 5, batch = 16;
        Tensor w1 = Tensor.Zeros(hidden, inputs), w2 = Tensor.Zeros(hidden, hidden), w3 = Tensor.Zeros(classes, hidden);
        Initializers.HeNormal(w1, 1);
        Initializers.HeNormal(w2, 2);
        Initializers.HeNormal(w3, 3);
        for (int u = 0; u < 34; u++)
            for (int k = 0; k < inputs; k++) w1.Span[u * inputs + k] = -Math.Abs(w1.Span[u * inputs + k]) * 10 - 2;
        Tensor b = Tensor.Zeros(hidden), b3 = Tensor.Zeros(classes);
        Tensor x = Tensor.FromValues(GradCheck.RandomFloat(batch * inputs, 4, 0.1f, 1f), batch, inputs);
        Tensor[] grads = [w1, b, w2, w3, b3];
        grads = grads.Select(t => Tensor.Zeros(t.Shape.ToArray())).ToArray();
        var probes = new GradientProbes(DeadUnitEvidence.SharedBiasProbeLayout);
        var monitor = new HealthMonitor(DeadUnitEvidence.SharedBiasProbeLayout);
        float loss = DeadUnitEvidence.SharedBiasGradient(w1, b, w2, w3, b3, x, Enumerable.Range(0, batch).Select(i => i % classes).ToArray(),
            grads[0], grads[1], grads[2], grads[3], grads[4], probes);
        monitor.Record(0, loss, probes, 0.01);

        Assert.True(ZeroFraction(grads[0]) >= 0.85, $"w1: {ZeroFraction(grads[0]):P0}");
        Assert.True(ZeroFraction(grads[1]) < 0.7, $"b: {ZeroFraction(grads[1]):P0}");
        Assert.Equal(HealthStatus.Dead, Assert.Single(monitor.Report().Layers, l => l.Name.Split(',').Contains("w1")).Status);
    }

    /// <summary>
    /// Review helper-78: Nn.LinearActivation(x, w, b, FusedActivation.Relu) called directly got no activation site and no
    /// ReLU: with 58 of 64 units dead its layer read OK, where Nn.Relu(Nn.Linear(x, w, b)) reads DEAD.
    /// </summary>
    [Fact]
    public void ADirectlyCalledFusedReluLayerIsAReluLayer()
    {
        const int inputs = 12, hidden = 64, classes = 3, batch = 16;
        Tensor w1 = Tensor.Zeros(hidden, inputs), b1 = Tensor.Zeros(hidden), w2 = Tensor.Zeros(classes, hidden), b2 = Tensor.Zeros(classes);
        Initializers.HeNormal(w1, 1);
        Initializers.HeNormal(w2, 2);
        for (int u = 0; u < 58; u++) b1.Span[u] = -100;
        Tensor x = Tensor.FromValues(GradCheck.RandomFloat(batch * inputs, 3), batch, inputs);
        Tensor[] grads = [w1, b1, w2, b2];
        grads = grads.Select(t => Tensor.Zeros(t.Shape.ToArray())).ToArray();
        ProbeLayout layout = DeadUnitEvidence.DirectlyFusedProbeLayout;
        Assert.Contains(layout.Sites, s => s.Kind == ProbeKind.Activation && s.Activation == "Relu");
        var probes = new GradientProbes(layout);
        var monitor = new HealthMonitor(layout);
        float loss = DeadUnitEvidence.DirectlyFusedGradient(w1, b1, w2, b2, x, Enumerable.Range(0, batch).Select(i => i % classes).ToArray(),
            grads[0], grads[1], grads[2], grads[3], probes);
        monitor.Record(0, loss, probes, 0.01);

        LayerHealth row = Assert.Single(monitor.Report().Layers, l => l.Name == "w1,b1");
        Assert.Equal(HealthStatus.Dead, row.Status);
        Assert.Contains("leaky ReLU", Assert.Single(monitor.Report().Advice, a => a.Trigger == "DEAD").Suggestion);
    }

    [Fact]
    public void AUserOpsEnumArgumentNamesNoActivation() =>
        Assert.DoesNotContain(ModeOps.ScaledProbeLayout.Sites, s => s.Kind == ProbeKind.Activation || s.Activation == "Relu");
}
