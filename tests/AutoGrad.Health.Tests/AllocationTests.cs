using System;
using System.IO;
using AutoGrad.Optim;
using AutoGrad.Probes;
using AutoGrad.Testing;
using Xunit;

namespace AutoGrad.Health.Tests;

public class AllocationTests
{
    [Fact]
    public void SteadyStateRecordingAllocatesNothing()
    {
        const int depth = 6;
        var layout = Synthetic.Stack(depth, "relu");
        var parameters = Parameters.ForStack(depth);
        foreach (Parameter p in parameters) Synthetic.WithNorm(p.Gradient.Length, 1.0).CopyTo(p.Gradient.Span);
        var probes = new GradientProbes(layout);
        var optimizer = new Adam(parameters);
        var monitor = new HealthMonitor(layout, new HealthOptions { ClipGlobalNorm = 100, ClipValue = 10, HistoryLength = 64 })
        {
            JsonLines = new HealthJsonLinesWriter(Stream.Null),
        };
        int changes = 0;
        monitor.StatusChanged += (_, _) => changes++;
        var activations = new float[64];
        for (int i = 0; i < activations.Length; i++) activations[i] = i % 3 == 0 ? -1f : 1f;

        void Step(long step)
        {
            probes.Begin();
            for (int i = 0; i < parameters.Count; i++)
            {
                probes.RecordGradient(probes.Layout.IndexOf(parameters[i].Name, ProbeKind.Parameter), parameters[i].Gradient.Span);
            }
            for (int d = 0; d < depth; d++)
            {
                probes.RecordGradient(Synthetic.Output(d), parameters[2 * d].Gradient.Span);
                probes.RecordActivation(Synthetic.Activation(d), activations, 4, ActivationKind.Relu);
            }
            monitor.Record(step, 1.0, probes, 1e-3, parameters);
            if (!monitor.ShouldSkipUpdate) optimizer.Step(1e-3f);
        }

        long steps = 0;
        // 200 warm-up steps fill every ring and JIT-compile every path.
        Allocations.AssertNoneAfterWarmUp(() => Step(steps++), warmUp: 200, window: 200);

        Assert.Equal(0, changes);
        Assert.Equal(steps, monitor.JsonLines!.LinesWritten);
        Assert.Equal(HealthStatus.Ok, monitor.Status);
    }
}
