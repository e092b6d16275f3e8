using System;
using System.Linq;
using AutoGrad.Init;
using AutoGrad.Optim;
using AutoGrad.Probes;
using Xunit;
using Xunit.Abstractions;

namespace AutoGrad.Health.Tests;

/// <summary>
/// Real training: an 8-layer MLP on synthetic data with a hand-written backward pass, fed to the monitor every step.
/// The classic failure (sigmoid with LeCun-scale weights) must come out VANISHING; ReLU with He initialization OK.
/// </summary>
public class EndToEndTests
{
    private const int Inputs = 16, Hidden = 32, Layers = 8, Batch = 64, Steps = 60;
    private readonly ITestOutputHelper _output;

    public EndToEndTests(ITestOutputHelper output) => _output = output;

    internal static (HealthMonitor Monitor, double FirstLoss, double LastLoss) Train(ActivationKind activation, bool he, ulong seed = 11)
    {
        var mlp = new Mlp(Inputs, Hidden, Layers, activation, seed, he);
        var probes = new GradientProbes(mlp.Layout);
        var monitor = new HealthMonitor(mlp.Layout, new HealthOptions { ClipGlobalNorm = 5 });
        var optimizer = new Sgd(mlp.Parameters, momentum: 0.9f);
        var x = Tensor.Zeros(Batch, Inputs);
        var direction = Tensor.Zeros(Inputs);
        Initializers.FillNormal(direction, 1, 99);
        var y = new float[Batch];
        double first = double.NaN, last = double.NaN;
        for (int step = 0; step < Steps; step++)
        {
            Initializers.FillNormal(x, 1, 1000 + (ulong)step); // a fresh batch each step, the same for both nets
            for (int r = 0; r < Batch; r++)
            {
                double dot = 0;
                for (int i = 0; i < Inputs; i++) dot += x[r, i] * direction[i];
                y[r] = dot > 0 ? 1f : 0f;
            }
            double loss = mlp.LossGradient(x.Data, y, Batch, probes);
            if (step == 0) first = loss;
            last = loss;
            monitor.Record(step, loss, probes, 0.02, mlp.Parameters);
            if (!monitor.ShouldSkipUpdate) optimizer.Step(0.02f);
        }
        return (monitor, first, last);
    }

    [Fact]
    public void EightLayerSigmoidStackIsDiagnosedVanishing()
    {
        var (monitor, _, _) = Train(ActivationKind.Sigmoid, he: false);
        HealthReport report = monitor.Report();
        _output.WriteLine(report.ToString());

        Assert.Equal(HealthStatus.Vanishing, report.Status);
        Assert.Equal(HealthStatus.Vanishing, report.Layers[0].Status);
        Assert.Equal(HealthStatus.Ok, report.Layers[^1].Status);
        Assert.InRange(report.DepthProfile.FactorPerLayer, 0.1, 0.4); // σ' ≤ 0.25 per layer
        HealthAdvice advice = Assert.Single(report.Advice, a => a.Trigger == "VANISHING");
        Assert.Contains("sigmoid", advice.Suggestion);
        Assert.Contains("ReLU", advice.Suggestion);
        Assert.Contains("He initialization", advice.Suggestion);
    }

    [Fact]
    public void EightLayerReluStackWithHeInitializationIsHealthyAndLearns()
    {
        var (monitor, first, last) = Train(ActivationKind.Relu, he: true);
        HealthReport report = monitor.Report();
        _output.WriteLine(report.ToString());

        Assert.Equal(HealthStatus.Ok, report.Status);
        Assert.All(report.Layers, l => Assert.Equal(HealthStatus.Ok, l.Status));
        Assert.InRange(report.DepthProfile.FactorPerLayer, 0.5, 2.0);
        Assert.DoesNotContain(report.Advice, a => a.Trigger is "VANISHING" or "EXPLODING" or "DEAD");
        Assert.True(last < first, $"loss {first} -> {last}");
        Assert.All(report.Layers, l => Assert.InRange(l.InitScale, 1.5, 2.5)); // He: n_in·Var(W) ≈ 2
    }
}
