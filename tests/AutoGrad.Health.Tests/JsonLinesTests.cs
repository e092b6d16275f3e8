using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using AutoGrad.Probes;
using Xunit;

namespace AutoGrad.Health.Tests;

public class JsonLinesTests
{
    [Fact]
    public void WritesOneParsableRecordPerClassifiedStepWithTheDocumentedFields()
    {
        var layout = Synthetic.Stack(3, "sigmoid");
        HealthMonitor monitor = Synthetic.WithJsonLines(layout, new HealthOptions { RecordEvery = 2 }, out MemoryStream stream);
        var probes = new GradientProbes(layout);
        for (int step = 0; step < 6; step++)
        {
            Synthetic.Fill(probes, 3, d => Math.Pow(0.25, 2 - d));
            if (step == 5) probes.NoteNonFinite(Synthetic.Output(1), inputsFinite: true);
            monitor.Record(step, step == 5 ? double.NaN : 1.0, probes, 0.05);
        }
        monitor.JsonLines!.Dispose();

        string[] lines = Encoding.UTF8.GetString(stream.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length); // steps 0, 2, 4 and the non-finite step 5
        using JsonDocument first = JsonDocument.Parse(lines[0]);
        JsonElement root = first.RootElement;
        Assert.Equal(0, root.GetProperty("step").GetInt64());
        Assert.Equal("Mlp.Loss", root.GetProperty("method").GetString());
        Assert.Equal(0.05, root.GetProperty("lr").GetDouble(), 10);
        Assert.Equal("OK", root.GetProperty("status").GetString());
        Assert.Equal(0.25, root.GetProperty("depth_factor").GetDouble(), 6);
        Assert.Equal("LayerOutputs", root.GetProperty("depth_source").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("non_finite").ValueKind);
        Assert.Equal(3, root.GetProperty("layers").GetArrayLength());
        Assert.Equal(12, root.GetProperty("sites").GetArrayLength());
        JsonElement w1 = root.GetProperty("sites")[0];
        Assert.Equal("w1", w1.GetProperty("name").GetString());
        Assert.Equal("Parameter", w1.GetProperty("kind").GetString());
        Assert.Equal(0.0625, w1.GetProperty("l2").GetDouble(), 5);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("layers")[0].GetProperty("update_ratio").ValueKind);
        // Each kind of site carries only the readings it takes; the others are null, not 0.
        Assert.Equal(JsonValueKind.Null, w1.GetProperty("flagged").ValueKind);
        Assert.Equal(JsonValueKind.Number, w1.GetProperty("zeros").ValueKind);
        JsonElement a1 = root.GetProperty("sites")[Synthetic.Activation(0)];
        Assert.Equal("Activation", a1.GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Number, a1.GetProperty("flagged").ValueKind);
        foreach (string field in new[] { "l2", "rms", "max_abs", "zeros" })
        {
            Assert.Equal(JsonValueKind.Null, a1.GetProperty(field).ValueKind);
        }
        Assert.Equal(JsonValueKind.Number, root.GetProperty("global_norm").ValueKind);

        using JsonDocument last = JsonDocument.Parse(lines[^1]);
        JsonElement bad = last.RootElement;
        Assert.Equal("NON-FINITE", bad.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, bad.GetProperty("loss").ValueKind);
        Assert.True(bad.GetProperty("update_skipped").GetBoolean());
        JsonElement origin = bad.GetProperty("non_finite");
        Assert.Equal("h2", origin.GetProperty("site").GetString());
        Assert.Equal(12, origin.GetProperty("line").GetInt32());
        Assert.True(origin.GetProperty("culprit").GetBoolean());
        Assert.All(lines, l => Assert.DoesNotContain("NaN", l));
    }

    [Fact]
    public void AStepWithANonFiniteGradientHasNoGlobalNorm()
    {
        var layout = Synthetic.Stack(2, "relu");
        var stream = new MemoryStream();
        var monitor = new HealthMonitor(layout) { JsonLines = new HealthJsonLinesWriter(stream, leaveOpen: true) };
        var probes = new GradientProbes(layout);
        Synthetic.Fill(probes, 2, _ => 1.0, activation: "relu");
        probes.RecordGradient(Synthetic.Weight(1), new[] { float.NaN, 1f });
        monitor.Record(0, 1.0, probes, 0.1);
        monitor.JsonLines.Dispose();
        using JsonDocument line = JsonDocument.Parse(Encoding.UTF8.GetString(stream.ToArray()).Trim());
        Assert.Equal(JsonValueKind.Null, line.RootElement.GetProperty("global_norm").ValueKind);
    }
    /// <summary>
    /// Review helper-85: the report and the JSON line took log10 from the classifier, which stops at float's -45, so a
    /// double method's gradient of 3.5e-100 read -45 (beside its own l2 of 3.5e-100), and a gradient of exactly 0
    /// read -45.00 in the table.
    /// </summary>
    [Fact]
    public void ReportedLog10NormsAreTheReadingsOwn()
    {
        var layout = Synthetic.Stack(3, "tanh");
        var stream = new MemoryStream();
        var monitor = new HealthMonitor(layout) { JsonLines = new HealthJsonLinesWriter(stream, leaveOpen: true) };
        var probes = new GradientProbes(layout);
        probes.Begin();
        var healthy = new float[64];
        for (int i = 0; i < healthy.Length; i++) healthy[i] = 0.25f + 0.5f * (i % 2);
        for (int d = 0; d < 3; d++)
        {
            if (d == 0) probes.RecordGradient(Synthetic.Weight(d), Enumerable.Repeat(1e-100, 12).ToArray().AsSpan());
            else if (d == 1) probes.RecordGradient(Synthetic.Weight(d), new float[256]);
            else probes.RecordGradient(Synthetic.Weight(d), Synthetic.WithNorm(256, 1.0));
            probes.RecordGradient(Synthetic.Bias(d), Synthetic.WithNorm(16, 0.25));
            probes.RecordGradient(Synthetic.Output(d), Synthetic.WithNorm(64, 2.0));
            probes.RecordActivation(Synthetic.Activation(d), healthy, 4, ActivationKind.Tanh);
        }

        monitor.Record(0, 1.0, probes, 0.1);
        monitor.JsonLines.Dispose();
        HealthReport report = monitor.Report();

        double expected = Math.Log10(Math.Sqrt(12) * 1e-100);
        Assert.Equal(expected, report.Layers[0].Log10Gradient, 9);
        Assert.Equal(double.NegativeInfinity, report.Layers[1].Log10Gradient);
        Assert.Equal("-∞", HealthFormat.Log10(report.Layers[1].Log10Gradient));
        using JsonDocument line = JsonDocument.Parse(Encoding.UTF8.GetString(stream.ToArray()).Trim());
        JsonElement layers = line.RootElement.GetProperty("layers");
        Assert.Equal(expected, layers[0].GetProperty("log10_norm").GetDouble(), 9);
        Assert.Equal(JsonValueKind.Null, layers[1].GetProperty("log10_norm").ValueKind);
    }
}
