using System;
using System.IO;
using System.Linq;
using AutoGrad.Health;
using AutoGrad.Samples.Training;
using VanishingGradients;
using Xunit;

namespace AutoGrad.Samples.Tests;

public sealed class VanishingFixture() : SampleFixture<VanishingResult>("vanishing", VanishingSample.Run);

[Collection(SampleCollection.Name)]
public class VanishingGradientsTests(VanishingFixture fixture) : IClassFixture<VanishingFixture>
{
    private readonly VanishingResult _result = fixture.Result;

    [Fact]
    public void SigmoidWithSmallInitializationIsDiagnosedVanishingAndDoesNotLearn()
    {
        TrainingRun sigmoid = _result[VanishingSample.Sigmoid];
        Assert.Equal(HealthStatus.Vanishing, sigmoid.Status);
        Assert.Equal(HealthStatus.Vanishing, sigmoid.Report.Layers[0].Status);
        Assert.Equal("Sigmoid", sigmoid.Report.Layers[0].Activation);
        Assert.Equal(HealthStatus.Ok, sigmoid.Report.Layers[^1].Status);
        Assert.InRange(sigmoid.DepthFactor, 0, 0.1); // σ′ ≤ 0.25 times ‖W‖ ≈ 0.08: about 0.02 per layer
        Assert.True(sigmoid.TestAccuracy < VanishingResult.NotLearnedCeiling, $"accuracy {sigmoid.TestAccuracy}");
        HealthAdvice advice = Assert.Single(sigmoid.Report.Advice, a => a.Trigger == "VANISHING");
        Assert.Contains("n_in·Var(W)", advice.Suggestion);
        Assert.Contains("Sigmoid layer(s)", advice.Suggestion);
        Assert.Contains("ReLU", advice.Suggestion);
    }

    [Fact]
    public void TheSigmoidStackIsVanishingFromTheFirstStepsAndTheReluStackNever()
    {
        HealthHistory sigmoid = _result[VanishingSample.Sigmoid].Report.History, relu = _result[VanishingSample.Relu].Report.History;
        Assert.Equal(0, sigmoid.Steps[0]); // the quick run's whole history is kept
        int first = Array.IndexOf(sigmoid.Status, HealthStatus.Vanishing);
        Assert.True(first >= 0 && sigmoid.Steps[first] <= 10, $"first VANISHING step {(first >= 0 ? sigmoid.Steps[first] : -1)}");
        Assert.Equal(0, relu.Steps[0]);
        Assert.DoesNotContain(HealthStatus.Vanishing, relu.Status);
    }

    [Fact]
    public void FirstLayerGradientOfTheSigmoidStackIsMillionsOfTimesSmaller()
    {
        double sigmoid = _result[VanishingSample.Sigmoid].FirstLayerGradientNorm, relu = _result[VanishingSample.Relu].FirstLayerGradientNorm;
        Assert.True(sigmoid > 0 && sigmoid < relu * 1e-6, $"sigmoid {sigmoid}, ReLU {relu}");
    }

    [Theory]
    [InlineData(VanishingSample.Relu)]
    [InlineData(VanishingSample.Tanh)]
    [InlineData(VanishingSample.Residual)]
    public void TheFixesCarryTheGradientAndLearn(string name)
    {
        TrainingRun run = _result[name];
        // The residual sigmoid stack may end SATURATED (its deep sigmoids drift into the flat region) but never VANISHING.
        Assert.Contains(run.Status, name == VanishingSample.Residual ? [HealthStatus.Ok, HealthStatus.Saturated] : new[] { HealthStatus.Ok });
        Assert.All(run.Report.Layers, l => Assert.NotEqual(HealthStatus.Vanishing, l.Status));
        Assert.InRange(run.DepthFactor, 0.5, 2.0);
        Assert.True(run.TestAccuracy >= VanishingResult.AccuracyFloor(quick: true), $"{name}: accuracy {run.TestAccuracy}");
        Assert.True(run.MeanLossOfLast(20) < run.MeanLossOfFirst(20) / 2, $"{name}: loss {run.MeanLossOfFirst(20)} -> {run.MeanLossOfLast(20)}");
    }

    [Fact]
    public void EveryClaimHoldsAndTheQuickRunIsQuick()
    {
        Assert.All(_result.Claims, c => Assert.True(c.Holds, $"{c.Statement}: {c.Evidence}"));
        Assert.True(fixture.Seconds < SampleCollection.QuickSeconds, $"--quick took {fixture.Seconds:0.0} s");
    }

    [Fact]
    public void WritesChartsAndAnHtmlReportPerRunAndPrintsWhere()
    {
        foreach (TrainingRun run in _result.Runs)
        {
            string folder = Path.Combine(_result.OutputDirectory, Reporting.ReportFiles.Slug(run.Name));
            foreach (string file in new[] { "gradient-norms.svg", "gradient-flow.svg", "global-norm.svg", "report.html" })
            {
                Assert.True(new FileInfo(Path.Combine(folder, file)).Length > 1000, $"{folder}/{file}");
            }
            Assert.Contains(folder, fixture.Text);
        }
        Assert.StartsWith("<svg", File.ReadAllText(Path.Combine(_result.OutputDirectory, "sigmoid-small-init", "gradient-flow.svg")).TrimStart());
        Assert.Contains("VANISHING", fixture.Text);
        Assert.Contains("Side by side", fixture.Text);
    }

    [Fact]
    public void TwentyLayerGradientFlowChartKeepsItsLabelsApart()
    {
        var svg = System.Xml.Linq.XDocument.Load(Path.Combine(_result.OutputDirectory, "sigmoid-small-init", "gradient-flow.svg"));
        System.Xml.Linq.XNamespace ns = "http://www.w3.org/2000/svg";
        var labels = svg.Descendants(ns + "text").Where(t => (string?)t.Attribute("class") == "tick-label" && t.Value.StartsWith('w')).ToList();
        Assert.Equal(DeepNets.Layers, labels.Count);
        Assert.Equal("w[0]", labels[0].Value); // "w[0],b[0]" would not fit a 35 px slot
        double[] x = labels.Select(t => double.Parse((string)t.Attribute("x")!, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        for (int i = 1; i < x.Length; i++)
        {
            double room = x[i] - x[i - 1], needed = 6.5 * (labels[i - 1].Value.Length + labels[i].Value.Length) / 2;
            Assert.True(needed <= room, $"{labels[i - 1].Value} and {labels[i].Value}: {needed} px of text in {room} px");
        }
        Assert.DoesNotContain(svg.Descendants(ns + "text"), t => (string?)t.Attribute("class") == "status-label");
    }

    [Fact]
    public void ProbesNameEveryUnrolledLayer()
    {
        Assert.Equal(DeepNets.Layers, _result[VanishingSample.Relu].Report.Layers.Count);
        Assert.Contains(DeepNets.ReluNetProbeLayout.Sites, s => s.Name == "w[19]" && s.Kind == Probes.ProbeKind.Parameter && s.Depth == 19);
        Assert.Equal(["w[0],b[0]", "w[19],b[19]"], new[] { _result.Runs[0].Report.Layers[0].Name, _result.Runs[0].Report.Layers[^1].Name });
        Assert.True(_result.Runs.All(r => r.Steps == VanishingSample.StepsFor(quick: true)));
    }
}
