using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using AutoGrad.Generator.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Generator.Tests;

/// <summary>
/// Code as it is while being typed, or with a type error: the compiler reports what is wrong; the generator adds no
/// diagnostic of its own (least of all AG9999) and no generated code that would repeat the error. With the errors in
/// the body only, it writes the throwing stub of the gradient's members, so callers keep compiling.
/// </summary>
public class CodeThatDoesNotCompileTests
{
    private static List<Diagnostic> Errors(GeneratorRunner.Result result) =>
        result.Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();

    private static bool InGeneratedFile(Diagnostic d) => d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true;

    [Theory]
    [InlineData("public static double F(double a, double) => a * a;")]
    [InlineData("public static double F(double a, double[] w) { double s = 0; s += w; return s; }")]
    [InlineData("public static double F(double a, double[] w) { double s = 0; s += w[a]; return s; }")]
    [InlineData("public static double F(double a, double[] w) { int q = a; return q * a; }")]
    [InlineData("public static double F(double a, double[] w) { double q = w; return q * a; }")]
    [InlineData("public static double F(double a, double[] w) { double s = 0; for (int i = 0; i < w.Length; i++) return s; }")]
    [InlineData("public static double F(double a, double[] w) { double s = a; if (a return s; }")]
    [InlineData("public static double F(double a, double[] w) { double s = a; s. return s; }")]
    [InlineData("public static double F(double a, double[] w) { double s = a + ; return s; }")]
    [InlineData("public static double F(double a, double[] w) { return ; }")]
    [InlineData("public static double F(double a, double[] w) { return \"x\"; }")]
    [InlineData("public static double F(double a, ) => a;")]
    [InlineData("public static double F(Undefined a) => 1.0;")]
    [InlineData("public static Undefined F(double a) => a;")]
    [InlineData("public static double F(double a, double b => a * b;")]
    [InlineData("public static double F(double a, double[] w) { return Math.Si(a); }")]
    public void NoDiagnosticOrGeneratedCodeOfOurOwn(string method)
    {
        GeneratorRunner.Result result = GeneratorRunner.Run("using System;\nusing AutoGrad;\npublic static partial class M\n{\n    [Differentiable]\n    " + method + "\n}\n");
        Assert.DoesNotContain(result.GeneratorDiagnostics, d => d.Id.StartsWith("AG", StringComparison.Ordinal));
        Assert.All(result.Sources.Where(s => s.HintName.Contains("M.F.", StringComparison.Ordinal)),
            s => Assert.Contains("NotGenerated(", s.Text, StringComparison.Ordinal));
        var errors = Errors(result);
        Assert.NotEmpty(errors);
        Assert.DoesNotContain(errors, InGeneratedFile);
    }

    /// <summary>
    /// Review helper-57: errors in the declaration, not the body. A stub or gradient would repeat them in the generated
    /// file (CS0051, CS0306), and a parse of the signature added AG diagnostics to C# errors (AG0021 for 'x, x').
    /// </summary>
    [Theory]
    [InlineData("internal class Hid { }\npublic static partial class A { [Differentiable] public static double F(double x, [NoGrad] Hid h) => x * x; }")]
    [InlineData("public static partial class A { private class P { } [Differentiable] public static double F(double x, [NoGrad] P p) => x * x; }")]
    [InlineData("public static partial class A { [Differentiable] public static double F(double x, [NoGrad] Span<Span<int>> q) => x * x; }")]
    [InlineData("public static partial class A { [Differentiable] public static double F(double x, double x) => x * x; }")]
    [InlineData("internal enum E { A }\npublic static partial class A { [Differentiable] public static double F(double x, E e) => x * x; }")]
    [InlineData("public static partial class A { [Differentiable] public static double F(double x, double x) => x * x;\n" +
                "[Differentiable] public static double G(double x) => F(x, x) * 2 + x; }")] // a caller (helper-58: CS0117 in G's file)
    // Review helper-59: one level down (F compiles but calls E, which does not), and partial methods, whose calls bind
    // to the definition while the generator reads the implementation.
    [InlineData("public static partial class A { [Differentiable] public static double E(double x, double x) => x * x;\n" +
                "[Differentiable] public static double F(double x) => E(x, x) * 3;\n" +
                "[Differentiable] public static double G(double x) => F(x) * 2 + x;\n" +
                "public static double Use() => FGradient(1.0, out double d) + d; }")]
    [InlineData("public static partial class A { [Differentiable] public static double G(double x) => F(x) * 2 + x;\n" +
                "public static partial double F(double x);\n" +
                "[Differentiable, Foo] public static partial double F(double x) => x * x; }")]
    public void ADeclarationThatDoesNotCompileGetsNothingOfOurs(string source)
    {
        GeneratorRunner.Result result = GeneratorRunner.Run("using System;\nusing AutoGrad;\n" + source + "\n");
        Assert.DoesNotContain(result.GeneratorDiagnostics, d => d.Id.StartsWith("AG", StringComparison.Ordinal));
        Assert.DoesNotContain(Errors(result), InGeneratedFile);
    }

    /// <summary>Review helper-59: an error on a partial method's definition leaves the implementation's gradient, and its callers'.</summary>
    [Fact]
    public void AnErrorOnAPartialMethodsDefinitionLeavesItsCallersGradient()
    {
        GeneratorRunner.Result result = GeneratorRunner.Run("""
            using System;
            using AutoGrad;
            public static partial class A
            {
                [Differentiable] public static double G(double x) => F(x) * 2 + x;
                [Foo] public static partial double F(double x);
                [Differentiable] public static partial double F(double x) => x * x;
            }
            """);
        Assert.DoesNotContain(result.GeneratorDiagnostics, d => d.Id.StartsWith("AG", StringComparison.Ordinal));
        Assert.Contains(result.Sources, s => s.HintName.Contains("A.G.", StringComparison.Ordinal) && s.Text.Contains("GPullback", StringComparison.Ordinal));
        Assert.DoesNotContain(Errors(result), InGeneratedFile);
    }

    /// <summary>
    /// Review helper-58: a method being typed whose unfinished expression runs into the next member's attribute. The
    /// compiler reports the error at the next member's first token, outside the method; it is still the body's.
    /// </summary>
    [Fact]
    public void AnUnfinishedBodyThatRunsIntoTheNextMemberStillGetsItsStub()
    {
        GeneratorRunner.Result result = GeneratorRunner.Run("""
            using System;
            using AutoGrad;
            public static partial class A
            {
                [Differentiable]
                public static double F(double x) =>
                    Math.Sin(x) *
                [Differentiable] public static double H(double x) => x;
                public static double Use() { double g = FGradient(1.0, out double dx); return g + dx; }
                [Differentiable] public static double G(double x) => F(x) * 2 + x;
            }
            """);
        Assert.DoesNotContain(result.GeneratorDiagnostics, d => d.Id.StartsWith("AG", StringComparison.Ordinal));
        var errors = Errors(result);
        Assert.NotEmpty(errors);
        Assert.DoesNotContain(errors, d => d.GetMessage().Contains("FGradient", StringComparison.Ordinal) || d.GetMessage().Contains("FPullback", StringComparison.Ordinal));
        Assert.DoesNotContain(errors, InGeneratedFile);
    }

    /// <summary>
    /// Review helper-51: B's typo left no stub, so A's generated pullback (which calls BPullback) failed with CS0117 on
    /// top of the real error, in the IDE while B was being typed too.
    /// </summary>
    [Theory]
    [InlineData("=> Math.Sinn(x);")]
    [InlineData("=> x * ;")]
    [InlineData("{ if (x > 0) return x * x; }")]           // CS0161, reported at the method's name (review helper-56)
    [InlineData("{ while (x > 0) x -= 1; }")]
    [InlineData("=> x * x;;")]                                // review helper-58: an error in the trailing trivia
    [InlineData("{ yield return x; }")]                       // CS1624, reported at the method's name
    public void ACalleeWhoseBodyDoesNotCompileGetsAStubSoItsCallersCompile(string body)
    {
        GeneratorRunner.Result result = GeneratorRunner.Run("using System;\nusing AutoGrad;\npublic static partial class Cb\n{\n" +
            "    [Differentiable] public static double A(double x) => B(x) * 2;\n" +
            "    [Differentiable] public static double B(double x) " + body + "\n" +
            "    public static double Train(double x) => BGradient(x, out double d) + d;\n}\n");
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Contains(result.Sources, s => s.HintName.Contains("Cb.B.", StringComparison.Ordinal) && s.Text.Contains("NotGenerated(", StringComparison.Ordinal));
        var errors = Errors(result);
        Assert.NotEmpty(errors);
        Assert.All(errors, d => Assert.Contains("B(double x) ", d.Location.SourceTree!.GetText().Lines[d.Location.GetLineSpan().StartLinePosition.Line].ToString(), StringComparison.Ordinal));
    }

    /// <summary>
    /// A callee with one of our declaration errors gets no members at all (no stub: there is no signature to declare
    /// without clashing), so a caller's generated pullback calling FPullback failed with CS0117 in the generated file.
    /// The caller now gets its stub, and the only errors are the callee's.
    /// </summary>
    [Theory]
    [InlineData("AG0022", "public static partial class Cd { [Differentiable] public static double F(double x) => x * x; [Differentiable] public static double F(double x, double y) => x * y; }", "F(x, 2.0)")]
    [InlineData("AG0021", "public static partial class Cd { [Differentiable] public static double F(double x, [NoGrad] double dX) => x * dX; }", "F(x, 2.0)")]
    [InlineData("AG0024", "public static partial class Cd { [Differentiable] public static double F(double x) => x * x; public static int FProbeLayout; }", "F(x)")]
    [InlineData("AG0023", "public static partial class Cd { [Differentiable] public static partial double F(double x); public static partial double F(double x) => x * x; }", "F(x)")]
    [InlineData("AG0001", "public static class Cd { [Differentiable] public static double F(double x) => x * x; }", "F(x)")]
    public void ACallerOfACalleeWithADeclarationErrorGetsItsStub(string id, string callee, string call)
    {
        GeneratorRunner.Result result = GeneratorRunner.Run("using System;\nusing AutoGrad;\n" + callee + "\n" +
            "public static partial class Caller\n{\n" +
            "    [Differentiable] public static double G(double x) => Cd." + call + " + 1;\n" +
            "    public static double Train(double x) => GGradient(x, out double d) + d;\n}\n");
        Assert.Contains(result.GeneratorDiagnostics, d => d.Id == id);
        Assert.All(result.GeneratorDiagnostics, d => Assert.Equal(2, d.Location.GetLineSpan().StartLinePosition.Line)); // the callee's line
        var stub = Assert.Single(result.Sources, s => s.HintName.Contains("Caller.G.", StringComparison.Ordinal));
        Assert.Contains("it calls a [Differentiable] method that has errors", stub.Text, StringComparison.Ordinal);
        Assert.Contains("NotGenerated(", stub.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(Errors(result), InGeneratedFile);
        Assert.DoesNotContain(Errors(result), d => d.GetMessage().Contains("GGradient", StringComparison.Ordinal));
    }

    [Fact]
    public void AWarningOfTheUsersCodeDoesNotStopTheGradient()
    {
        // The test compilation reports warnings as errors; the gradient is still generated.
        GeneratorRunner.Result result = GeneratorRunner.Run("""
using AutoGrad;
public static partial class M
{
    [Differentiable]
    public static double F(double a) { int unused = 3; return a * a; }
}
""");
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Contains(result.Sources, s => s.HintName.Contains("M.F.", StringComparison.Ordinal));
    }

    [Fact]
    public void AWarningDirectiveOrAnObsoleteCallLeavesTheGradientAndItsFileClean()
    {
        GeneratorRunner.Result result = GeneratorRunner.Run("""
using System;
using AutoGrad;
public static class Legacy
{
    [Obsolete("use something else")] public static double Scale => 2.0;
}
public static partial class M
{
    [Differentiable]
    public static double F(double a)
    {
#warning this directive is the test input: a warning in the body must not stop the gradient
#pragma warning disable CS0618
        return a * a * Legacy.Scale;
#pragma warning restore CS0618
    }
}
""");
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Contains(result.Sources, s => s.HintName.Contains("M.F.", StringComparison.Ordinal));
        // The user's #warning is theirs; nothing is reported inside the generated file.
        Assert.DoesNotContain(result.Output.GetDiagnostics(), InGeneratedFile);
    }

    [Fact]
    public void ConstantConditionsAndSelfComparisonsLeaveTheGeneratedFileClean()
    {
        // Legal code whose generated form would warn: a constant condition's branch becomes 'if (!true)' (CS0162),
        // two reads of one element compared become one temporary compared with itself (CS1718).
        GeneratorRunner.Result result = GeneratorRunner.Run("""
using AutoGrad;
public static partial class M
{
    [Differentiable]
    public static double F(double[] a, int i)
    {
        double c = (-1.2 < 0.3 ? 1.5 : a[5]) * a[0];
        return a[i % 5] < a[i % 5] ? c : c * a[1];
    }
}
""");
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.True(result.CompilationDiagnostics.IsEmpty, GeneratorRunner.Describe(result.CompilationDiagnostics));
    }

    [Fact]
    public void AnUnrolledCounterMakesNoConstantTheCompilerRefuses()
    {
        // With the counter a literal in each copy: a division by constant zero and a[-1] in branches that copy never
        // runs, and conversions whose constant value does not fit (CS0020, CS0251, CS0221 in the generated file).
        GeneratorRunner.Result result = GeneratorRunner.Run("""
using AutoGrad;
public static partial class M
{
    [Differentiable]
    public static double F(double x, double[] a)
    {
        double s = 0;
        for (int i = 0; i < 3; i++)
        {
            if (i != 1) { int q = 7 / (i - 1); s += q * x; }
            if (i > 0) s += a[i - 1] * x;
            s += (short)(32766 + i) * x + (int)(i * 1e10) * 1e-10 * x + (uint)(i - 1) * x;
            ulong big = (ulong)i * 9223372036854775807UL;
            s += big * 1e-19 * x;
        }
        return s;
    }
}
""");
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.True(result.CompilationDiagnostics.IsEmpty, GeneratorRunner.Describe(result.CompilationDiagnostics));
    }
}
