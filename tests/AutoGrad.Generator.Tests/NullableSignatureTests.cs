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
    public void ObliviousParametersStayUnannotatedWhereNullableIsOff()
    {
        GeneratorRunner.Result result = GeneratorRunner.Run("""
#nullable disable
using AutoGrad;

public static partial class M
{
    [Differentiable]
    public static double F(double x, [NoGrad] string label, [NoGrad] double[] scale) => x * scale[0];

    public static void Use() => M.FGradient(1.0, null, new double[1], out double dx);
}
""");
        Assert.DoesNotContain(result.GeneratorDiagnostics, d => d.Id.StartsWith("AG", StringComparison.Ordinal));
        Assert.True(result.CompilationDiagnostics.IsEmpty, GeneratorRunner.Describe(result.CompilationDiagnostics));
        string f = result.Sources.Single(s => s.HintName.Contains(".F.", StringComparison.Ordinal)).Text;
        Assert.Contains("FGradient(double x, string label, double[] scale, out double dX)", f);
    }
}
