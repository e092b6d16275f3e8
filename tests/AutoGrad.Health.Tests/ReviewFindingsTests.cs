using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using AutoGrad.Probes;
using Xunit;

namespace AutoGrad.Health.Tests;

/// <summary>Readings and monitor decisions a review found wrong, each checked against an independent computation.</summary>
public class ReviewFindingsTests
{
    private static GradientProbes OneSite() => Synthetic.OneParameter();

    [Theory]
    [InlineData(2.7e-23f, 64)]   // the short path (whole vectors, up to 256 values)
    [InlineData(2.7e-23f, 1000)] // the general pass
    [InlineData(1e-22f, 1000)]
    [InlineData(5e-21f, 37)]
    public void SquaresInFloatsSubnormalRangeAreSummedInDouble(float value, int length)
    {
        // Squares of 1e-23 … 1e-19 are subnormal in float: not 0, but rounded to a few bits (2.7e-23 read 39% high).
        GradientProbes probes = OneSite();
        var g = new float[length];
        for (int i = 0; i < length; i++) g[i] = i % 3 == 0 ? -value : value;
        probes.RecordGradient(0, g);
        double expected = Math.Sqrt(length * (double)value * value);
        Assert.Equal(expected, probes.L2(0), expected * 1e-6);
    }

    [Fact]
    public void DoubleGradientsKeepTheirLargestMagnitudeBeyondFloatsRange()
    {
        GradientProbes probes = OneSite();
        probes.RecordGradient(0, new[] { 2.8e81, -1.0 });
        Assert.Equal(2.8e81, probes.MaxAbs(0), 2.8e81 * 1e-12);
        Assert.Equal(2.8e81, probes.L2(0), 2.8e81 * 1e-12);
        probes.Begin();
        probes.RecordGradient(0, 1e-50);
        Assert.Equal(1e-50, probes.MaxAbs(0), 1e-62); // it was stored as a float: 0
        Assert.Equal(1e-50, probes.L2(0), 1e-62);
    }

    [Fact]
    public void TheJsonLineOfTheStepThatAsksToStopSaysSo()
    {
        var layout = Synthetic.Stack(1, "relu");
        HealthMonitor monitor = Synthetic.WithJsonLines(layout, new HealthOptions { StopAfterNonFiniteSteps = 2 }, out MemoryStream stream);
        var probes = new GradientProbes(layout);
        var stops = new bool[3];
        for (int step = 0; step < 3; step++)
        {
            Synthetic.Fill(probes, 1, _ => 1.0, activation: "relu");
            monitor.Record(step, step < 2 ? double.NaN : 1.0, probes, 0.1);
            stops[step] = monitor.ShouldStop;
        }
        monitor.JsonLines!.Dispose();
        string[] lines = Encoding.UTF8.GetString(stream.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(new[] { false, true, false }, stops);
        Assert.Equal(stops, lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("stop").GetBoolean()).ToArray());
    }

    [Fact]
    public void TheSpikeWindowsMeanForgetsLargeLossesOnceTheyLeaveIt()
    {
        // A running sum kept the rounding of 1e20-sized losses: after 300 losses of 1 its mean read 21,299, so a
        // later run of losses five times the mean was no spike.
        var layout = Synthetic.Stack(1, "relu");
        var monitor = new HealthMonitor(layout);
        var probes = new GradientProbes(layout);
        var random = new Random(5);
        int step = 0;
        for (; step < 100; step++) Record(3e19 + random.NextDouble() * 1e20 + 0.37);
        for (; step < 401; step++) Record(1.0);
        Assert.Equal(1.0, monitor.Report().Actions.LossWindowMean); // the mean the 401st loss was compared with
        for (int i = 0; i < 10; i++, step++) Record(5.0);
        Assert.True(monitor.Report().Actions.LossSpike);

        void Record(double loss)
        {
            Synthetic.Fill(probes, 1, _ => 1.0, activation: "relu");
            monitor.Record(step, loss, probes, 0.1);
        }
    }

    [Fact]
    public void TheTrendIsPerHundredStepsWhateverTheRecordedSpacing()
    {
        // log10 ‖g‖ grows by 1 per 100 steps; Record runs on every 10th step only (RecordEvery = 1).
        var layout = Synthetic.Stack(2, "relu");
        var monitor = new HealthMonitor(layout);
        var probes = new GradientProbes(layout);
        for (int step = 0; step <= 200; step += 10)
        {
            Synthetic.Fill(probes, 2, _ => Math.Pow(10, step / 100.0), activation: "relu");
            monitor.Record(step, 1.0, probes, 0.1);
        }
        Assert.All(monitor.Report().Layers, l => Assert.Equal(1.0, l.Log10TrendPer100Steps, 6));
    }

    [Fact]
    public void StaleProbesAreRefusedWhenTwoProbesObjectsAlternate()
    {
        var layout = Synthetic.Stack(1, "relu");
        var monitor = new HealthMonitor(layout);
        GradientProbes first = new(layout), second = new(layout);
        Synthetic.Fill(first, 1, _ => 1.0, activation: "relu");
        monitor.Record(20, 1.0, first, 0.1);
        Synthetic.Fill(second, 1, _ => 1.0, activation: "relu");
        monitor.Record(21, 1.0, second, 0.1);
        Assert.Throws<InvalidOperationException>(() => monitor.Record(22, 1.0, first, 0.1)); // still step 20's readings
        Synthetic.Fill(first, 1, _ => 1.0, activation: "relu");
        monitor.Record(22, 1.0, first, 0.1);
    }

    [Fact]
    public void AStepWhoseParameterGradientHeldNaNHasNoGlobalNormInTheReportEither()
    {
        // The JSON line had null; the report's summary showed the norm of the finite values (14.142).
        ProbeLayout layout = Synthetic.Stack(1, "relu");
        var monitor = new HealthMonitor(layout);
        var probes = new GradientProbes(layout);
        probes.Begin();
        float[] g = Synthetic.WithNorm(256, 1.0);
        g[3] = float.NaN;
        probes.RecordGradient(Synthetic.Weight(0), g);
        monitor.Record(0, 1.0, probes, 0.1);
        HealthReport report = monitor.Report();
        Assert.True(double.IsNaN(report.GlobalNorm));
        Assert.Contains("‖g‖ NaN |", report.Summary());
    }

    [Fact]
    public void DeadReluLayersAndDeadOtherLayersGetAdviceOfTheirOwn()
    {
        // Every dead layer got the first one's advice: leaky ReLU for a tanh layer too.
        ProbeLayout stack = Synthetic.Stack(2, "relu");
        var layout = new ProbeLayout(stack.Method, stack.Sites.Select(s => s.Depth == 1 ? s with { Activation = "tanh" } : s).ToArray());
        var monitor = new HealthMonitor(layout);
        var probes = new GradientProbes(layout);
        probes.Begin();
        for (int d = 0; d < 2; d++)
        {
            probes.RecordGradient(Synthetic.Weight(d), new float[256]);
            probes.RecordGradient(Synthetic.Bias(d), new float[16]);
            probes.RecordGradient(Synthetic.Output(d), Synthetic.WithNorm(64, 1.0));
        }
        monitor.Record(0, 1.0, probes, 0.1);
        HealthAdvice[] dead = monitor.Report().Advice.Where(a => a.Trigger == "DEAD").ToArray();
        Assert.Equal(2, dead.Length);
        Assert.Contains("w1", dead[0].Subject);
        Assert.Contains("leaky ReLU", dead[0].Suggestion);
        Assert.Contains("w2", dead[1].Subject);
        Assert.DoesNotContain("leaky ReLU", dead[1].Suggestion);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 0)]
    public void ParametersThatShareADepthWithoutBeingALayerAreEachJudged(int first, int second)
    {
        // A scalar method's parameters all sit at depth 0; all but the weight site were secondary (never VANISHING or
        // DEAD), so the verdict depended on the parameter order.
        var layout = new ProbeLayout("f", new[]
        {
            new ProbeSite("a", ProbeKind.Parameter, 0, "None", 0, "f.cs", 1, false),
            new ProbeSite("b", ProbeKind.Parameter, 0, "None", 0, "f.cs", 1, false),
        });
        var monitor = new HealthMonitor(layout);
        var probes = new GradientProbes(layout);
        probes.Begin();
        probes.RecordGradient(first, 1.0);
        probes.RecordGradient(second, 1e-12);
        monitor.Record(0, 1.0, probes, 0.1);
        Assert.Equal(HealthStatus.Vanishing, monitor.SiteStatus(second));
        Assert.Equal(HealthStatus.Ok, monitor.SiteStatus(first));
    }

    [Fact]
    public void AStatusChangedHandlersReportDescribesTheStepThatChangedIt()
    {
        ProbeLayout layout = Synthetic.Stack(2, "relu");
        var monitor = new HealthMonitor(layout);
        var probes = new GradientProbes(layout);
        var reported = new System.Collections.Generic.List<long>();
        monitor.StatusChanged += (_, _) => reported.Add(monitor.Report().Step); // the layers' events come first
        for (int step = 0; step < 3; step++)
        {
            Synthetic.Fill(probes, 2, _ => 1.0, activation: "relu");
            monitor.Record(step, 1.0, probes, 0.1);
        }
        Synthetic.Fill(probes, 2, d => d == 1 ? 1e7 : 1.0, activation: "relu");
        monitor.Record(3, 1.0, probes, 0.1);
        Assert.NotEmpty(reported);
        Assert.All(reported, step => Assert.Equal(3, step));
    }

    [Fact]
    public void ADecreasingStepNumberIsRefused()
    {
        ProbeLayout layout = Synthetic.Stack(1, "relu");
        var monitor = new HealthMonitor(layout);
        var probes = new GradientProbes(layout);
        Synthetic.Fill(probes, 1, _ => 1.0, activation: "relu");
        monitor.Record(5, 1.0, probes, 0.1);
        Synthetic.Fill(probes, 1, _ => 1.0, activation: "relu");
        Assert.Throws<ArgumentOutOfRangeException>(() => monitor.Record(4, 1.0, probes, 0.1));
        monitor.Record(5, 1.0, probes, 0.1); // the same step again is allowed (non-decreasing)
    }

    [Fact]
    public void ProbesOfAnotherLayoutWithTheSameNameAndSiteCountAreRefused()
    {
        // The monitor compared only the method name and the site count; the gradient compares site for site.
        ProbeLayout layout = Synthetic.Stack(1, "relu");
        var renamed = new ProbeLayout(layout.Method, layout.Sites.Select(s => s with { Name = s.Name + "x" }).ToArray());
        var monitor = new HealthMonitor(layout);
        var probes = new GradientProbes(renamed);
        probes.Begin();
        Assert.Throws<ArgumentException>(() => monitor.Record(0, 1.0, probes, 0.1));
        var copy = new ProbeLayout(layout.Method, layout.Sites.ToArray()); // site for site: accepted
        var same = new GradientProbes(copy);
        Synthetic.Fill(same, 1, _ => 1.0, activation: "relu");
        monitor.Record(0, 1.0, same, 0.1);
    }

    [Fact]
    public void ALayerWithNonFiniteOrZeroGradientsHasNullNumbersInTheJsonLine()
    {
        var layout = Synthetic.Stack(3, "tanh");
        HealthMonitor monitor = Synthetic.WithJsonLines(layout, null, out MemoryStream stream);
        var probes = new GradientProbes(layout);
        probes.Begin();
        for (int d = 0; d < 3; d++)
        {
            // A layer's signal is its weight gradient.
            float[] g = d switch
            {
                0 => Enumerable.Repeat(float.NaN, 256).ToArray(),
                1 => new float[256],
                _ => Synthetic.WithNorm(256, 1.0),
            };
            probes.RecordGradient(Synthetic.Weight(d), g);
            probes.RecordGradient(Synthetic.Output(d), Synthetic.WithNorm(64, 1.0));
        }
        monitor.Record(0, 1.0, probes, 0.1);
        monitor.JsonLines!.Dispose();
        JsonElement layers = JsonDocument.Parse(Encoding.UTF8.GetString(stream.ToArray())).RootElement.GetProperty("layers");
        Assert.Equal(JsonValueKind.Null, layers[0].GetProperty("log10_norm").ValueKind);
        Assert.Equal(JsonValueKind.Null, layers[0].GetProperty("ratio_to_last").ValueKind);
        Assert.Equal(JsonValueKind.Null, layers[1].GetProperty("log10_norm").ValueKind);
        Assert.Equal(0.0, layers[2].GetProperty("log10_norm").GetDouble(), 6);

        // Review helper-65: the site of a gradient NaN throughout read l2, rms and max_abs 0, as if they were real.
        JsonElement w1 = JsonDocument.Parse(Encoding.UTF8.GetString(stream.ToArray())).RootElement.GetProperty("sites")[Synthetic.Weight(0)];
        foreach (string field in new[] { "l2", "rms", "max_abs" }) Assert.Equal(JsonValueKind.Null, w1.GetProperty(field).ValueKind);
        Assert.Equal(256, w1.GetProperty("non_finite_count").GetInt32());
        SiteHealth site = monitor.Report().Sites[Synthetic.Weight(0)];
        Assert.True(double.IsNaN(site.L2) && double.IsNaN(site.Rms) && double.IsNaN(site.MaxAbs));
        // Review helper-66: the layer's RMS and its trigger's norms too.
        LayerHealth layer = monitor.Report().Layers[0];
        Assert.True(double.IsNaN(layer.Rms));
        Assert.True(layer.Trigger is null || (double.IsNaN(layer.Trigger.Norm) && double.IsNaN(layer.Trigger.Rms)));
        Assert.Equal(1.0, monitor.Report().Sites[Synthetic.Weight(2)].L2, 6);
    }

    [Fact]
    public void AReportDescribesTheLastClassifiedStepThroughout()
    {
        // RecordEvery = 10: step 0 is classified, steps 1-5 only recorded; the header showed step 5's loss and norm
        // over step 0's statuses and readings.
        var layout = Synthetic.Stack(2, "relu");
        var monitor = new HealthMonitor(layout, new HealthOptions { RecordEvery = 10 });
        var probes = new GradientProbes(layout);
        Synthetic.Fill(probes, 2, _ => 1.0, activation: "relu");
        monitor.Record(0, 2.0, probes, 0.1);
        double classifiedNorm = monitor.GlobalNorm;
        for (int step = 1; step <= 5; step++)
        {
            Synthetic.Fill(probes, 2, _ => 1.7e8, activation: "relu");
            monitor.Record(step, 1e9, probes, 0.1);
        }
        HealthReport report = monitor.Report();
        Assert.Equal(0, report.Step);
        Assert.Equal(2.0, report.Loss);
        Assert.Equal(classifiedNorm, report.GlobalNorm);
        Assert.Equal(HealthStatus.Ok, report.Status);
    }
}
