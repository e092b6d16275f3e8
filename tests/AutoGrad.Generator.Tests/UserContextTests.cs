using System;
using System.Collections.Immutable;
using System.Linq;
using AutoGrad.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace AutoGrad.Generator.Tests;

/// <summary>
/// The user's code around a [Differentiable] method (its type names, types in scope, accessibility) must not break the
/// generated file: it compiles without errors or warnings, or the user gets an AG diagnostic on their own code
/// (review helper-86).
/// </summary>
public class UserContextTests
{
    private const string Prelude = "using System;\nusing AutoGrad;\n";

    /// <summary>Runs the generator with every warning wave on and returns what the generated files report.</summary>
    private static (ImmutableArray<Diagnostic> Generator, Diagnostic[] Generated) Run(string source)
    {
        CSharpCompilation input = GeneratorRunner.Compile(Prelude + source);
        input = input.WithOptions(input.Options.WithWarningLevel(9999));
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new DifferentiableGenerator()).WithUpdatedParseOptions(GeneratorRunner.ParseOptions);
        driver.RunGeneratorsAndUpdateCompilation(input, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        Diagnostic[] generated = output.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true)
            .ToArray();
        return (diagnostics, generated);
    }

    [Fact]
    public void AUserTypeNamedVarDoesNotCaptureTheTapes()
    {
        // A loop with a tape (and a counted loop's tape spans), declared with 'var' they became the user's type (CS0029).
        var (generator, generated) = Run("""
            #pragma warning disable CS8981
            public class var { }
            #pragma warning restore CS8981
            public static partial class C
            {
                [Differentiable]
                public static double F(double w, double[] xs)
                {
                    double h = 0.1;
                    for (int i = 0; i < xs.Length; i++) h = Math.Tanh(w * h + xs[i]);
                    return h;
                }
            }
            """);
        Assert.Empty(generator);
        Assert.True(generated.Length == 0, GeneratorRunner.Describe(generated));
    }

    [Fact]
    public void LowerCaseTypeNamesTheUserSilencedDoNotWarnInTheGeneratedFile()
    {
        var (generator, generated) = Run("""
            #pragma warning disable CS8981
            namespace nets
            {
                public static partial class mlp
                {
                    [Differentiable] public static double loss(double w, double x) => Math.Tanh(w * x);
                }
                public partial class box<value>
                {
                    [Differentiable] public static double G(double w) => w * w;
                }
            }
            #pragma warning restore CS8981
            """);
        Assert.Empty(generator);
        Assert.True(generated.Length == 0, GeneratorRunner.Describe(generated));
    }

    [Theory]
    [InlineData("public static partial class FGradient { [Differentiable] public static double F(double x) => x * x; }", "FGradient")]
    [InlineData("public static partial class FProbeLayout { [Differentiable] public static double F(double x) => x * x; }", "FProbeLayout")]
    [InlineData("public partial class M<FGradient> { [Differentiable] public static double F(double x) => x * x; }", "FGradient")]
    [InlineData("public partial class M<FPullback> { [Differentiable] public static double F(double x) => x * x; }", "FPullback")]
    [InlineData("public static partial class FWorkspace { [Differentiable] public static float F(Tensor w) => Nn.Sum(Nn.Mul(w, w)); }", "FWorkspace")]
    public void AGeneratedNameThatIsTheTypesOwnNameOrTypeParameterIsAG0024(string source, string name)
    {
        var (generator, generated) = Run(source);
        Diagnostic d = Assert.Single(generator, x => x.Id == "AG0024");
        Assert.Contains($"'{name}', which the generator adds for 'F'", d.GetMessage());
        Assert.Equal("F", (Prelude + source).Substring(d.Location.SourceSpan.Start, d.Location.SourceSpan.Length));
        Assert.True(generated.All(x => x.Severity < DiagnosticSeverity.Error), GeneratorRunner.Describe(generated));
    }

    [Fact]
    public void APullbackTheCallerCannotReachIsAG0019()
    {
        var (generator, generated) = Run("""
            public static class Ops
            {
                [CustomPullback(nameof(SqPullback))] public static double Sq(double x) => x * x;
                private static void SqPullback(double x, double dResult, ref double dX) => dX += 2 * x * dResult;
            }
            public static partial class C { [Differentiable] public static double F(double x) => Ops.Sq(x) + 1; }
            """);
        Diagnostic d = Assert.Single(generator, x => x.Id == "AG0019");
        Assert.Contains("it is private in Ops, so the gradient of 'F' cannot call it; make it as accessible as 'Sq'", d.GetMessage());
        Assert.True(generated.All(x => x.Severity < DiagnosticSeverity.Error), GeneratorRunner.Describe(generated));
    }

    [Fact]
    public void APrivateForwardIntoIsAG0019()
    {
        var (generator, generated) = Run("""
            public static class Ops
            {
                [CustomPullback(nameof(TwicePullback), ForwardInto = nameof(TwiceInto))]
                public static Tensor Twice(Tensor x) => Nn.Scale(x, 2f);
                private static void TwiceInto(ref Tensor? result, Tensor x, OpSite site) => result = Nn.Scale(x, 2f);
                public static void TwicePullback(Tensor x, Tensor dResult, GradTarget dX) => dX.Accumulate(Nn.Scale(dResult, 2f));
            }
            public static partial class C { [Differentiable] public static float T(Tensor w) => Nn.Sum(Ops.Twice(w)); }
            """);
        Diagnostic d = Assert.Single(generator, x => x.Id == "AG0019");
        Assert.Contains("'TwiceInto'", d.GetMessage());
        Assert.Contains("it is private in Ops", d.GetMessage());
        Assert.True(generated.All(x => x.Severity < DiagnosticSeverity.Error), GeneratorRunner.Describe(generated));
    }

    [Fact]
    public void AFinalizerIsAG0023()
    {
        var (generator, _) = Run("public partial class C { [Differentiable] ~C() { } }");
        Diagnostic d = Assert.Single(generator, x => x.Id == "AG0023");
        Assert.Contains("[Differentiable] is on a finalizer", d.GetMessage());
    }
    /// <summary>
    /// An obsolete method may read an [Obsolete(error: true)] member, and a method under the user's pragma may read an
    /// [Experimental] one; their generated members did the same without that context: CS0619 and the experimental
    /// error inside the generated file. The members carry the method's attributes, and the file silences the
    /// experimental IDs the method uses.
    /// </summary>
    [Fact]
    public void ObsoleteAndExperimentalUsesTheMethodMayMakeItsGradientMayMakeToo()
    {
        var (generator, generated) = Run("""
            public static class Lib { [System.Diagnostics.CodeAnalysis.Experimental("AGX001")] public static double Scale => 2; }
            public static partial class C
            {
            #pragma warning disable AGX001
                [Differentiable] public static double G(double x) => x * x * Lib.Scale;
            #pragma warning restore AGX001
                [Obsolete("old", true)] public static readonly double K = 3;
                [Obsolete("use F2", true)] [Differentiable] public static double F(double x) => x * x * K;
                [System.Diagnostics.CodeAnalysis.Experimental("AGX002")] [Differentiable] public static double Half(double x) => x / 2;
                [System.Diagnostics.CodeAnalysis.Experimental("AGX002")] [Differentiable] public static double H(double x) => Half(x) * x;
            }
            """);
        Assert.Empty(generator);
        Assert.True(generated.Length == 0, GeneratorRunner.Describe(generated));
    }

    [Fact]
    public void AnObsoleteMethodsGradientIsObsoleteToo()
    {
        GeneratorRunner.Result result = GeneratorRunner.Run(Prelude + """
            public static partial class C { [Obsolete("use F2")] [Differentiable] public static double F(double x) => x * x; }
            """);
        string source = Assert.Single(result.Sources, s => s.HintName.Contains(".F.", StringComparison.Ordinal)).Text;
        Assert.Contains("[global::System.ObsoleteAttribute(\"use F2\")]", source);
    }
    /// <summary>Review helper-92: the accessibility check passed when any overload of the pullback's name was accessible;
    /// the generated call then bound to a public overload with an optional parameter: a gradient of 1.5 for 6.</summary>
    [Fact]
    public void APrivateMatchingPullbackBesideAPublicOverloadIsAG0019()
    {
        var (generator, generated) = Run("""
            public static class Ops2
            {
                [CustomPullback(nameof(SqP))] public static double Sq(double x) => x * x;
                private static void SqP(double x, double dResult, ref double dX) => dX += 2 * x * dResult;
                public static void SqP(double x, double dResult, ref double dX, double scale = 0.5) => dX += scale * x * dResult;
            }
            public static partial class C { [Differentiable] public static double A(double x) => Ops2.Sq(x); }
            """);
        Diagnostic d = Assert.Single(generator, x => x.Id == "AG0019");
        Assert.Contains("it is private in Ops2", d.GetMessage());
        Assert.True(generated.All(x => x.Severity < DiagnosticSeverity.Error), GeneratorRunner.Describe(generated));
    }

    /// <summary>Review helper-92: APIs only the generated code uses for a method (an op's experimental pullback) and
    /// obsolete APIs with their own diagnostic ID were errors or warnings inside the generated file.</summary>
    [Fact]
    public void ExperimentalPullbacksAndObsoleteIdsTheMethodReachesAreSilencedInTheGeneratedFile()
    {
        var (generator, generated) = Run("""
            public static class Ops
            {
                [CustomPullback(nameof(SqP))] public static double Sq(double x) => x * x;
                [System.Diagnostics.CodeAnalysis.Experimental("PB04")]
                public static void SqP(double x, double dResult, ref double dX) => dX += 2 * x * dResult;
            }
            public static partial class C
            {
                [Differentiable] public static double CallSq(double x) => Ops.Sq(x) + 1;
                [Differentiable, Obsolete("old", DiagnosticId = "OLD01")] public static double Old(double x) => x * x;
            #pragma warning disable OLD01
                [Differentiable] public static double UsesOld(double x) => Old(x) + x;
            #pragma warning restore OLD01
            }
            #pragma warning disable CS8860
            public static partial class record { [Differentiable] public static double F(double x) => x * x; }
            """);
        Assert.Empty(generator);
        Assert.True(generated.Length == 0, GeneratorRunner.Describe(generated));
    }

    private static MetadataReference ImageOf(CSharpCompilation library)
    {
        using var image = new System.IO.MemoryStream();
        Microsoft.CodeAnalysis.Emit.EmitResult emitted = library.Emit(image);
        Assert.True(emitted.Success, GeneratorRunner.Describe(emitted.Diagnostics));
        return MetadataReference.CreateFromImage(image.ToArray());
    }

    /// <summary>Review helper-92: a library's internal pullback is not in the reference assembly, so the message said
    /// there was no such method, and to write one that exists.</summary>
    [Fact]
    public void APullbackAnotherAssemblyHidesIsExplained()
    {
        CSharpCompilation library = GeneratorRunner.Compile(Prelude + """
            public static class LibOps
            {
                [CustomPullback(nameof(SqP))] public static double Sq(double x) => x * x;
                internal static void SqP(double x, double dResult, ref double dX) => dX += 2 * x * dResult;
            }
            """).WithAssemblyName("Lib");
        CSharpCompilation user = GeneratorRunner.Compile(Prelude + "public static partial class C { [Differentiable] public static double F(double x) => LibOps.Sq(x); }")
            .AddReferences(ImageOf(library));
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new DifferentiableGenerator()).WithUpdatedParseOptions(GeneratorRunner.ParseOptions);
        driver.RunGeneratorsAndUpdateCompilation(user, out _, out ImmutableArray<Diagnostic> diagnostics);
        Diagnostic d = Assert.Single(diagnostics, x => x.Id == "AG0019");
        Assert.Contains("'LibOps' is in another assembly, whose pullbacks must be public, or internal with InternalsVisibleTo", d.GetMessage());
    }

    /// <summary>Review helper-95: an obsolete ID that is no identifier ('EXP.2', which [Obsolete] accepts) in the pragma
    /// line was a warning of its own (CS1696); such an ID cannot be silenced by a pragma at all, so it is left out.</summary>
    [Fact]
    public void AnObsoleteIdThatIsNoIdentifierIsNotPutInThePragmaLine()
    {
        GeneratorRunner.Result result = GeneratorRunner.Run(Prelude + """
            public static class Dotted
            {
                [CustomPullback(nameof(TwiceP))] public static double Twice(double x) => 2 * x;
                [Obsolete("o", DiagnosticId = "EXP.2")] public static void TwiceP(double x, double dResult, ref double dX) => dX += 2 * dResult;
            }
            public static partial class D { [Differentiable] public static double G(double x) => Dotted.Twice(x) * x; }
            """);
        string source = Assert.Single(result.Sources, s => s.HintName.Contains("D.G", StringComparison.Ordinal)).Text;
        Assert.DoesNotContain("EXP.2", source);
        Assert.DoesNotContain(result.CompilationDiagnostics, d => d.Id == "CS1696");
    }

    /// <summary>Review helper-97: the feature-major ForwardInto overload's experimental ID went unsilenced (an error in
    /// the generated file), a fused op obsolete as an error was still substituted (CS0619), and an obsolete ID starting
    /// with a digit went into the pragma line (CS1696).</summary>
    [Fact]
    public void FeatureMajorOverloadsAndFusedOpsAreCalledOnlyWhereTheyMayBe()
    {
        var (generator, generated) = Run("""
            public static class TOps
            {
                [CustomPullback(nameof(MyTanhPullback), ForwardInto = nameof(MyTanhInto))]
                public static Tensor MyTanh(Tensor x) => Nn.Tanh(x);
                public static void MyTanhInto(ref Tensor? result, Tensor x, OpSite site) => Nn.TanhInto(ref result, x, site);
                [System.Diagnostics.CodeAnalysis.Experimental("TX01")]
                public static void MyTanhInto(ref Tensor? result, ref Tensor? resultTransposed, Tensor x, Tensor? xTransposed, OpSite site)
                { resultTransposed = null; Nn.TanhInto(ref result, x, site); }
                public static void MyTanhPullback(Tensor x, Tensor result, Tensor dResult, GradTarget dX, OpSite site) => Nn.TanhPullback(x, result, dResult, dX, site);
            }
            public static partial class TUser { [Differentiable] public static float L(Tensor x) { Tensor h = TOps.MyTanh(x); h = TOps.MyTanh(h); return Nn.Sum(h); } }
            public static class SOps4
            {
                [CustomPullback(nameof(SqP))] public static double Sq(double x) => x * x;
                public static void SqP(double x, double dResult, ref double dX) => dX += 2 * x * dResult;
                [CustomPullback(nameof(NegP))] public static double Neg(double x) => -x;
                public static void NegP(double x, double dResult, ref double dX) => dX -= dResult;
                [FusionOf(nameof(Neg), nameof(Sq))] [Obsolete("use Neg(Sq(x))", true)]
                [CustomPullback(nameof(NegSqP))] public static double NegSq(double x) => -x * x;
                public static void NegSqP(double x, double dResult, ref double dX) => dX += -2 * x * dResult;
                [CustomPullback(nameof(ThriceP))] public static double Thrice(double x) => 3 * x;
                [Obsolete("o", DiagnosticId = "1ABC")] public static void ThriceP(double x, double dResult, ref double dX) => dX += 3 * dResult;
            }
            public static partial class N
            {
                [Differentiable] public static double D(double x) => SOps4.Neg(SOps4.Sq(x)) * 3;
                [Differentiable] public static double H(double x) => SOps4.Thrice(x) * x;
            }
            """);
        Assert.Empty(generator);
        Assert.DoesNotContain(generated, d => d.Id is "TX01" or "CS0619" or "CS1696");
    }

    /// <summary>Review helper-99: an op's own pullback or ForwardInto obsolete as an error, a struct state type, an
    /// obsolete ID that is a pragma word, and a struct with ==(S, object) compared with null each broke the generated
    /// file or got a wrong message.</summary>
    [Fact]
    public void WithdrawnPullbacksStructStatesPragmaWordsAndUserOperators()
    {
        var (generator, generated) = Run("""
            public static class P1
            {
                [CustomPullback(nameof(SqP))] public static double Sq(double x) => x * x;
                [Obsolete("no", true)] public static void SqP(double x, double dResult, ref double dX) => dX += 2 * x * dResult;
            }
            public static class P7
            {
                public struct SState { public int N; }
                [CustomPullback(nameof(MyTanhPullback), ForwardInto = nameof(MyTanhInto))]
                public static Tensor MyTanh(Tensor x) => Nn.Tanh(x);
                public static void MyTanhInto(ref Tensor? result, ref SState state, Tensor x, OpSite site) { state.N++; Nn.TanhInto(ref result, x, site); }
                public static void MyTanhPullback(Tensor x, Tensor result, SState state, Tensor dResult, GradTarget dX, OpSite site) => Nn.TanhPullback(x, result, dResult, dX, site);
            }
            public static class IdOps
            {
                [CustomPullback(nameof(BP))] public static double B(double x) => 2 * x;
                [Obsolete("o", DiagnosticId = "restore")] public static void BP(double x, double dResult, ref double dX) => dX += 2 * dResult;
            }
            public struct S2
            {
                public double V;
                public static bool operator ==(S2 a, object? b) => b is null;
                public static bool operator !=(S2 a, object? b) => b is not null;
                public override bool Equals(object? o) => false;
                public override int GetHashCode() => 0;
            }
            public static partial class U
            {
                [Differentiable] public static double A(double x) => P1.Sq(x);
                [Differentiable] public static float L(Tensor x) => Nn.Sum(P7.MyTanh(x));
                [Differentiable] public static double FB(double x) => IdOps.B(x) * x;
                [Differentiable] public static double G(double x, [NoGrad] S2 s) => s == null ? x : x * x;
            }
            """);
        Assert.Contains(generator, d => d.Id == "AG0019" && d.GetMessage().Contains("[Obsolete] as an error", StringComparison.Ordinal));
        Assert.Contains(generator, d => d.Id == "AG0019" && d.GetMessage().Contains("is a struct; make its type a class", StringComparison.Ordinal));
        Assert.DoesNotContain(generator, d => d.GetMessage().Contains("never null", StringComparison.Ordinal));
        Assert.DoesNotContain(generated, d => d.Id is "CS0619" or "CS1503" or "CS1072");
    }

    /// <summary>Review helper-99: a pullback taking its state by ref matched, and the generated call, which passes it by
    /// value, was CS1620 inside the generated file.</summary>
    [Fact]
    public void APullbackTakingItsStateByRefIsAG0019()
    {
        var (generator, generated) = Run("""
            public static class P8
            {
                public sealed class State { public int N; }
                [CustomPullback(nameof(MyTanhPullback), ForwardInto = nameof(MyTanhInto))]
                public static Tensor MyTanh(Tensor x) => Nn.Tanh(x);
                public static void MyTanhInto(ref Tensor? result, ref State? state, Tensor x, OpSite site) { state ??= new State(); Nn.TanhInto(ref result, x, site); }
                public static void MyTanhPullback(Tensor x, Tensor result, ref State state, Tensor dResult, GradTarget dX, OpSite site) => Nn.TanhPullback(x, result, dResult, dX, site);
            }
            public static partial class U8 { [Differentiable] public static float L(Tensor x) => Nn.Sum(P8.MyTanh(x)); }
            """);
        Assert.Contains(generator, d => d.Id == "AG0019" && d.GetMessage().Contains("passed by value", StringComparison.Ordinal));
        Assert.DoesNotContain(generated, d => d.Id == "CS1620");
    }
}
