using System;
using System.Linq;
using AutoGrad.Generator.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Generator.Tests;

/// <summary>
/// The generated methods repeat the user's parameter types. Nullable annotations must survive, or a call that passes
/// <c>null</c> where the user's method allows it warns (CS8625) on the generated overload, and annotations the user's
/// project does not enable must not appear.
/// </summary>
public class NullableSignatureTests
{
    [Fact]
    public void NoGradParametersKeepTheirAnnotationsAndDifferentiableOnesDropThem()
    {
        GeneratorRunner.Result result = GeneratorRunner.Run("""
using System;
using AutoGrad;

public static partial class M
{
    [Differentiable]
    public static double F(double x, double[]? v, [NoGrad] string? label, [NoGrad] double[]? scale, [NoGrad] int? count)
    {
        return x * x;
    }

    [Differentiable]
    public static float G(Tensor w, [NoGrad] Tensor x, [NoGrad] Tensor? unused) => Nn.Sum(Nn.Mul(w, x));

    public static void Use()
    {
        var g = new double[1];
        double v = M.F(1.0, g, null, null, null);
        double d = M.FGradient(1.0, g, null, null, null, out double dx, g);
        Tensor w = Tensor.Zeros(2), gw = Tensor.Zeros(2);
        float l = M.GGradient(w, w, null, gw);
    }
}
""");
        Assert.DoesNotContain(result.GeneratorDiagnostics, d => d.Id.StartsWith("AG", StringComparison.Ordinal));
        Assert.True(result.CompilationDiagnostics.IsEmpty, GeneratorRunner.Describe(result.CompilationDiagnostics));
        string f = result.Sources.Single(s => s.HintName.Contains(".F.", StringComparison.Ordinal)).Text;
        Assert.Contains("FGradient(double x, double[] v, string? label, double[]? scale, int? count, out double dX", f);
        string g = result.Sources.Single(s => s.HintName.Contains(".G.", StringComparison.Ordinal)).Text;
        Assert.Contains("global::AutoGrad.Tensor x, global::AutoGrad.Tensor? unused, global::AutoGrad.Tensor dW)", g);
    }

    [Fact]
    public void ObliviousParametersAcceptNullFromCallersWhereNullableIsOn()
    {
        // Declared where nullable is off, a [NoGrad] reference parameter may be null; the generated signature, which
        // lives where annotations are on, must not forbid it to callers that have nullable on.
        GeneratorRunner.Result result = GeneratorRunner.Run("""
#nullable disable
using AutoGrad;

public static partial class M
{
    [Differentiable]
    public static double F(double x, [NoGrad] string label, [NoGrad] double[] scale, [NoGrad] string[] names,
        [NoGrad] System.Collections.Generic.List<string> list) => x * scale[0];
}
""", """
#nullable enable
public static class Caller
{
    public static double Use(string?[] names, System.Collections.Generic.List<string?> list) =>
        M.FGradient(1.0, null, new double[1], names, list, out double dx);
}
""");
        Assert.DoesNotContain(result.GeneratorDiagnostics, d => d.Id.StartsWith("AG", StringComparison.Ordinal));
        Assert.True(result.CompilationDiagnostics.IsEmpty, GeneratorRunner.Describe(result.CompilationDiagnostics));
        string f = result.Sources.Single(s => s.HintName.Contains(".F.", StringComparison.Ordinal)).Text;
        Assert.Contains("FGradient(double x, string? label, double[]? scale, string?[]? names, global::System.Collections.Generic.List<string?>? list, out double dX)", f);
    }

    [Fact]
    public void ElementAnnotationsAndTheUsersNullForgivingOperatorNeedNoWarningsInGeneratedCode()
    {
        // The generator does not copy 'c!'; the generated file has annotations without flow warnings, so a build
        // that treats warnings as errors (as this test compilation does) still compiles.
        GeneratorRunner.Result result = GeneratorRunner.Run("""
using AutoGrad;

public static partial class M
{
    [Differentiable]
    public static double Sc(double[] a, [NoGrad] double[]? c)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * (c!.Length > 0 ? 2.0 : 1.0);
        return s;
    }

    [Differentiable]
    public static float Masked(Tensor w, [NoGrad] Tensor x, [NoGrad] Tensor?[] masks) => Nn.Sum(Nn.Mul(w, x));

    public static float Use(Tensor w, Tensor x, Tensor?[] masks, Tensor dW) => MaskedGradient(w, x, masks, dW);
}
""");
        Assert.DoesNotContain(result.GeneratorDiagnostics, d => d.Id.StartsWith("AG", StringComparison.Ordinal));
        Assert.True(result.CompilationDiagnostics.IsEmpty, GeneratorRunner.Describe(result.CompilationDiagnostics));
        Assert.Contains("global::AutoGrad.Tensor?[] masks", result.Sources.Single(s => s.HintName.Contains(".Masked.", StringComparison.Ordinal)).Text);
    }
}
