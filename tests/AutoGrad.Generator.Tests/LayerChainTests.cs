using System.Linq;
using System.Text.RegularExpressions;
using AutoGrad.Generator.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Generator.Tests;

/// <summary>
/// Chains of fused layers: an op whose first argument holds another fused op's output calls the ForwardInto overload
/// that keeps feature-major copies, and gets its input's copy; an op outside a chain keeps the plain call, and a method
/// that could write into a tensor (through a span, or in a method the generator does not know) has no chains.
/// </summary>
public class LayerChainTests
{
    private static string Generate(string body)
    {
        string source = $$"""
            using AutoGrad;

            public static partial class Net
            {
                [Differentiable]
                public static float Loss(Tensor[] w, Tensor[] b, Tensor wOut, Tensor bOut, [NoGrad] Tensor x, [NoGrad] int[] labels)
                {
            {{body}}
                }
            }
            """;
        GeneratorRunner.Result result = GeneratorRunner.Run(source);
        Assert.True(result.GeneratorDiagnostics.IsEmpty, GeneratorRunner.Describe(result.GeneratorDiagnostics));
        return result.Sources.Single().Text;
    }

    private static string[] IntoCalls(string text) =>
        Regex.Matches(text, @"Nn\.LinearActivationInto\(([^;]*)\);").Select(m => m.Groups[1].Value).ToArray();

    [Fact]
    public void EachLayerOfAnUnrolledChainReadsThePreviousLayersCopy()
    {
        string text = Generate("""
                    var h = x;
                    for (int l = 0; l < 3; l++)
                        h = Nn.Tanh(Nn.Linear(h, w[l], b[l]));
                    return Nn.SoftmaxCrossEntropy(Nn.Linear(h, wOut, bOut), labels);
            """);

        string[] calls = IntoCalls(text);

        Assert.Equal(3, calls.Length);
        Assert.StartsWith("ref _ws.Out_op0, ref _ws.OutT_op0, h, null, w[0]", calls[0]);
        Assert.StartsWith("ref _ws.Out_op1, ref _ws.OutT_op1, h, _ws.OutT_op0, w[1]", calls[1]);
        Assert.StartsWith("ref _ws.Out_op2, ref _ws.OutT_op2, h, _ws.OutT_op1, w[2]", calls[2]);
        Assert.Contains("global::AutoGrad.Tensor? OutT_op2;", text);
    }

    [Fact]
    public void ALayerWhoseOutputNoFusedLayerReadsKeepsThePlainCall()
    {
        string text = Generate("""
                    var h = Nn.Tanh(Nn.Linear(x, w[0], b[0]));
                    return Nn.SoftmaxCrossEntropy(Nn.Linear(h, wOut, bOut), labels);
            """);

        Assert.StartsWith("ref _ws.Out_op0, x, w[0],", IntoCalls(text).Single());
        Assert.DoesNotContain("OutT_", text);
    }

    [Fact]
    public void ASpanOfATensorTurnsChainsOff()
    {
        string text = Generate("""
                    var h1 = Nn.Tanh(Nn.Linear(x, w[0], b[0]));
                    var s = h1.Span;
                    float first = s[0];
                    var h2 = Nn.Tanh(Nn.Linear(h1, w[1], b[1]));
                    return Nn.SoftmaxCrossEntropy(Nn.Linear(h2, wOut, bOut), labels);
            """);

        Assert.Equal(2, IntoCalls(text).Length);
        Assert.DoesNotContain("OutT_", text);
    }

    [Fact]
    public void ALayerInsideABranchIsNotChained()
    {
        string text = Generate("""
                    var h = Nn.Tanh(Nn.Linear(x, w[0], b[0]));
                    if (labels.Length > 1)
                    {
                        h = Nn.Tanh(Nn.Linear(h, w[1], b[1]));
                    }
                    var h3 = Nn.Tanh(Nn.Linear(h, w[2], b[2]));
                    return Nn.SoftmaxCrossEntropy(Nn.Linear(h3, wOut, bOut), labels);
            """);

        // h after the branch may hold either layer's output, so the last layer reads no copy, and the first layer's
        // output reaches no chained consumer: no chains at all.
        Assert.Equal(3, IntoCalls(text).Length);
        Assert.DoesNotContain("OutT_", text);
    }

    [Fact]
    public void UnrolledSitesNameTheirLayersWithTheIndexFolded()
    {
        // Error messages of op calls in unrolled loops name the tensors each copy reads.
        string text = Generate("""
                    var h = x;
                    for (int l = 0; l < 3; l++)
                        h = Nn.Tanh(Nn.Linear(h, w[2 - l], b[(l + 1) * 1 - 1]));
                    return Nn.SoftmaxCrossEntropy(Nn.Linear(h, wOut, bOut), labels);
            """);
        Assert.Contains("\"h\", \"w[2]\", \"b[0]\"", text);
        Assert.Contains("\"h\", \"w[1]\", \"b[1]\"", text);
        Assert.Contains("\"h\", \"w[0]\", \"b[2]\"", text);
    }
}
