using System;
using System.Linq;
using AutoGrad.Generator.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Generator.Tests;

/// <summary>
/// Where a parameter's probe is read: in the pullback of the one op that reads it (the weight gradient's GEMM epilogue),
/// unless the method also reads the parameter's values elsewhere, whose contributions come later (review helper-63).
/// A read that carries no gradient (a shape, a length, a comparison) keeps the early reading (review helper-64).
/// </summary>
public class EarlyProbeTests
{
    private static string Generate(string method)
    {
        GeneratorRunner.Result result = GeneratorRunner.Run("using System;\nusing AutoGrad;\npublic static partial class Net\n{\n" + method + "\n}\n");
        Assert.Empty(result.GeneratorDiagnostics);
        return result.Sources.Single(s => s.HintName.Contains("Net.", StringComparison.Ordinal)).Text;
    }

    private const string Signature = "[Differentiable] public static float F(Tensor w, Tensor b, [NoGrad] Tensor x, [NoGrad] Tensor y) { ";

    [Theory]
    [InlineData("return Nn.Mse(Nn.Tanh(Nn.Linear(x, w, b)), y);")]
    [InlineData("return Nn.Mse(Nn.Tanh(Nn.Linear(x, w, b)), y) * w.Dim(0);")]
    [InlineData("return w.Dim(0) > 3 ? Nn.Mse(Nn.Tanh(Nn.Linear(x, w, b)), y) : 0f;")]
    public void AReadWithoutGradientKeepsTheReadingInThePullback(string body) =>
        Assert.Matches(@"dWReading: new global::AutoGrad\.Probes\.GradientReading\(probes, \d+\)", Generate(Signature + body + " }"));

    [Theory]
    [InlineData("var ws = w.Span; return Nn.Mse(Nn.Tanh(Nn.Linear(x, w, b)), y) + ws[0];")]
    [InlineData("var v = w; return Nn.Mse(Nn.Tanh(Nn.Linear(x, w, b)), y) + Nn.Sum(Nn.Tanh(v));")]
    public void AReadWithGradientMovesTheReadingAfterTheBackwardPass(string body)
    {
        string generated = Generate(Signature + body + " }");
        Assert.DoesNotContain("dWReading:", generated, StringComparison.Ordinal);
        Assert.Matches(@"probes\.RecordGradient\(\d+, dW\.Span\);", generated);
    }
}
