using System.Linq;
using System.Text.RegularExpressions;
using AutoGrad.Generator.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Generator.Tests;

/// <summary>
/// A constant-bound loop of layers is unrolled up to 256 iterations (scalar loops up to 32): rolled, its layers
/// shared one probe site per name, marked as in a recurrence, and the monitor advised LSTM cells for a 40-layer
/// feed-forward stack (review helper-54).
/// </summary>
public class LayerStackUnrollingTests
{
    private static string Generate(int layers, string scalarLoop = "")
    {
        string source = $$"""
            using AutoGrad;

            public static partial class Net
            {
                [Differentiable]
                public static float Deep(Tensor[] w, Tensor[] b, [NoGrad] Tensor x, [NoGrad] int[] labels)
                {
                    var h = x;
                    for (int l = 0; l < {{layers}}; l++) h = Nn.Sigmoid(Nn.Linear(h, w[l], b[l]));
                    float penalty = 0f;
                    {{scalarLoop}}
                    return Nn.SoftmaxCrossEntropy(h, labels) + penalty;
                }
            }
            """;
        GeneratorRunner.Result result = GeneratorRunner.Run(source);
        Assert.True(result.GeneratorDiagnostics.IsEmpty, GeneratorRunner.Describe(result.GeneratorDiagnostics));
        Assert.True(result.CompilationDiagnostics.IsEmpty, GeneratorRunner.Describe(result.CompilationDiagnostics));
        return result.Sources.Single().Text;
    }

    private static string[] Sites(string text) =>
        Regex.Matches(text, @"new\(""([^""]+)"", global::AutoGrad\.Probes\.ProbeKind\.(\w+), [^\n]*\),").Select(m => m.Value).ToArray();

    [Theory]
    [InlineData(40)]
    [InlineData(256)]
    public void ALayerStackUpTo256IsUnrolledIntoLayersOutsideAnyRecurrence(int layers)
    {
        string[] sites = Sites(Generate(layers));
        Assert.Contains(sites, s => s.StartsWith($"new(\"w[{layers - 1}]\"", System.StringComparison.Ordinal));
        Assert.Equal(layers, sites.Count(s => s.StartsWith("new(\"w[", System.StringComparison.Ordinal)));
        Assert.DoesNotContain(sites, s => s.EndsWith("true),", System.StringComparison.Ordinal));
    }

    [Fact]
    public void ALongerStackStaysALoopAndReadsAsARecurrence()
    {
        string[] sites = Sites(Generate(257));
        Assert.Single(sites, s => s.StartsWith("new(\"w\"", System.StringComparison.Ordinal));
        // Read across iterations like a recurrence, and marked as a loop over layers (w[l]: weights of its own each time).
        Assert.Contains(sites, s => s.StartsWith("new(\"w\"", System.StringComparison.Ordinal) && s.EndsWith("true, AcrossLayers: true),", System.StringComparison.Ordinal));
    }

    [Fact]
    public void AScalarLoopInTheSameMethodKeepsTheScalarLimit()
    {
        string text = Generate(3, "var s = x.Span; for (int i = 0; i < 40; i++) penalty += s[i] * 0.5f;");
        Assert.Matches(@"for \(\w+ = 0; \w+ < 40; \w+\+\+\)", text);
    }

    /// <summary>
    /// Review helper-55: 256 copies of a four-op body made a 56 MB file 1,540 blocks deep, the non-finite checks nested
    /// one in the other's else. They are flat now.
    /// </summary>
    [Fact]
    public void AnUnrolledStackOfFourOpLayersStaysFlat()
    {
        string source = """
            using AutoGrad;

            public static partial class Net
            {
                [Differentiable]
                public static float Loss(Tensor[] w, [NoGrad] Tensor x)
                {
                    var h = x;
                    for (int l = 0; l < 256; l++)
                    {
                        h = Nn.Tanh(Nn.Scale(Nn.MatMul(h, w[l]), 0.9f));
                        h = Nn.Sigmoid(Nn.Scale(Nn.MatMul(h, w[l]), 1.1f));
                        h = Nn.Tanh(Nn.Scale(Nn.MatMul(h, w[l]), 0.8f));
                        h = Nn.Tanh(Nn.Scale(Nn.MatMul(h, w[l]), 1.2f));
                    }
                    return Nn.Sum(h);
                }
            }
            """;
        GeneratorRunner.Result result = GeneratorRunner.Run(source);
        Assert.True(result.GeneratorDiagnostics.IsEmpty, GeneratorRunner.Describe(result.GeneratorDiagnostics));
        string text = result.Sources.Single().Text;
        int deepest = text.Split('\n').Max(line => line.Length - line.TrimStart(' ').Length);
        Assert.InRange(deepest, 0, 40);
        Assert.InRange(text.Length, 0, 5_000_000);
    }
}
