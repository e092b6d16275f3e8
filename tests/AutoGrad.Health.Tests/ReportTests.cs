using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using AutoGrad.Probes;
using AutoGrad.Reports;
using Spectre.Console;
using Xunit;

namespace AutoGrad.Health.Tests;

/// <summary>
/// Structural checks of the console, SVG and HTML reports; they always run. The charts are also written to
/// <c>charts/</c> in the test output folder, where scripts/render-charts.sh renders them in headless chromium.
/// </summary>
public class ReportTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private static readonly Lazy<HealthReport> Sigmoid = new(() => EndToEndTests.Train(ActivationKind.Sigmoid, he: false).Monitor.Report());
    private static readonly Lazy<HealthReport> Relu = new(() => EndToEndTests.Train(ActivationKind.Relu, he: true).Monitor.Report());

    public static string ChartDirectory(string name) => Path.Combine(AppContext.BaseDirectory, "charts", name);

    [Theory]
    [InlineData("sigmoid")]
    [InlineData("relu")]
    public void ChartsAreWellFormedSvgWithBandsAxesAndOneSeriesPerLayer(string name)
    {
        HealthReport report = name == "sigmoid" ? Sigmoid.Value : Relu.Value;
        var paths = HealthCharts.WriteAll(report, ChartDirectory(name));
        HtmlReport.Write(report, Path.Combine(ChartDirectory(name), "report.html"));

        XDocument norms = XDocument.Load(paths[0]);
        AssertCommonStructure(norms);
        Assert.Equal(8, norms.Descendants(Svg + "polyline").Count(e => Class(e).StartsWith("series layer-", StringComparison.Ordinal)));
        Assert.Contains(norms.Descendants(Svg + "text"), t => t.Value == "step");
        Assert.Contains(norms.Descendants(Svg + "text"), t => t.Value == "w1,b1 (depth 0)");

        XDocument flow = XDocument.Load(paths[1]);
        AssertCommonStructure(flow);
        Assert.Equal(8, flow.Descendants(Svg + "rect").Count(e => Class(e) == "bar"));
        Assert.Equal(7, flow.Descendants(Svg + "circle").Count(e => Class(e) == "adjoint"));
        Assert.Contains(flow.Descendants(Svg + "text"), t => t.Value == (name == "sigmoid" ? "VANISHING" : "OK") && Class(t) == "status-label");

        XDocument global = XDocument.Load(paths[2]);
        AssertCommonStructure(global);
        XElement clip = Assert.Single(global.Descendants(Svg + "line"), e => Class(e) == "clip-threshold");
        Assert.Contains(global.Descendants(Svg + "text"), t => t.Value == "clip at 5");
        double clipY = Attr(clip, "y1");
        Assert.InRange(clipY, 50, 400); // inside the plot area
    }

    [Fact]
    public void TheVanishingBandSitsBelowTheExplodingBandAndThePolylinesStayInsideThePlot()
    {
        XDocument doc = XDocument.Parse(HealthCharts.GradientNormsOverSteps(Sigmoid.Value));
        XElement vanish = doc.Descendants(Svg + "rect").Single(e => Class(e) == "band-vanishing");
        XElement explode = doc.Descendants(Svg + "rect").Single(e => Class(e) == "band-exploding");
        Assert.True(Attr(vanish, "y") > Attr(explode, "y") + Attr(explode, "height"));
        foreach (XElement line in doc.Descendants(Svg + "polyline"))
        {
            foreach (string point in line.Attribute("points")!.Value.Split(' '))
            {
                double[] xy = point.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
                Assert.InRange(xy[0], 80, 780);
                Assert.InRange(xy[1], 50, 400);
            }
        }
        // The first layer's vanishing gradient is drawn inside the vanishing band at the last step.
        string[] w1 = doc.Descendants(Svg + "polyline").First(e => Class(e) == "series layer-0").Attribute("points")!.Value.Split(' ');
        double lastY = double.Parse(w1[^1].Split(',')[1], CultureInfo.InvariantCulture);
        Assert.True(lastY > Attr(vanish, "y"));
    }

    [Fact]
    public void MissingReadingsBreakTheLineInsteadOfWritingNaN()
    {
        var layout = Synthetic.Stack(2, "relu");
        var monitor = new HealthMonitor(layout);
        var probes = new GradientProbes(layout);
        for (int step = 0; step < 10; step++)
        {
            Synthetic.Fill(probes, 2, _ => 0.5, activation: "relu");
            if (step == 5) probes.RecordGradient(Synthetic.Weight(0), new[] { float.NaN });
            monitor.Record(step, 1.0, probes, 0.1);
        }
        HealthReport report = monitor.Report();

        string norms = HealthCharts.GradientNormsOverSteps(report);
        string global = HealthCharts.GlobalNormOverSteps(report);

        Assert.Equal(3, XDocument.Parse(norms).Descendants(Svg + "polyline").Count()); // layer 0 split in two
        Assert.Single(XDocument.Parse(global).Descendants(Svg + "line"), e => Class(e) == "non-finite-step");
        Assert.DoesNotContain("NaN", norms + global);
        Assert.DoesNotContain("Infinity", norms + global);
    }

    [Fact]
    public void ConsoleTableListsLayersInDepthOrderWithEveryColumn()
    {
        var writer = new StringWriter();
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 320;

        ConsoleReport.Write(Sigmoid.Value, console);
        string text = writer.ToString();

        foreach (string header in new[] { "layer", "line", "activation", "params", "log10‖g‖", "log10‖∂L/∂h‖", "max|g|", "ratio to last", "update/weight", "dead/sat", "trend", "status", "advice" })
        {
            Assert.Contains(header, text);
        }
        int[] rows = Enumerable.Range(1, 8).Select(d => text.IndexOf($"w{d},b{d}", StringComparison.Ordinal)).ToArray();
        Assert.All(rows, r => Assert.True(r > 0));
        Assert.Equal(rows.OrderBy(r => r), rows);
        Assert.Contains("VANISHING", text);
        Assert.Contains("Mlp.cs:20", text);
        Assert.Contains("step 59 | loss", text);
        Assert.Contains("ReLU + He init; residual/BN", text);
    }

    [Theory]
    [InlineData("160", 160)]
    [InlineData("40", ConsoleReport.MinimumWidth)]
    [InlineData(null, 200)]
    [InlineData("wide", 200)]
    public void ARedirectedReportIsAsWideAsColumnsSaysNotEightyColumns(string? columns, int width)
    {
        // A training log redirected to a file wrapped the 13-column table at Spectre.Console's default of 80.
        // Plain text whatever TERM says (Spectre.Console detects colour from TERM, and a log under TERM=xterm got escapes).
        string? term = Environment.GetEnvironmentVariable("TERM");
        Environment.SetEnvironmentVariable("TERM", "xterm-256color");
        try
        {
            IAnsiConsole console = ConsoleReport.RedirectedConsole(columns);
            Assert.Equal(width, console.Profile.Width);
            Assert.NotSame(AnsiConsole.Console, console);
            Assert.False(console.Profile.Capabilities.Ansi);
            Assert.Equal(ColorSystem.NoColors, console.Profile.Capabilities.ColorSystem);
        }
        finally
        {
            Environment.SetEnvironmentVariable("TERM", term);
        }
    }

    [Fact]
    public void HtmlBundlesTheTableAdviceAndThreeCharts()
    {
        string html = HtmlReport.Render(Sigmoid.Value);

        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Equal(3, CountOf(html, "<svg xmlns"));
        Assert.Equal(9, CountOf(html, "<tr>")); // header + 8 layers
        Assert.Contains("VANISHING", html);
        Assert.Contains("AUTOTRAINER", html);
        Assert.DoesNotContain("NaN", html);
    }

    /// <summary>Review helper-85: before the first Record every layer read OK with max|g| 0, "No threshold crossed."
    /// and OK under each bar: verdicts on readings that do not exist.</summary>
    [Fact]
    public void AReportBeforeTheFirstRecordShowsNoVerdicts()
    {
        HealthReport report = new HealthMonitor(Synthetic.Stack(3, "tanh")).Report();

        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No });
        ConsoleReport.Write(report, console);
        Assert.Contains("no step classified yet", writer.ToString());
        Assert.DoesNotContain("OK", writer.ToString());
        string html = HtmlReport.Render(report);
        Assert.Contains("no step classified yet", html);
        Assert.DoesNotContain("<tr>", html);
        Assert.DoesNotContain("No threshold crossed", html);
        XDocument flow = XDocument.Parse(HealthCharts.GradientFlow(report));
        Assert.DoesNotContain(flow.Descendants(Svg + "rect"), e => Class(e) == "bar");
        Assert.DoesNotContain(flow.Descendants(Svg + "text"), e => Class(e) == "status-label");
    }

    /// <summary>Review helper-85: with 200 layers 177 legend entries sat below the canvas and the tick labels, 3.5 px
    /// apart, ran into one block; a control character in the method's name made the SVG unreadable as XML.</summary>
    [Fact]
    public void ChartsOfManyLayersKeepTheirLabelsOnTheCanvas()
    {
        ProbeLayout stack = Synthetic.Stack(200, "tanh");
        var layout = new ProbeLayout("Ctl\u0001.Deep", stack.Sites.ToArray());
        var monitor = new HealthMonitor(layout);
        var probes = new GradientProbes(layout);
        for (int step = 0; step < 3; step++)
        {
            Synthetic.Fill(probes, 200, d => Math.Pow(1.05, d), activation: "tanh");
            monitor.Record(step, 1.0, probes, 0.1);
        }
        HealthReport report = monitor.Report();

        XDocument norms = XDocument.Parse(HealthCharts.GradientNormsOverSteps(report));
        var legend = norms.Descendants(Svg + "text").Where(t => Class(t) == "legend-label").ToList();
        Assert.All(legend, t => Assert.InRange(Attr(t, "y"), 0, 460));
        Assert.Contains(legend, t => t.Value.StartsWith("… and ", StringComparison.Ordinal) && t.Value.EndsWith(" more layers", StringComparison.Ordinal));
        Assert.Equal(200, norms.Descendants(Svg + "polyline").Count(e => Class(e).StartsWith("series layer-", StringComparison.Ordinal)));

        XDocument flow = XDocument.Parse(HealthCharts.GradientFlow(report));
        var ticks = flow.Descendants(Svg + "text").Where(t => Class(t) == "tick-label" && !t.Value.StartsWith("1e", StringComparison.Ordinal))
            .Select(t => Attr(t, "x")).OrderBy(x => x).ToList();
        Assert.InRange(ticks.Count, 10, 40);
        Assert.All(ticks.Zip(ticks.Skip(1)), pair => Assert.True(pair.Second - pair.First >= 25, $"{pair.First} and {pair.Second}"));
        Assert.Equal(200, flow.Descendants(Svg + "rect").Count(e => Class(e) == "bar"));
    }

    [Fact]
    public void AStepNumberPastDoublesIntegersStillCharts()
    {
        ProbeLayout layout = Synthetic.Stack(2, "tanh");
        var monitor = new HealthMonitor(layout);
        var probes = new GradientProbes(layout);
        Synthetic.Fill(probes, 2, _ => 1.0, activation: "tanh");
        monitor.Record(100_000_000_000_000_000, 1.0, probes, 0.1);
        AssertCommonStructure(XDocument.Parse(HealthCharts.GlobalNormOverSteps(monitor.Report())));

        // Review helper-88: two steps a few apart near 2^53 made a tick of 1, and x + 1 == x there: the tick loop never ended.
        var second = new HealthMonitor(layout);
        foreach (long step in new[] { 9_007_199_254_740_992, 9_007_199_254_741_000 })
        {
            Synthetic.Fill(probes, 2, _ => 1.0, activation: "tanh");
            second.Record(step, 1.0, probes, 0.1);
        }
        HealthReport report = second.Report();
        AssertCommonStructure(XDocument.Parse(HealthCharts.GradientNormsOverSteps(report)));
        AssertCommonStructure(XDocument.Parse(HealthCharts.GlobalNormOverSteps(report)));
    }

    /// <summary>Review helper-85: "0.###" printed 0.0104 as 0.01, so the advice read "= 0.01 (> 0.01)"; a NaN loss
    /// printed as "-", the tables' mark for no reading.</summary>
    [Fact]
    public void NumbersKeepThreeSignificantDigitsAndANaNLossSaysNaN()
    {
        Assert.Equal("0.0104", HealthFormat.Number(0.0104));
        Assert.Equal("0.0015", HealthFormat.Number(0.0015));
        Assert.Equal("0.25", HealthFormat.Number(0.25));
        Assert.Equal("0.123", HealthFormat.Number(0.12345));
        Assert.Equal("70", HealthFormat.Number(70));
        Assert.Equal("1.2e-05", HealthFormat.Number(1.2e-5));
        Assert.Equal("-", HealthFormat.Number(double.NaN));

        ProbeLayout layout = Synthetic.Stack(2, "tanh");
        var monitor = new HealthMonitor(layout);
        var probes = new GradientProbes(layout);
        Synthetic.Fill(probes, 2, _ => 1.0, activation: "tanh");
        monitor.Record(0, double.NaN, probes, 0.1);
        HealthReport report = monitor.Report();
        Assert.Contains("| loss NaN |", report.Summary());
        Assert.Contains(report.Advice, a => a.Reading.Contains("the loss is NaN", StringComparison.Ordinal));
    }

    private static void AssertCommonStructure(XDocument doc)
    {
        Assert.Equal(Svg + "svg", doc.Root!.Name);
        Assert.Single(doc.Descendants(Svg + "rect"), e => Class(e) == "band-vanishing");
        Assert.Single(doc.Descendants(Svg + "rect"), e => Class(e) == "band-exploding");
        Assert.Contains(doc.Descendants(Svg + "text"), t => Class(t) == "tick-label" && t.Value.StartsWith("1e", StringComparison.Ordinal));
        Assert.Contains(doc.Descendants(Svg + "text"), t => Class(t) == "axis-title" && t.Value.Contains("log10", StringComparison.Ordinal));
        string all = doc.ToString();
        Assert.DoesNotContain("NaN", all);
        Assert.DoesNotContain("Infinity", all);
        foreach (XAttribute a in doc.Descendants().Attributes().Where(a => a.Name.LocalName is "x" or "y" or "x1" or "y1" or "x2" or "y2" or "width" or "height" or "cx" or "cy"))
        {
            Assert.True(double.TryParse(a.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v), $"{a.Name}={a.Value}");
        }
    }

    private static string Class(XElement e) => e.Attribute("class")?.Value ?? "";

    private static double Attr(XElement e, string name) => double.Parse(e.Attribute(name)!.Value, CultureInfo.InvariantCulture);

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;
}
