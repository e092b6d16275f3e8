using System;
using System.Linq;
using AutoGrad.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace AutoGrad.Generator.Tests;

/// <summary>
/// Every diagnostic ID: the ID, Error severity, and the exact location, marked in the source with [| |]. Where an
/// error is reported, no gradient is emitted for the method.
/// </summary>
public class DiagnosticTests
{
    private const string Prelude = "using System;\nusing System.Linq;\nusing AutoGrad;\n";

    private static void Expect(string id, string markedSource, string? message = null)
    {
        string source = Prelude + markedSource;
        int start = source.IndexOf("[|", StringComparison.Ordinal);
        int end = source.IndexOf("|]", StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "the test source must mark the expected location with [| |]");
        string clean = source.Remove(end, 2).Remove(start, 2);
        var expectedSpan = new TextSpan(start, end - start - 2);

        GeneratorRunner.Result result = GeneratorRunner.Run(clean);
        Diagnostic[] matching = result.GeneratorDiagnostics.Where(d => d.Id == id).ToArray();
        Assert.True(matching.Length >= 1, $"expected {id}; got:\n{GeneratorRunner.Describe(result.GeneratorDiagnostics)}");
        Diagnostic diagnostic = matching[0];
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(expectedSpan, diagnostic.Location.SourceSpan);
        Assert.EndsWith("Source0.cs", diagnostic.Location.GetLineSpan().Path);
        Assert.Contains("docs/diagnostics.md#" + id.ToLowerInvariant(), diagnostic.Descriptor.HelpLinkUri);
        Assert.False(string.IsNullOrWhiteSpace(diagnostic.GetMessage()));
        if (message is not null) Assert.Contains(message, diagnostic.GetMessage());
        // No gradient: at most the declarations that keep callers compiling, which throw, and compile themselves.
        Assert.All(result.Sources.Where(s => s.HintName.Contains(".F.", StringComparison.Ordinal)),
            s => Assert.Contains("AutoGrad: no gradient for", s.Text));
        Assert.DoesNotContain(result.CompilationDiagnostics,
            d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree?.FilePath.StartsWith("Source", StringComparison.Ordinal) == false);
        Assert.DoesNotContain(result.GeneratorDiagnostics, d => d.Id == "AG9999"); // reported, not crashed on
    }

    [Fact]
    public void AnExpressionTooDeepToWalkIsRefusedNotACrash()
    {
        // 5,000 terms in one sum overflowed the compiler's stack in the generator's recursive parse (a crash with no
        // diagnostic); 500 are fine.
        static string Sum(int terms) => string.Join(" + ", Enumerable.Range(0, terms).Select(i => $"x * {i}.5"));
        GeneratorRunner.Result result = GeneratorRunner.Run(Prelude +
            $"public static partial class M {{ [Differentiable] public static double Long(double x) => {Sum(5000)}; " +
            $"[Differentiable] public static double Fine(double x) => {Sum(500)}; }}");
        Diagnostic d = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal("AG0016", d.Id);
        Assert.Contains("more than 1000 levels deep", d.GetMessage());
        Assert.StartsWith("'x * 0.5 + x * 1.5", d.GetMessage()); // the whole expression, where the split goes
        Assert.Contains(result.Sources, s => s.HintName.Contains(".Fine.", StringComparison.Ordinal) && s.Text.Contains("FineGradient"));
    }

    [Fact]
    public void AMethodWithErrorsInItsBodyKeepsItsCallersCompiling()
    {
        // Bad's switch is AG0015; its callers (another method's generated pullback, a training loop) got CS0117.
        GeneratorRunner.Result result = GeneratorRunner.Run(Prelude + """
            public static partial class P
            {
                [Differentiable]
                public static double Bad(double x, int k) { switch (k) { case 1: return x; default: return 2 * x; } }

                [Differentiable] public static double Caller(double x) => Bad(x, 1) * x;

                public static double Train(double x) => BadGradient(x, 1, out double dX) + dX + BadProbeLayout.Count;
            }

            public static partial class T
            {
                [Differentiable] public static float Net(Tensor w, [NoGrad] Tensor x) { foreach (var v in x.Span.ToArray()) { } return Nn.Sum(w); }

                public static float Train(Tensor w, Tensor x, Tensor dW) => NetGradient(w, x, dW) + NetGradient(w, x, dW, null);
            }
            """);
        Assert.Equal(new[] { "AG0015", "AG0015" }, result.GeneratorDiagnostics.Select(d => d.Id).OrderBy(id => id).ToArray());
        Assert.Empty(result.CompilationDiagnostics);
        Assert.Contains(result.Sources, s => s.HintName.Contains("P.Caller.", StringComparison.Ordinal) && s.Text.Contains("BadPullback(", StringComparison.Ordinal));
        Assert.Contains(result.Sources, s => s.HintName.Contains("P.Bad.", StringComparison.Ordinal) && s.Text.Contains("NotGenerated(\"P.Bad\")", StringComparison.Ordinal));
    }

    [Fact]
    public void AMethodWhoseSignatureIsWrongGetsNoDeclarations()
    {
        // Nothing can be declared for a signature the generator refuses (here AG0004); callers see the usual CS0117.
        GeneratorRunner.Result result = GeneratorRunner.Run(Prelude +
            "public static partial class M { [Differentiable] public static double F(System.Collections.Generic.List<double> xs) => xs[0]; }");
        Assert.Contains(result.GeneratorDiagnostics, d => d.Id == "AG0004");
        Assert.DoesNotContain(result.Sources, s => s.HintName.Contains(".F.", StringComparison.Ordinal));
    }

    [Fact] public void AG0001_TypeNotPartial() => Expect("AG0001", """
        public static class [|M|] { [Differentiable] public static double F(double x) => x * x; }
        """);

    [Fact] public void AG0001_OuterTypeNotPartial() => Expect("AG0001", """
        public class [|Outer|] { public static partial class M { [Differentiable] public static double F(double x) => x; } }
        """);

    [Fact] public void AG0002_InstanceMethod() => Expect("AG0002", """
        public partial class M { [Differentiable] public double [|F|](double x) => x * x; }
        """);

    [Fact] public void AG0003_UnsupportedReturnType() => Expect("AG0003", """
        public static partial class M { [Differentiable] public static [|int|] F(double x) => (int)x; }
        """);

    [Fact] public void AG0004_UnsupportedParameterType() => Expect("AG0004", """
        public static partial class M { [Differentiable] public static double F([|System.Collections.Generic.List<double> xs|], double y) => y; }
        """);

    [Fact] public void AG0005_RefParameter() => Expect("AG0005", """
        public static partial class M { [Differentiable] public static double F([|ref double x|]) => x; }
        """);

    [Fact] public void AG0006_Recursion() => Expect("AG0006", """
        public static partial class M { [Differentiable] public static double F(double x) => x < 1 ? x : [|F(x - 1)|]; }
        """);

    [Fact] public void AG0007_NonDifferentiableCallWithActiveArgument() => Expect("AG0007", """
        public static partial class M
        {
            static double Helper(double v) => v * 2;
            [Differentiable] public static double F(double x) { double y = [|Helper(x)|]; return y * y; }
        }
        """);

    [Theory]
    // A copy out of memory that carries a derivative (its derivative never reached dA), an overwrite of memory that
    // carries one (b[0] kept x's derivative), a write into a parameter; all through calls returning bool or int.
    [InlineData("var b = new double[3]; bool ok = [|a.AsSpan().TryCopyTo(b)|]; return b[0] * x;", "'a' carries a derivative and is passed to it as writable memory")]
    [InlineData("var b = new double[2]; b[0] = x; bool ok = [|Tab.C.AsSpan(0, 2).TryCopyTo(b)|]; return b[0] * x;", "'b' carries a derivative")]
    [InlineData("var b = new double[2]; b[0] = x; int k = [|Poke(b)|]; return b[0] * x;", "'b' carries a derivative")]
    [InlineData("if ([|Poke(a)|] > 0) return x; return a[0] * x;", "'a' carries a derivative")]
    [InlineData("var b = new double[3]; int k = [|Fill(a, b)|]; return b[0] * x;", "it is given writable memory ('b') with 'a', which carries a derivative")]
    // A method of the user's named like a view maker is no view; memory handed over as a Memory is still memory.
    [InlineData("var b = new double[2]; int k = [|Slice(b, a)|]; return b[0] * b[0] + k;", "'a' carries a derivative")]
    [InlineData("var b = new double[3]; b[0] = x; int k = [|FromMemory(b.AsMemory())|]; return b[0] * x + k;", "'b' carries a derivative")]
    public void AG0007_MemoryThatCarriesADerivativeGivenToAMethodThatCouldWriteIt(string body, string message) => Expect("AG0007", $$"""
        public static class Tab { public static readonly double[] C = { 1, 2, 3 }; }
        public static partial class M
        {
            static int Poke(double[] d) { d[0] = 5; return 0; }
            static int Fill(ReadOnlySpan<double> from, Span<double> to) { from.CopyTo(to); return 0; }
            static int Slice(double[] to, double[] from) { to[0] = from[0]; return 0; }
            static int FromMemory(Memory<double> m) { m.Span[0] = 5; return 0; }
            [Differentiable] public static double F(double[] a, double x) { {{body}} }
        }
        """, message);

    [Fact]
    public void AG0007_MemoryACallOnlyReadsOrThatCarriesNothingIsFine()
    {
        // A ReadOnlySpan parameter cannot be written; constants written into a local array that carries nothing are data.
        GeneratorRunner.Result result = GeneratorRunner.Run(Prelude + """
            public static partial class M
            {
                static int Poke(double[] d) { d[0] = 5; return 0; }
                static int Look(ReadOnlySpan<double> d) => d.Length;
                [Differentiable] public static double F(double[] a, double x)
                {
                    var b = new double[2];
                    int k = Look(a) + Poke(b) + Look(a.AsSpan(1)) + Array.IndexOf(a, 0.5) + Array.BinarySearch(a, 0.5);
                    return b[0] * x + a[0] * k;
                }
            }
            """);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.CompilationDiagnostics);
    }

    [Fact] public void AG0007_NonDifferentiableTensorHelper() => Expect("AG0007", """
        public static class Helpers { public static Tensor Twice(Tensor t) => Nn.Scale(t, 2f); }
        public static partial class M
        {
            [Differentiable] public static float F(Tensor w, Tensor b, [NoGrad] Tensor x, [NoGrad] Tensor y)
            { var h = [|Helpers.Twice(Nn.Linear(x, w, b))|]; return Nn.Mse(h, y); }
        }
        """);

    [Fact] public void AG0007_TensorInstanceMethod() => Expect("AG0007", """
        public static partial class M
        {
            [Differentiable] public static float F(Tensor w, [NoGrad] Tensor x)
            { var h = Nn.MatMul(x, w); var r = [|h.Reshape(-1)|]; return Nn.Sum(Nn.Mul(r, r)); }
        }
        """);

    [Fact] public void AG0007_NonDifferentiableTensorHelperAsAnOpArgument() => Expect("AG0007", """
        public static class Helpers { public static Tensor Twice(Tensor t) => Nn.Scale(t, 2f); }
        public static partial class M
        {
            [Differentiable] public static float F(Tensor w, Tensor b, [NoGrad] Tensor x, [NoGrad] Tensor y)
                => Nn.Mse([|Helpers.Twice(Nn.Linear(x, w, b))|], y);
        }
        """);

    [Theory]
    [InlineData("public static partial class M { [Differentiable] public static double F(double x) => Math.Log(x, 2.0); }", "Math.Log(x) / Math.Log(b)")]
    [InlineData("public static class H { public static Tensor Twice(Tensor t) => Nn.Scale(t, 2f); } public static partial class M { [Differentiable] public static float F(Tensor w) => Nn.Sum(H.Twice(w)); }", "[CustomPullback]")]
    public void AG0007_SuggestsAFixThatCanBeApplied(string source, string fix)
    {
        GeneratorRunner.Result result = GeneratorRunner.Run(Prelude + source);
        Diagnostic d = Assert.Single(result.GeneratorDiagnostics, d => d.Id == "AG0007");
        Assert.Contains(fix, d.GetMessage());
        Assert.DoesNotContain("mark", d.GetMessage()); // neither a library method nor a tensor helper can be marked [Differentiable]
    }

    // Every refusal says what to write instead (a review helper found these with none, or one that could not be applied).
    [Theory]
    [InlineData("AG0007", "[Differentiable] public static float F(Tensor a) { var d = a.Data; return d[0]; }", "var s = t.Span;")]
    [InlineData("AG0007", "[Differentiable] public static float F(Tensor x, float rate) => Nn.Sum(Nn.Dropout(x, rate, 1));", "'Dropout.p' is not differentiable")]
    [InlineData("AG0016", "[Differentiable] public static double F(double x, double[] a) { double[] b = a ?? a; return x * b[0]; }", "pass 'c ?? defaults' as the argument")]
    [InlineData("AG0016", "[Differentiable] public static float F(Tensor h) { float v = h[0]; return v; }", "var s = t.Span;")]
    [InlineData("AG0016", "[Differentiable] public static double F(double x) => x * nameof(x).Length;", "write")]
    [InlineData("AG0016", "[Differentiable] public static float F(Tensor w, [NoGrad] Tensor x) => Nn.Sum(w) * x.Shape[0];", "t.Dim(axis)")]
    [InlineData("AG0016", "[Differentiable] public static double P(params double[] xs) => xs[0]; [Differentiable] public static double F(double x, double y) => P(x, y);", "declare a local array")]
    [InlineData("AG0016", "[Differentiable] public static double F(double x) => x is > 0 and < 5 ? x : 0;", "'x > 0 && x < 5'")]
    public void RefusalsSayWhatToWriteInstead(string id, string members, string fix)
    {
        GeneratorRunner.Result result = GeneratorRunner.Run(Prelude + "public static partial class M { " + members + " }");
        Diagnostic d = Assert.Single(result.GeneratorDiagnostics, d => d.Id == id);
        Assert.Contains(fix, d.GetMessage());
        Assert.DoesNotContain("[Differentiable]", d.GetMessage().Replace("a [Differentiable] method", string.Empty, StringComparison.Ordinal));
    }

    // A derivative that would travel inside a tuple, a struct, a string or a Memory: the gradient came out 0 or partial.
    [Theory]
    [InlineData("public static double F(double x) => Math.SinCos(x).Sin;", "'Math.SinCos'")]
    [InlineData("public static double F(double x) => Math.Cos(x) * Math.SinCos(x).Cos;", "'Math.SinCos'")]
    [InlineData("public static double F(double x) { var t = Math.SinCos(x); return t.Sin * t.Cos; }", "'t'")]
    [InlineData("public static double F(double x) => System.Numerics.Complex.Exp(x).Real;", "'Complex.Exp'")]
    [InlineData("public static double F(double x) => ValueTuple.Create(x, 2.0).Item1 * x;", "'ValueTuple.Create'")]
    [InlineData("public static double F(double x) => double.Parse(x.ToString(System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture) * x;", "'double.Parse'")]
    [InlineData("public static double F(double[] a) { var s = a.AsMemory().Span; return s[0] * s[1]; }", "")]
    public void AG0007_ADerivativeHiddenInAValueOfAnotherType(string method, string named)
    {
        GeneratorRunner.Result result = GeneratorRunner.Run(Prelude + "public static partial class M { [Differentiable] " + method + " }");
        Diagnostic d = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal("AG0007", d.Id);
        Assert.Contains(named, d.GetMessage());
    }

    [Fact]
    public void AG0007_ResultsOfOtherTypesFromValuesWithoutADerivativeAreFine()
    {
        // Shapes, labels and integer tuples computed from values that carry a derivative carry none; a value of another
        // type that nothing reads a real value back out of drops nothing.
        GeneratorRunner.Result result = GeneratorRunner.Run(Prelude + """
            public static class G { public static int[] ArgMax(Tensor t) => new int[t.Dim(0)]; public static (int, int) Pair(double v) => ((int)v, 1); }
            public static partial class M
            {
                [Differentiable] public static double F(double x, [NoGrad] double k) => x * Math.SinCos(k).Sin + (double.IsNaN(x) ? 0 : x);
                [Differentiable] public static double U(double x) { var t = Math.SinCos(x); var p = G.Pair(x); return x * p.Item1; }
                [Differentiable] public static float T(Tensor w, [NoGrad] Tensor x)
                {
                    var h = Nn.MatMul(x, w);
                    var r = Nn.Reshape(h, h.Shape);
                    var z = Tensor.Zeros(h.Shape.ToArray());
                    int[] labels = G.ArgMax(h);
                    return Nn.SoftmaxCrossEntropy(r, labels);
                }
                [Differentiable] public static double S(double x, [NoGrad] double k) => k * x * x;
                [Differentiable] public static double C(double x) => checked(x * x);
            }
            """);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.CompilationDiagnostics);
    }

    // The callee's pullback returns nothing for a [NoGrad] parameter or an op's setting: the derivative was dropped.
    [Fact] public void AG0007_AnActiveValuePassedToANoGradParameterOfACallee() => Expect("AG0007", """
        public static partial class M
        {
            [Differentiable] public static double Scale([NoGrad] double k, double x) => k * x * x;
            [Differentiable] public static double F(double x) { double y = [|Scale(x, x)|]; return y; }
        }
        """);

    [Fact] public void AG0007_AnActiveValuePassedToAnOpsSetting() => Expect("AG0007", """
        public static partial class M
        {
            [Differentiable] public static float F(Tensor w, float alpha) => Nn.Sum([|Nn.LeakyRelu(w, alpha * alpha)|]);
        }
        """);

    // Accumulated locals and reassigned parameters carry the derivative too (the review found them let through).
    [Theory]
    [InlineData("double s = 0; for (int i = 0; i < 3; i++) s += x; return [|S(s, x)|];")]
    [InlineData("x = x * 2; return [|S(x, x)|];")]
    public void AG0007_AnActiveValueOfSeveralDefinitionsPassedToANoGradParameter(string body) => Expect("AG0007",
        "public static partial class M { [Differentiable] public static double S([NoGrad] double k, double x) => k * x * x; " +
        "[Differentiable] public static double F(double x) { " + body + " } }");

    [Fact]
    public void AG0007_ANoGradParameterMessageNamesTheArgumentAndTheFix()
    {
        GeneratorRunner.Result result = GeneratorRunner.Run(Prelude + """
            public static partial class M
            {
                [Differentiable] public static double Scale([NoGrad] double k, double x) => k * x * x;
                [Differentiable] public static double F(double x) => Scale(x, x);
            }
            """);
        Diagnostic d = Assert.Single(result.GeneratorDiagnostics, d => d.Id == "AG0007");
        Assert.Contains("'x' carries a derivative", d.GetMessage());
        Assert.Contains("parameter 'k'", d.GetMessage());
        Assert.Contains("[NoGrad]", d.GetMessage());
    }

    [Theory]
    [InlineData("double.Sin(x)", "Math.Sin")]
    [InlineData("double.Hypot(x, 1.0)", "not among the Math functions")]
    public void AG0007_LibraryFunctionsPointAtWhatCanBeWritten(string expression, string fix)
    {
        GeneratorRunner.Result result = GeneratorRunner.Run(Prelude +
            "public static partial class M { [Differentiable] public static double F(double x) => " + expression + "; }");
        Diagnostic d = Assert.Single(result.GeneratorDiagnostics, d => d.Id == "AG0007");
        Assert.Contains(fix, d.GetMessage());
        Assert.DoesNotContain("Math.Log(b)", d.GetMessage());
        Assert.DoesNotContain("mark", d.GetMessage());
    }

    [Fact] public void AG0016_AParamsArrayBuiltByTheCompiler() => Expect("AG0016", """
        public static partial class M
        {
            [Differentiable] public static double Sum(params double[] xs) => xs[0] + xs[1];
            [Differentiable] public static double F(double x, double y) => [|Sum(x, y)|] * x;
        }
        """);

    [Fact]
    public void OmittedOptionalArgumentsArePassedWithTheirDefaultValues()
    {
        // Was AG9999 (an IndexOutOfRangeException in the generator).
        GeneratorRunner.Result result = GeneratorRunner.Run(Prelude + """
            public static partial class M
            {
                [Differentiable] public static double WithDefault(double x, double k = 2.5, int n = 3) => k * n * x * x;
                [Differentiable] public static double F(double x) => WithDefault(x);
            }
            """);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.CompilationDiagnostics);
        string generated = Assert.Single(result.Sources, s => s.HintName.Contains(".F.", StringComparison.Ordinal)).Text;
        Assert.Contains("WithDefaultPullback(x, 2.5, 3,", generated);
    }

    [Fact]
    public void AG0007_TensorReshapeSuggestsTheOp()
    {
        GeneratorRunner.Result result = GeneratorRunner.Run(Prelude + """
            public static partial class M
            {
                [Differentiable] public static float F(Tensor w, [NoGrad] Tensor x)
                { var h = Nn.MatMul(x, w); var r = h.Reshape(-1); return Nn.Sum(Nn.Mul(r, r)); }
            }
            """);
        Diagnostic d = Assert.Single(result.GeneratorDiagnostics, d => d.Id == "AG0007");
        Assert.Contains("'Tensor.Reshape'", d.GetMessage());
        Assert.Contains("Nn.Reshape(x, shape)", d.GetMessage());
    }

    [Fact] public void AG0008_Lambda() => Expect("AG0008", """
        public static partial class M { [Differentiable] public static double F(double x) { Func<double, double> f = [|v => v * x|]; return x; } }
        """);

    [Fact] public void AG0008_LocalFunction() => Expect("AG0008", """
        public static partial class M { [Differentiable] public static double F(double x) { [|double Sq(double v) => v * v;|] return x; } }
        """);

    [Fact] public void AG0009_LinqQuery() => Expect("AG0009", """
        public static partial class M { [Differentiable] public static double F(double[] w) { var q = [|from v in w select v * 2|]; return w[0]; } }
        """);

    [Fact] public void AG0009_LinqMethod() => Expect("AG0009", """
        public static partial class M { [Differentiable] public static double F(double[] w) => [|w.Sum()|]; }
        """);

    [Fact] public void AG0010_Try() => Expect("AG0010", """
        public static partial class M { [Differentiable] public static double F(double x) { [|try|] { x = x * 2; } finally { } return x; } }
        """);

    [Fact] public void AG0010_Throw() => Expect("AG0010", """
        public static partial class M { [Differentiable] public static double F(double x) { if (x < 0) [|throw new ArgumentException();|] return x; } }
        """);

    [Fact] public void AG0011_Goto() => Expect("AG0011", """
        public static partial class M { [Differentiable] public static double F(double x) { [|goto end;|] end: return x; } }
        """);

    [Fact] public void AG0012_FieldWrite() => Expect("AG0012", """
        public static partial class M { static double Last; [Differentiable] public static double F(double x) { [|Last|] = x; return x; } }
        """);

    [Fact] public void AG0013_Object() => Expect("AG0013", """
        public static partial class M { [Differentiable] public static double F(double x) { object [|o = x|]; return x; } }
        """);

    [Fact] public void AG0014_Unsafe() => Expect("AG0014", """
        public static partial class M { [Differentiable] public static double F(double x) { [|unsafe { x = x * 2; }|] return x; } }
        """);

    [Fact] public void AG0015_Foreach() => Expect("AG0015", """
        public static partial class M { [Differentiable] public static double F(double[] w) { double s = 0; [|foreach (double v in w) s += v;|] return s; } }
        """);

    [Fact] public void AG0015_CallAsStatement() => Expect("AG0015", """
        public static partial class M { [Differentiable] public static double F(double x) { [|Console.WriteLine(x)|]; return x; } }
        """);

    [Fact] public void AG0016_UnsupportedExpression() => Expect("AG0016", """
        public static partial class M { [Differentiable] public static double F(double x, double y) => [|x % y|]; }
        """);

    [Fact] public void AG0016_WriteToAStaticTable() => Expect("AG0016", """
        public static partial class M
        {
            static readonly double[] Table = { 1.0, 2.0 };
            [Differentiable] public static double F(double x) { [|Table[0]|] = x; return Table[0] * Table[1]; }
        }
        """);

    [Fact] public void AG0012_WriteThroughALocalAliasOfAStaticTable() => Expect("AG0012", """
        public static partial class M
        {
            static readonly double[] Table = { 1.0, 2.0 };
            [Differentiable] public static double F(double x) { double[] c = Table; [|c[0]|] = x * x; return c[0] * x; }
        }
        """);

    [Fact] public void AG0012_WriteThroughAViewOfAStaticTable() => Expect("AG0012", """
        public static partial class M
        {
            static readonly double[] Table = { 1.0, 2.0, 3.0 };
            [Differentiable] public static double F(double x) { Span<double> v = Table.AsSpan(1, 2); [|v[0]|] = 9; return v[0] * x; }
        }
        """);

    [Fact] public void AG0015_ALocalTensorArray() => Expect("AG0015", """
        public static partial class M
        {
            [Differentiable] public static float F(Tensor x)
            { var [|hs = new Tensor[2]|]; hs[0] = Nn.Tanh(x); hs[1] = Nn.Sigmoid(hs[0]); return Nn.Sum(hs[1]); }
        }
        """);

    [Fact] public void AG0015_AnElementOfALocalTensorArrayAssigned() => Expect("AG0015", """
        public static partial class M
        {
            [Differentiable] public static float F(Tensor x, [NoGrad] Tensor[] xs)
            { var hs = xs; [|hs[0]|] = Nn.Tanh(x); return Nn.Sum(hs[0]); }
        }
        """);

    [Fact] public void AG0015_ACopyOfADifferentiableTensorArrayParameter() => Expect("AG0015", """
        public static partial class M
        {
            [Differentiable] public static float F(Tensor[] w, [NoGrad] Tensor x)
            { var [|ww = w|]; return Nn.Sum(Nn.MatMul(x, ww[0])); }
        }
        """);

    [Fact] public void AG0016_BufferChosenWithAConditional() => Expect("AG0016", """
        public static partial class M
        {
            static readonly double[] Table = { 1.0, 2.0, 3.0 };
            [Differentiable] public static double F(double[] w, [NoGrad] bool f)
            { var b = new double[3]; var a = [|f ? Table : b|]; a[0] = w[0]; return a[0]; }
        }
        """);

    [Fact] public void AG0016_WriteThroughASpanOfAnOpsOutput() => Expect("AG0016", """
        public static partial class M
        {
            [Differentiable] public static float F(Tensor w)
            { var h = Nn.Tanh(w); var hs = h.Span; float r = hs[0]; [|hs[0]|] = 2f * r; return Nn.Sum(h); }
        }
        """);

    [Fact] public void AG0016_ATensorsSpanPassedStraightToADifferentiableMethod() => Expect("AG0016", """
        public static partial class M
        {
            [Differentiable] public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
            { float s = 0; for (int i = 0; i < a.Length; i++) s += a[i] * b[i]; return s; }
            [Differentiable] public static float F(Tensor w, float[] v)
            { float s = v[0]; [|s += Dot(w.Span, v);|] return s + Nn.Sum(w); }
        }
        """);

    [Fact] public void AG0016_NullableValueType() => Expect("AG0016", """
        public static partial class M
        {
            [Differentiable] public static double F(double x, [NoGrad] int? n) { if ([|n|] > 0) return x * x; return x; }
        }
        """);

    [Fact]
    public void AConditionalChoosingBetweenTwoOpsIsAccepted()
    {
        // Lowered into an if/else that runs one op (AutoGrad.Tests checks its gradient); it had been AG0016.
        GeneratorRunner.Result result = GeneratorRunner.Run(Prelude + """
            public static partial class M
            {
                [Differentiable] public static float F(Tensor a, Tensor b, [NoGrad] bool first)
                { var h = first ? Nn.Tanh(a) : Nn.Tanh(b); return Nn.Sum(Nn.Mul(h, h)); }
            }
            """);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.CompilationDiagnostics);
    }

    [Fact] public void AG0016_ConditionalTensorAsAnOpArgument() => Expect("AG0016", """
        public static partial class M
        {
            [Differentiable] public static float F(Tensor s, [NoGrad] bool first)
            { [|return Nn.Sum(Nn.Mul(Nn.Tanh(s), first ? s : s));|] }
        }
        """);

    [Fact] public void AG0016_SpanOfAReassignedTensor() => Expect("AG0016", """
        public static partial class M
        {
            [Differentiable] public static float F(Tensor w, [NoGrad] Tensor x)
            {
                var h = Nn.Tanh(Nn.MatMul(x, w));
                [|var hs = h.Span;|]
                float s = 0;
                for (int i = 0; i < hs.Length; i++) s += hs[i] * hs[i];
                h = Nn.Sigmoid(h);
                return s + Nn.Sum(h);
            }
        }
        """);

    [Theory]
    [InlineData("x switch { > 0 => x, _ => -x }", "switch expressions")]
    [InlineData("x is > 0 and < 1 ? x : 0", "patterns")]
    [InlineData("Apply(Math.Sin, x)", "method groups")]
    [InlineData("(double)(decimal)x", "'decimal'")]
    public void AG0016_NamesTheConstructAndAFix(string expression, string named)
    {
        GeneratorRunner.Result result = GeneratorRunner.Run(Prelude +
            "public static partial class M { static double Apply(Func<double, double> f, double v) => f(v); [Differentiable] public static double F(double x) => " + expression + "; }");
        Assert.Contains(result.GeneratorDiagnostics, d => d.Id == "AG0016" && d.GetMessage().Contains(named, StringComparison.Ordinal));
    }

    [Fact]
    public void ALocalFunctionIsReportedOnceNotAgainAtItsCalls()
    {
        GeneratorRunner.Result result = GeneratorRunner.Run(Prelude +
            "public static partial class M { [Differentiable] public static double F(double x) { double Sq(double v) => v * v; return Sq(x) + Sq(2 * x); } }");
        Assert.Equal(["AG0008"], result.GeneratorDiagnostics.Select(d => d.Id).ToArray());
    }

    [Fact] public void AG0017_ParameterWrite() => Expect("AG0017", """
        public static partial class M { [Differentiable] public static double F(double[] w) { [|w[0]|] = 1; return w[0]; } }
        """);

    [Fact]
    public void AG0017_TensorParameterReassignedSuggestsALocal()
    {
        GeneratorRunner.Result result = GeneratorRunner.Run(Prelude +
            "public static partial class M { [Differentiable] public static float F(Tensor w) { w = Nn.Tanh(w); return Nn.Sum(w); } }");
        Diagnostic d = Assert.Single(result.GeneratorDiagnostics, d => d.Id == "AG0017");
        Assert.Contains("'var h = w;'", d.GetMessage());
    }

    [Fact] public void AG0017_TensorParameterSpanWrite() => Expect("AG0017", """
        public static partial class M { [Differentiable] public static float F(Tensor w) { var s = w.Span; [|s[0]|] = 1f; return Nn.Sum(w); } }
        """);

    [Fact] public void AG0018_LocalArrayAfterAnEarlyReturn() => Expect("AG0018", """
        public static partial class M
        {
            [Differentiable] public static double F(double[] a, int mode)
            {
                if (mode == 0) return a[0];
                var [|t = new double[2]|];
                for (int i = 0; i < 2; i++) t[i] = a[i] * a[i];
                return t[0] * t[1];
            }
        }
        """);

    [Fact] public void AG0018_TensorSpanAfterAnEarlyReturn() => Expect("AG0018", """
        public static partial class M
        {
            [Differentiable] public static float F(Tensor w, [NoGrad] Tensor x, [NoGrad] int mode)
            {
                var h = Nn.MatMul(x, w);
                if (mode == 0) return Nn.Mean(h);
                var [|s = h.Span|];
                return s[0] * s[1];
            }
        }
        """);

    [Fact] public void AG0018_LocalArrayInLoop() => Expect("AG0018", """
        public static partial class M { [Differentiable] public static double F(double x, int n) { double s = 0; for (int i = 0; i < n; i++) { var [|a = new double[2]|]; a[0] = x; s += a[0]; } return s; } }
        """);

    [Fact] public void AG0019_InvalidCustomPullback() => Expect("AG0019", """
        public static partial class M
        {
            [[|CustomPullback(nameof(GPullback))|]]
            public static double G(double x) => x * x;
            public static void GPullback(double x, double dResult, double dX) { }
        }
        """);

    // Review helper-54: an instance pullback was reported as missing.
    [Fact] public void AG0019_AnInstancePullbackIsNamedAsNotStatic() => Expect("AG0019", """
        public partial class D07
        {
            [[|CustomPullback(nameof(P))|]]
            public static double G(double x) => x * x;
            public void P(double x, double dResult, ref double dX) { dX += 2 * x * dResult; }
        }
        """, "'P' in 'D07' is not static; make it static");

    // Review helper-54: '%=' on a double gave no fix; '%' suggested Floor, which differs from % for negative values.
    [Fact] public void AG0015_RemainderAssignmentOnADoubleSaysWhatToWrite() => Expect("AG0015", """
        public static partial class M { [Differentiable] public static double F(double y) { [|y %= 2.0|]; return y; } }
        """, "y = y - Math.Truncate(y / m) * m");

    [Fact] public void AG0007_AStructReadBackSuggestsNoSinCos()
    {
        GeneratorRunner.Result result = GeneratorRunner.Run(Prelude + """
            public static partial class C1 { [Differentiable] public static double F(double x) => System.Numerics.Complex.Exp(x).Real; }
            """);
        Diagnostic d = Assert.Single(result.GeneratorDiagnostics, d => d.Id == "AG0007");
        Assert.DoesNotContain("SinCos", d.GetMessage());
    }

    // Review helper-50: a swap in a loop was told its temporary "is created" there.
    [Fact] public void AG0018_ASecondNameForAnArrayInALoopIsNamedAsSuch() => Expect("AG0018", """
        public static partial class M
        {
            [Differentiable] public static double F(double[] w, int n)
            {
                var cur = new double[2]; var nxt = new double[2];
                for (int t = 0; t < n; t++) { nxt[0] = cur[0] * w[0] + 1; var [|tmp = cur|]; }
                return cur[0];
            }
        }
        """, "is created (as a second name for 'cur') inside a loop or branch");

    [Fact] public void AG0020_GenericMethod() => Expect("AG0020", """
        public static partial class M { [Differentiable] public static double [|F|]<T>(double x) => x; }
        """);

    [Fact] public void AG0021_GradientNameClash() => Expect("AG0021", """
        public static partial class M { [Differentiable] public static double F([|double w|], [NoGrad] double dW) => w * dW; }
        """);

    [Fact] public void AG0021_ReservedParameterName() => Expect("AG0021", """
        public static partial class M { [Differentiable] public static double F(double x, [|double dResult|]) => x * dResult; }
        """);

    /// <summary>
    /// Review helper-61: bits taken out of a value that carries a derivative and read back as a real (the fast inverse
    /// square root) got a gradient as if the bits were constant: -0.1837 at x = 2 against -0.1764, no diagnostic.
    /// </summary>
    [Fact] public void AG0007_BitsOfAValueReadBackAsAReal() => Expect("AG0007", """
        public static partial class M
        {
            [Differentiable] public static float F(float x)
            {
                int i = BitConverter.SingleToInt32Bits(x);
                i = 0x5f3759df - (i >> 1);
                float y = [|BitConverter.Int32BitsToSingle(i)|];
                return y * (1.5f - 0.5f * x * y * y);
            }
        }
        """);

    [Fact] public void AG0007_BytesOfAValueReadBackAsAReal() => Expect("AG0007", """
        public static partial class M { [Differentiable] public static double F(double x) => [|BitConverter.ToDouble(BitConverter.GetBytes(x))|] * x; }
        """);

    /// <summary>
    /// Review helper-64: bits followed only through BitConverter and integer operators missed helpers reading them back,
    /// Math calls and Unsafe.BitCast (gradients 0 or half the true one), and flagged a sign or an exponent rebuilt from
    /// the bits, which are piecewise constant and had correct gradients. Review helper-66: a cutoff of 16 low bits let
    /// a double's masked or shifted mantissa through, and tracking any call that made an integer of a real flagged
    /// piecewise-constant schedules.
    /// </summary>
    [Fact]
    public void AG0007_BitsReadBackThroughHelpersAndBitCastButNotMaskedOnes()
    {
        string[] flagged =
        {
            // Review helper-67: C# masks a shift count to the type's width (i >> 33 is i >> 1, bits >> 64 is bits).
            "[Differentiable] public static float Shift33(float x) { int i = BitConverter.SingleToInt32Bits(x); return BitConverter.Int32BitsToSingle(0x5f3759df - (i >> 33)); }",
            "[Differentiable] public static double Shift64(double x) { long bits = BitConverter.DoubleToInt64Bits(x); return BitConverter.Int64BitsToDouble(bits >> 64); }",
            // Review helper-66: masks and shifts that keep mantissa bits of a double.
            "[Differentiable] public static double MantMaskHigh(double x) { long b = BitConverter.DoubleToInt64Bits(x); return BitConverter.Int64BitsToDouble((b & 0x000FFFFFFFFF0000L) | 0x3FF0000000000000L); }",
            "[Differentiable] public static double TruncMask(double x) => BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(x) & unchecked((long)0xFFFFFFFFE0000000UL)) * x;",
            "[Differentiable] public static double ShiftTrip(double x) { long b = BitConverter.DoubleToInt64Bits(x); return BitConverter.Int64BitsToDouble((b >> 16) << 16) * x; }",
            // Review helper-69: calls that return their argument's bits, and a BitCast between integer types.
            "[Differentiable] public static float MaxFisr(float x) { int i = BitConverter.SingleToInt32Bits(x); int j = int.Max(i, 1); return BitConverter.Int32BitsToSingle(0x5f3759df - (j >> 1)); }",
            "[Differentiable] public static double Rotate(double x) { ulong b = BitConverter.DoubleToUInt64Bits(x); ulong r = System.Numerics.BitOperations.RotateRight(System.Numerics.BitOperations.RotateLeft(b, 12), 12); return BitConverter.UInt64BitsToDouble(r); }",
            "[Differentiable] public static double IntCast(double x) { long b = BitConverter.DoubleToInt64Bits(x); ulong u = System.Runtime.CompilerServices.Unsafe.BitCast<long, ulong>(b); return BitConverter.UInt64BitsToDouble(u); }",
            // Review helper-68: a left shift moves the mantissa up; the right shift after it leaves 12 bits.
            "[Differentiable] public static double LeftThenRight(double x) { long b = BitConverter.DoubleToInt64Bits(x); long m = (b << 52) >>> 52; return BitConverter.Int64BitsToDouble(m | 0x3FF0000000000000L); }",
            "[Differentiable] public static double MathBits(double x) { long i = BitConverter.DoubleToInt64Bits(x); long j = Math.Max(i, 1L); return BitConverter.Int64BitsToDouble(j) * x; }",
            "[Differentiable] public static float UnsafeOut(float x) { int i = System.Runtime.CompilerServices.Unsafe.BitCast<float, int>(x); return BitConverter.Int32BitsToSingle(0x5f3759df - (i >> 1)); }",
            "[Differentiable] public static float UnsafeBack(float x) { int i = BitConverter.SingleToInt32Bits(x); return System.Runtime.CompilerServices.Unsafe.BitCast<int, float>(0x5f3759df - (i >> 1)); }",
            "[Differentiable] public static double AbsBits(double x) => BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(x) & 0x7FFFFFFFFFFFFFFFL) * x;",
        };
        string[] allowed =
        {
            "[Differentiable] public static double SignBits(double x) { long bits = BitConverter.DoubleToInt64Bits(x); double sign = BitConverter.Int64BitsToDouble((bits & long.MinValue) | 0x3FF0000000000000L); return sign * x * x; }",
            "[Differentiable] public static double Pow2Bits(double x) { long bits = BitConverter.DoubleToInt64Bits(x); int e = (int)((bits >> 52) & 0x7FF) - 1023; return x / BitConverter.Int64BitsToDouble((long)(e + 1023) << 52); }",
            // Review helper-67: the fdlibm high word's exponent, and a float's exponent held in a long.
            "[Differentiable] public static double HighWord(double x) { long bits = BitConverter.DoubleToInt64Bits(x); int hx = (int)(bits >> 32); int k = (hx >> 20) & 0x7ff; double s = BitConverter.Int64BitsToDouble((long)k << 52); return x * s; }",
            "[Differentiable] public static float FloatExponentInALong(float x) { long i = BitConverter.SingleToInt32Bits(x); return BitConverter.Int32BitsToSingle((int)(i & 0x7F800000L)) * x; }",
            // Review helper-68: integers a call makes of the bits (a hash, a popcount) passed to a helper or ScaleB.
            "static double Lookup(int i) => 1.0 + i * 0.01; [Differentiable] public static double Hashed(double x) { long b = BitConverter.DoubleToInt64Bits(x); int h = (int)(b ^ (b >> 32)) & 15; return x * Lookup(h); }",
            "[Differentiable] public static double PopCounted(double x) { long b = BitConverter.DoubleToInt64Bits(x); int pc = System.Numerics.BitOperations.PopCount((ulong)b); return x * Math.ScaleB(1.0, pc & 3); }",
            // Review helper-66: an integer a call makes of a real (not its bits) is piecewise constant.
            "static readonly double[] Edges = { 0.0, 1.0, 2.0, 4.0 }; static double Rate(int k) => 0.1 * (k + 1); [Differentiable] public static double Schedule(double x) { int k = Array.BinarySearch(Edges, x); if (k < 0) k = ~k; return Rate(k) * x * x; }",
        };
        const string helpers = "static long Bits(double v) => BitConverter.DoubleToInt64Bits(v); static double FromBits(long b) => BitConverter.Int64BitsToDouble(b);\n";
        foreach (string method in flagged)
        {
            GeneratorRunner.Result result = GeneratorRunner.Run(Prelude + "public static partial class M\n{\n" + helpers + method + "\n}\n");
            Assert.True(result.GeneratorDiagnostics.Any(d => d.Id == "AG0007"), method);
        }
        foreach (string method in allowed)
        {
            GeneratorRunner.Result result = GeneratorRunner.Run(Prelude + "public static partial class M\n{\n" + helpers + method + "\n}\n");
            Assert.Empty(result.GeneratorDiagnostics);
        }
    }

    /// <summary>Review helper-63: a tensor from a helper was told to use if/else instead of ?:, which it did not use.</summary>
    [Fact]
    public void AG0016_ATensorThatIsNotAVariableGetsTheFixForWhatWasWritten()
    {
        GeneratorRunner.Result result = GeneratorRunner.Run(Prelude + """
            public static partial class M
            {
                static Tensor Make(float[] a) => new Tensor(a, 1, 2);
                [Differentiable] public static float F(Tensor w, float s)
                {
                    var a = new float[2];
                    var t = Make(a);
                    a[0] = s;
                    return Nn.Sum(Nn.Mul(t, w));
                }
                [Differentiable] public static float G(Tensor w, Tensor v, [NoGrad] bool c)
                {
                    var t = c ? w : v;
                    return Nn.Sum(Nn.Mul(t, w));
                }
            }
            """);
        string[] messages = result.GeneratorDiagnostics.Where(d => d.Id == "AG0016").Select(d => d.GetMessage()).ToArray();
        Assert.Contains(messages, m => m.Contains("Make(a)", StringComparison.Ordinal) && m.EndsWith("give the method that makes it a [CustomPullback]", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("c ? w : v", StringComparison.Ordinal) && m.EndsWith("instead of using ?:", StringComparison.Ordinal));
        Assert.DoesNotContain(messages, m => m.Contains("Make(a)", StringComparison.Ordinal) && m.Contains("?:", StringComparison.Ordinal));
    }

    [Fact] public void AG0022_OverloadedMethods() => Expect("AG0022", """
        public static partial class M
        {
            [Differentiable] public static double [|F|](double x) => x * x;
            [Differentiable] public static double F(double x, double y) => x * y;
            public static double F(int n) => n;
        }
        """);

    [Fact] public void AG0021_TwoGradientsOfOneName() => Expect("AG0021", """
        public static partial class M { [Differentiable] public static double F(double x, [|double X|]) => x * X; }
        """);

    [Fact] public void AG0023_PartialMethodDeclaration() => Expect("AG0023", """
        public static partial class M
        {
            [Differentiable] public static partial double [|F|](double x);
            public static partial double F(double x) => x * x;
        }
        """);

    [Fact] public void AG0023_ExternMethod() => Expect("AG0023", """
        public static partial class M { [Differentiable] public static extern double [|F|](double x); }
        """);

    [Fact] public void AG0016_WriteThroughAViewOfAView() => Expect("AG0016", """
        public static partial class M
        {
            [Differentiable] public static double F(double[] a, double x)
            {
                var b = new double[4];
                var v = b.AsSpan(1, 2).Slice(0, 1);
                [|v[0]|] = a[0] * x;
                return b[1] * x;
            }
        }
        """, "'v' is a view of a view, which the generator does not follow back to its array");

    [Fact] public void AG0016_NullCheck() => Expect("AG0016", """
        public static partial class M
        {
            [Differentiable] public static float F(Tensor x, [NoGrad] Tensor? mask) { if ([|mask == null|]) return Nn.Sum(x); return Nn.Sum(Nn.Mul(x, mask)); }
        }
        """, "null checks are not supported; decide outside the method");

    /// <summary>Review helper-90: 'is null' was told to write the comparison with ==, which is refused as a null check.</summary>
    [Fact] public void AG0016_IsNull() => Expect("AG0016", """
        public static partial class M
        {
            [Differentiable] public static float F(Tensor x, [NoGrad] Tensor? mask) { if ([|mask is null|]) return Nn.Sum(x); return Nn.Sum(Nn.Mul(x, mask)); }
        }
        """, "null checks are not supported; decide outside the method");

    /// <summary>Review helper-89: 'x != null' on a double was told twice that nullable value types are not supported.</summary>
    [Fact] public void AG0016_AValueComparedWithNull() => Expect("AG0016", """
        public static partial class M
        {
            [Differentiable] public static double F(double x) { if ([|x != null|]) return x * x; return x; }
        }
        """, "'x' is a double, which is never null, so the comparison is always true; remove it");

    [Fact] public void AG0018_ASpanOfATensorEachIterationComputes() => Expect("AG0018", """
        public static partial class M
        {
            [Differentiable] public static float F(Tensor x, [NoGrad] int steps)
            {
                float s = 0;
                var h = x;
                for (int t = 0; t < steps; t++) { h = Nn.Tanh(h); var [|ps = h.Span|]; s += ps[0]; }
                return s;
            }
        }
        """, "reduce the tensor with ops inside the loop instead");

    [Fact] public void AG0015_ToArrayOfMemoryThatCarriesADerivative() => Expect("AG0015", """
        public static partial class M
        {
            [Differentiable] public static double F(double[] w) { var [|c = w.AsSpan(1, 2).ToArray()|]; c[0] = w[0] * 2; return c[0] * w[1]; }
        }
        """, "ToArray copies the values where the generator cannot follow their derivative");

    /// <summary>Review helper-92: a parenthesized null slipped past the check (two diagnostics about nullable types),
    /// and a nullable compared with null had a second one calling the null an object.</summary>
    [Fact]
    public void AComparisonWithNullHasOneDiagnostic()
    {
        foreach (string body in new[] { "x != (null) ? x * x : x", "y != null ? x * x : x", "(double?)x != null ? x : x * x" })
        {
            GeneratorRunner.Result result = GeneratorRunner.Run(Prelude + "public static partial class M { [Differentiable] public static double F(double x, [NoGrad] double? y) => " + body + "; }");
            Diagnostic d = Assert.Single(result.GeneratorDiagnostics);
            Assert.Equal("AG0016", d.Id);
            Assert.DoesNotContain("object", d.GetMessage());
        }
        GeneratorRunner.Result integer = GeneratorRunner.Run(Prelude + "public static partial class M { [Differentiable] public static double F(double x, [NoGrad] int k) => k == null ? x : x * x; }");
        Assert.Contains("'k' is an int, which is never null, so the comparison is always false", Assert.Single(integer.GeneratorDiagnostics).GetMessage());
        // Review helper-95: 'an uint'; and a span compared with null is no lifted comparison (an empty span == null).
        GeneratorRunner.Result unsigned = GeneratorRunner.Run(Prelude + "public static partial class M { [Differentiable] public static double F(double x, [NoGrad] uint u) => u != null ? x : x * x; }");
        Assert.Contains("'u' is a uint, which is never null", Assert.Single(unsigned.GeneratorDiagnostics).GetMessage());
        // Review helper-97: other value types (nint, a struct) lost the message to "nullable value types".
        GeneratorRunner.Result native = GeneratorRunner.Run(Prelude + "public static partial class M { [Differentiable] public static double F(double x, [NoGrad] nint n) => n == null ? x : x * x; }");
        Assert.Contains("'n' is an nint, which is never null", Assert.Single(native.GeneratorDiagnostics).GetMessage());
        GeneratorRunner.Result structure = GeneratorRunner.Run(Prelude + "public static partial class M { [Differentiable] public static double F(double x, [NoGrad] DateTime c) => c != null ? x : x * x; }");
        Assert.Contains("which is never null, so the comparison is always true", Assert.Single(structure.GeneratorDiagnostics).GetMessage());
        // Review helper-95: 'is (null)' was told to write '== null', itself refused.
        GeneratorRunner.Result pattern = GeneratorRunner.Run(Prelude + "public static partial class M { [Differentiable] public static float F(Tensor x, [NoGrad] Tensor? m) => m is not (null) ? Nn.Sum(Nn.Mul(x, m)) : Nn.Sum(x); }");
        Assert.Contains("null checks are not supported", Assert.Single(pattern.GeneratorDiagnostics).GetMessage());
        GeneratorRunner.Result span = GeneratorRunner.Run(Prelude + "public static partial class M { [Differentiable] public static double F(double x, ReadOnlySpan<double> s) => s == null ? x : 2 * x; }");
        Assert.DoesNotContain(span.GeneratorDiagnostics, d => d.GetMessage().Contains("never null", StringComparison.Ordinal));
        Assert.DoesNotContain(span.CompilationDiagnostics, d => d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true);
    }

    [Fact] public void AG0016_NullableValueTypeComparedWithNull() => Expect("AG0016", """
        public static partial class M
        {
            [Differentiable] public static double F(double x, [NoGrad] int? k) => [|k|] == null ? x : x * x;
        }
        """, "nullable value types (int?, double?) are not supported");

    [Fact] public void AG0015_ATensorOpInALoopCondition() => Expect("AG0015", """
        public static partial class M
        {
            [Differentiable] public static float F(Tensor w, [NoGrad] Tensor x, [NoGrad] int max)
            {
                var h = x;
                int t = 0;
                [|while (t < max && Nn.Mean(Nn.Tanh(h)) < 10f) { h = Nn.Tanh(Nn.MatMul(h, w)); t++; }|]
                return Nn.Sum(h);
            }
        }
        """, "a tensor op in a loop's condition is not supported");

    [Fact]
    public void AnOpInALoopConditionInsideAnUnrolledLoopIsReportedOnceAsWritten()
    {
        GeneratorRunner.Result result = GeneratorRunner.Run(Prelude + """
            public static partial class M
            {
                [Differentiable] public static float F(Tensor w, [NoGrad] Tensor x, [NoGrad] int max)
                {
                    var h = x;
                    for (int l = 0; l < 3; l++) { int t = 0; while (t < max && Nn.Sum(h) > 0f) { h = Nn.Tanh(Nn.MatMul(h, w)); t++; } }
                    return Nn.Sum(h);
                }
            }
            """);
        Diagnostic d = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal("AG0015", d.Id);
        Assert.DoesNotContain("[l =", d.GetMessage());
    }

    [Fact] public void AG0016_MultidimensionalArray() => Expect("AG0016", """
        public static partial class M { [Differentiable] public static double F(double[,] p, double x) => [|p[0, 1]|] * x; }
        """, "multidimensional arrays (a[i, j]) are not supported");

    [Fact] public void AG0023_AbstractMethod() => Expect("AG0023", """
        public partial interface IShape { [Differentiable] static abstract double [|Area|](double x); }
        """, "'Area' has no body to differentiate (it is abstract); put [Differentiable] on a static method");

    [Fact] public void AG0023_Lambda() => Expect("AG0023", """
        public static partial class M
        {
            public static double F(double x)
            {
                Func<double, double> square = [Differentiable] (double v) [|=>|] v * v;
                return square(x);
            }
        }
        """, "[Differentiable] is on a lambda, which gets no gradient");

    [Fact] public void AG0023_Operator() => Expect("AG0023", """
        public partial struct V
        {
            public double X;
            [Differentiable] public static double operator [|*|](V a, V b) => a.X * b.X;
        }
        """);

    [Fact] public void AG0023_LocalFunction() => Expect("AG0023", """
        public static partial class M
        {
            public static double F(double x)
            {
                [Differentiable] static double [|Square|](double v) => v * v;
                return Square(x);
            }
        }
        """);

    [Fact] public void AG0023_FileLocalType() => Expect("AG0023", """
        file static partial class [|M|] { [Differentiable] public static double F(double x) => x * x; }
        """);

    [Fact] public void AG0024_AHandWrittenGradientOfTheSameName() => Expect("AG0024", """
        public static partial class M
        {
            [Differentiable] public static double [|Sq|](double x) => x * x;
            public static double SqGradient(double x, out double dX) { dX = 2 * x; return x * x; }
        }
        """);

    [Fact] public void AG0024_AHandWrittenPullbackOfTheSameName() => Expect("AG0024", """
        public static partial class M
        {
            [Differentiable] public static double [|Cu|](double x) => x * x * x;
            static int CuPullback;
        }
        """);

    [Fact] public void AG0024_AMemberOfABaseTypeTheGeneratedOneWouldHide() => Expect("AG0024", """
        public class Base { public static double FGradient(double x, out double d) { d = 0; return x; } }
        public partial class Derived : Base { [Differentiable] public static double [|F|](double x) => x * x; }
        """);

    [Fact] public void AG0024_ABaseTypesDifferentiableMethodOfTheSameName() => Expect("AG0024", """
        public partial class B1 { [Differentiable] public static double L(double x) => x * x; }
        public partial class D1 : B1 { [Differentiable] public static new double [|L|](double x) => x * x * x; }
        """);

    // Review helper-51: generated code calls these members by simple name; a parameter of the name hid them (CS0149,
    // CS1503, or a probed gradient that checked the probes against the user's ProbeLayout parameter).
    [Theory]
    [InlineData("APullback")]
    [InlineData("AProbeLayout")]
    [InlineData("AGradient")]
    [InlineData("ANonFiniteOrigin")]
    public void AG0021_AParameterNamedLikeAMemberTheGeneratorAdds(string name) => Expect("AG0021", $$"""
        public static partial class P { [Differentiable] public static double A(double x, [|double {{name}}|]) => x * {{name}}; }
        """);

    [Fact]
    public void ALocalNamedLikeAMemberTheGeneratorAddsIsRenamed()
    {
        GeneratorRunner.Result result = GeneratorRunner.Run(Prelude + """
            public static partial class T
            {
                [Differentiable] public static float Loss(Tensor w, [NoGrad] Tensor x, [NoGrad] int[] labels)
                {
                    var LossWorkspace = Nn.MatMul(x, w);
                    var LossProbeLayout = Nn.Tanh(LossWorkspace);
                    return Nn.SoftmaxCrossEntropy(LossProbeLayout, labels);
                }
                [Differentiable] public static double S(double x) { double SPullback = x * x; double SNonFiniteOrigin = SPullback + x; return SNonFiniteOrigin; }
            }
            """);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.CompilationDiagnostics);
    }

    [Fact] public void AG0023_ATensorMethodInAVariantInterface() => Expect("AG0023", """
        public partial interface IV<out T, in U>
        {
            [Differentiable] public static float [|L|](Tensor w, [NoGrad] Tensor x, [NoGrad] int[] labels) => Nn.SoftmaxCrossEntropy(Nn.MatMul(x, w), labels);
        }
        """);

    [Fact] public void AG0023_ATensorMethodInAnInterfaceNestedInAVariantOne() => Expect("AG0023", """
        public partial interface IX<out T>
        {
            public partial interface INested
            {
                [Differentiable] static float [|Loss5|](Tensor w, [NoGrad] Tensor x) => Nn.Mean(Nn.MatMul(x, w));
            }
        }
        """);

    [Fact]
    public void ANamespaceAndATypeOfOneDottedNameDoNotStopTheGenerator()
    {
        // Review helper-51: the two methods' files had one hint name, AddSource threw (CS8785) and every gradient went.
        GeneratorRunner.Result result = GeneratorRunner.Run(Prelude + """
            namespace N.A { public static partial class B { [Differentiable] public static double M(double x) => x * x; } }
            namespace N { public static partial class A { public static partial class B { [Differentiable] public static double M(double x) => x; } } }
            public static partial class Other { [Differentiable] public static double F(double x) => x * x; }
            """);
        Assert.DoesNotContain(result.GeneratorDiagnostics, d => d.Id is "CS8785" or "AG9999");
        Assert.Contains(result.Sources, s => s.HintName.Contains("Other.F.", StringComparison.Ordinal));
    }

    [Fact]
    public void TheCoalescingOperatorsFixIsNotANullCheck()
    {
        GeneratorRunner.Result result = GeneratorRunner.Run(Prelude + """
            public static partial class Q { [Differentiable] public static double F(double x, [NoGrad] double[]? c) { double[] k = c ?? new double[] { 2.0 }; return x * k[0]; } }
            """);
        Diagnostic d = Assert.Single(result.GeneratorDiagnostics);
        Assert.Contains("decide outside the method", d.GetMessage());
        Assert.DoesNotContain("!= null", d.GetMessage());
    }

    // Review helper-54: these compiled to CS0111 and CS0108 in the generated file, with no AG0024.
    [Fact] public void AG0024_ATensorMethodsNonFiniteOrigin() => Expect("AG0024", """
        public static partial class H02
        {
            [Differentiable] static float [|Loss|](Tensor w) { var s = w.Span; float p = 0; for (int i = 0; i < s.Length; i++) p += s[i]; return Nn.Sum(w) + p; }
            static bool LossNonFiniteOrigin(Tensor w, AutoGrad.Probes.GradientProbes probes) => false;
        }
        """);

    [Fact] public void AG0024_AWorkspaceTypeInABaseOfATensorMethodsType() => Expect("AG0024", """
        public class B1 { public class LossWorkspace { } }
        public partial class K01 : B1 { [Differentiable] public static float [|Loss|](Tensor w) => Nn.Sum(Nn.Tanh(w)); }
        """);

    [Fact] public void AG0024_ANonFiniteOriginInABaseOfATensorMethodsType() => Expect("AG0024", """
        public class B2 { protected static bool LossNonFiniteOrigin(Tensor w, AutoGrad.Probes.GradientProbes probes) => false; }
        public partial class K02 : B2
        {
            [Differentiable] public static float [|Loss|](Tensor w) { var s = w.Span; float p = 0; for (int i = 0; i < s.Length; i++) p += s[i]; return Nn.Sum(w) + p; }
        }
        """);

    [Fact] public void AG0024_AMethodNamedLikeTheProbeLayout() => Expect("AG0024", """
        public static partial class O2 { public static int FProbeLayout() => 0; [Differentiable] public static double [|F|](double x) => x * x; }
        """);

    [Fact]
    public void AG0024_ABaseTypesDifferentiableMethodWithOtherParameters()
    {
        // Both get F's generated members; D3.FProbeLayout would hide B3's (CS0108 in the generated file).
        GeneratorRunner.Result result = GeneratorRunner.Run(Prelude + """
            public partial class B3 { [Differentiable] public static double F(double x, double y) => x * y; }
            public partial class D3 : B3 { [Differentiable] public static double F(double x) => x * x; }
            """);
        Diagnostic d = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal("AG0024", d.Id);
        Assert.Contains("B3, a base type of D3", d.GetMessage());
        Assert.Empty(result.CompilationDiagnostics);
    }

    [Fact]
    public void ADefaultOfAnEnumNestedInAGenericTypeIsWrittenOut()
    {
        GeneratorRunner.Result result = GeneratorRunner.Run(Prelude + """
            public static partial class Box<T> { public enum E : byte { A = 1, B = 200 } }
            public static partial class M
            {
                [Differentiable] public static double W(double x, [NoGrad] Box<int>.E e = Box<int>.E.B) => e == Box<int>.E.B ? x * x : x;
                [Differentiable] public static double C(double x) => W(x);
            }
            """);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.CompilationDiagnostics);
    }

    [Fact]
    public void AG0024_AnOverloadThatDoesNotClashIsFine()
    {
        // FGradient(int) beside the generated FGradient(double, out double): an overload, which compiled before AG0024.
        GeneratorRunner.Result result = GeneratorRunner.Run(Prelude + """
            public static partial class D7
            {
                [Differentiable] public static double F(double x) => x * x;
                public static double FGradient(int x) => x;
                public static double FGradient(double a, double b) => a + b;     // by value where the generated one has 'out'
                private static int FWorkspace(int a, int b, int c) => a;         // scalar methods get no workspace
            }
            public class PrivateBase { private static double GGradient(double x, out double d) { d = 0; return x; } }
            public partial class PrivateDerived : PrivateBase { [Differentiable] public static double G(double x) => x * x; }
            public class B4 { public static int HGradient(int a, int b) => a + b; }
            public partial class D4 : B4 { [Differentiable] public static double H(double x) => x * x; }
            public static partial class T1
            {
                public static int NPullback(int a, int b, int c, int d) => a;   // tensor methods get no pullback
                [Differentiable] public static float N(Tensor w, [NoGrad] Tensor x) => Nn.Sum(Nn.MatMul(x, w));
            }
            """);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.CompilationDiagnostics);
    }

    [Fact]
    public void AG0023_ALanguageVersionTheGeneratedCodeCannotBeWrittenIn()
    {
        var options = new Microsoft.CodeAnalysis.CSharp.CSharpParseOptions(Microsoft.CodeAnalysis.CSharp.LanguageVersion.CSharp8);
        var tree = Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(Prelude +
            "public static partial class M { [Differentiable] public static double F(double x) => x * x; }", options);
        var compilation = GeneratorRunner.Compile().AddSyntaxTrees(tree);
        var driver = Microsoft.CodeAnalysis.CSharp.CSharpGeneratorDriver.Create(new AutoGrad.Generator.DifferentiableGenerator())
            .WithUpdatedParseOptions(options);
        driver.RunGeneratorsAndUpdateCompilation(compilation, out _, out var diagnostics);
        Diagnostic d = Assert.Single(diagnostics);
        Assert.Equal("AG0023", d.Id);
        Assert.Contains("C# 9", d.GetMessage());
    }

    [Fact] public void AG0016_AHelperOfAFileLocalType() => Expect("AG0016", """
        file static class Local { public static readonly double[] Table = { 1.0, 2.0 }; public static int Twice(int n) => 2 * n; }
        public static partial class M { [Differentiable] public static double F(double x, int n) => x * [|Local.Twice(n)|]; }
        """);

    [Fact]
    public void TupleLocalsOverwrittenInALoopAndSelfAssignmentsCompileCleanly()
    {
        GeneratorRunner.Result result = GeneratorRunner.Run(Prelude + """
            public static partial class M
            {
                [Differentiable]
                public static double F(double x, [NoGrad] double k, int n)
                {
                    double s = 1, y = x;
                    for (int i = 0; i < n; i++) { var t = Math.SinCos(k * i); s = s * x * t.Cos + t.Sin; }
                    y = y;
                    return s * y;
                }
            }
            """);
        Assert.Empty(result.GeneratorDiagnostics);
        // Was CS0825/CS1525 (a tape named after a tuple type) and a CS1717 repeated in the generated file; the user's
        // own CS1717 on 'y = y' stays theirs.
        Assert.Empty(result.CompilationDiagnostics.Where(d => d.Location.SourceTree?.FilePath.StartsWith("Source", StringComparison.Ordinal) != true));
        Assert.Contains(result.CompilationDiagnostics, d => d.Id == "CS1717");
    }

    // Messages that named the wrong thing or offered no fix (found by a review of unusual C#).
    [Theory]
    [InlineData("double a = x, b = 1; (a, b) = (b, a); return a;", "AG0015", "tuple deconstruction")]
    [InlineData("var (a, b) = (x, 1.0); return a;", "AG0015", "tuple deconstruction")]
    [InlineData("_ = Math.Sin(x); return x;", "AG0015", "discard")]
    [InlineData("checked { x = x * 2; } return x;", "AG0015", "without the block")]
    [InlineData("lock (typeof(M)) { x = x * 2; } return x;", "AG0015", "around the call")]
    [InlineData("decimal d = 3m; return x * (double)d;", "AG0016", "decimal")]
    [InlineData("nint k = 2; return x * (k * 3);", "AG0016", "arithmetic on 'nint'")]
    [InlineData("return (x is > 0 and < 1) ? x : 0;", "AG0016", "==, <, >")]
    [InlineData("var m = new double[2, 2]; return x;", "AG0016", "multidimensional")]
    [InlineData("return H.Sum(new[] { x, x });", "AG0016", "declare a local array")]
    [InlineData("return x * new System.Numerics.Complex(x, 0).Real;", "AG0016", "creating objects")]
    [InlineData("int n = 3; return x * checked(n * 1000003);", "AG0016", "overflow checking")]
    [InlineData("int n = 3; return checked(x * (n * n));", "AG0016", "overflow checking")]
    public void UnsupportedCSharpGetsAMessageThatSaysWhatToWrite(string body, string id, string fix)
    {
        GeneratorRunner.Result result = GeneratorRunner.Run(Prelude + """
            public static partial class H { [Differentiable] public static double Sum(double[] a) => a[0] + a[1]; }
            public static partial class M { [Differentiable] public static double F(double x) { BODY } }
            """.Replace("BODY", body));
        Assert.NotEmpty(result.GeneratorDiagnostics);
        Assert.Contains(result.GeneratorDiagnostics, d => d.Id == id && d.GetMessage().Contains(fix, StringComparison.Ordinal));
        Assert.DoesNotContain(result.GeneratorDiagnostics, d => d.GetMessage().Contains("tensors", StringComparison.Ordinal));
        Assert.DoesNotContain(result.GeneratorDiagnostics, d => d.GetMessage().Contains("only numeric and boolean constants", StringComparison.Ordinal));
    }

    [Fact]
    public void AnArrayOfArraysParameterIsNamedAsSuch()
    {
        GeneratorRunner.Result result = GeneratorRunner.Run(Prelude +
            "public static partial class M { [Differentiable] public static double F(double x, [NoGrad] int[][] ys) => x * ys[0][1]; }");
        Diagnostic d = Assert.Single(result.GeneratorDiagnostics);
        Assert.Contains("arrays of arrays", d.GetMessage());
    }

    [Fact] public void AG0016_NameOf() => Expect("AG0016", """
        public static partial class M { [Differentiable] public static double F(double x) { int n = [|nameof(x)|].Length; return x * n; } }
        """);

    [Fact]
    public void AG9999_InternalFailureIsReportedNotThrown()
    {
        // A model the parser can never produce (a literal as an assignment target) makes the differentiator fail.
        var spec = TestModels.MethodWithInvalidAssignment();
        (string? source, var diagnostics) = DifferentiableGenerator.Generate(new Model.ParseResult(spec, Common.EquatableArray<Common.DiagnosticInfo>.Empty));
        Assert.Null(source);
        Diagnostic d = Assert.Single(diagnostics);
        Assert.Equal("AG9999", d.Id);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal(spec.Location!.ToLocation().SourceSpan, d.Location.SourceSpan);
        Assert.True(d.GetMessage().Contains("InvalidOperationException", StringComparison.Ordinal), d.GetMessage());
    }

    [Fact]
    public void EveryDescriptorHasATestAndADocumentedSection()
    {
        string tests = System.IO.File.ReadAllText(System.IO.Path.Combine(RepositoryRoot(), "tests/AutoGrad.Generator.Tests/DiagnosticTests.cs"));
        string docs = System.IO.File.ReadAllText(System.IO.Path.Combine(RepositoryRoot(), "docs/diagnostics.md"));
        foreach (DiagnosticDescriptor d in DiagnosticDescriptors.All)
        {
            Assert.Contains($"\"{d.Id}\"", tests);
            Assert.Contains("## " + d.Id, docs);
        }
    }

    internal static string RepositoryRoot()
    {
        string dir = AppContext.BaseDirectory;
        while (!System.IO.File.Exists(System.IO.Path.Combine(dir, "AutoGrad.sln"))) dir = System.IO.Path.GetDirectoryName(dir)!;
        return dir;
    }
}
