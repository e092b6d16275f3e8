using System;
using System.Linq;
using AutoGrad.Generator.Common;
using AutoGrad.Generator.Differentiation;
using AutoGrad.Generator.Emission;
using AutoGrad.Generator.Model;
using AutoGrad.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoGrad.Generator;

/// <summary>
/// Writes a reverse-mode gradient beside every method marked <c>[Differentiable]</c>. The pipeline only wires the
/// stages: parse (MethodParser) → differentiate (Differentiator) → emit (Emitter).
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class DifferentiableGenerator : IIncrementalGenerator
{
    /// <summary>Tracking names of the pipeline steps, for incremental-caching tests.</summary>
    public static class TrackingNames
    {
        /// <summary>The parse step: one model per [Differentiable] method.</summary>
        public const string Parse = "AutoGrad.Parse";

        /// <summary>The custom-pullback validation step.</summary>
        public const string CustomPullbacks = "AutoGrad.CustomPullbacks";
    }

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<ParseResult> methods = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                CalleeResolver.DifferentiableAttribute,
                // Operators, local functions, lambdas and accessors too, to be told they are not supported (AG0023).
                static (node, _) => node is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or LambdaExpressionSyntax or AccessorDeclarationSyntax,
                static (ctx, ct) => MethodParser.Parse(ctx, ct))
            .WithTrackingName(TrackingNames.Parse);
        context.RegisterSourceOutput(methods, static (spc, result) => Execute(spc, result));

        IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> pullbacks = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                CalleeResolver.CustomPullbackAttribute,
                static (node, _) => node is MethodDeclarationSyntax,
                static (ctx, _) => PullbackValidator.Validate(ctx))
            .WithTrackingName(TrackingNames.CustomPullbacks);
        context.RegisterSourceOutput(pullbacks, static (spc, diagnostics) =>
        {
            foreach (DiagnosticInfo d in diagnostics) spc.ReportDiagnostic(d.ToDiagnostic());
        });
    }

    private static void Execute(SourceProductionContext context, ParseResult result)
    {
        (string? source, System.Collections.Generic.List<Diagnostic> diagnostics) = Generate(result);
        foreach (Diagnostic d in diagnostics) context.ReportDiagnostic(d);
        if (source is not null)
        {
            AddSource(context, result.Method!.HintName, source);
        }
        else if ((diagnostics.Count > 0 || result.OnlyStub) && StubWriter.CanStub(result.Method, diagnostics.Select(d => d.Id)))
        {
            AddSource(context, result.Method!.HintName, StubWriter.Write(result.Method!, result));
        }
    }

    private static void AddSource(SourceProductionContext context, string hintName, string source)
    {
        try
        {
            context.AddSource(hintName, source);
        }
        catch (System.ArgumentException)
        {
            // Two methods with one hint name: a namespace and a type of the same dotted name (namespace N.A and class
            // N.A), which the compiler already refuses (CS0101). Thrown on, it would drop every other gradient too.
        }
    }

    /// <summary>
    /// Differentiates and emits one parsed method. Returns no source when any error was reported, so a method never
    /// gets a partial gradient; an unexpected failure becomes AG9999 instead of an exception.
    /// </summary>
    internal static (string? Source, System.Collections.Generic.List<Diagnostic> Diagnostics) Generate(ParseResult result)
    {
        var diagnostics = result.Diagnostics.Select(d => d.ToDiagnostic()).ToList();
        if (result.Method is null || diagnostics.Count > 0 || result.OnlyStub) return (null, diagnostics);
        MethodSpec method = result.Method;
        try
        {
            (AdjointMethod? adjoint, EquatableArray<DiagnosticInfo> found) = Differentiator.Differentiate(method);
            diagnostics.AddRange(found.Select(d => d.ToDiagnostic()));
            return adjoint is null ? (null, diagnostics) : (Emitter.Emit(adjoint), diagnostics);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception ex)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, method.Location,
                method.Name, MethodParser.Describe(ex)).ToDiagnostic());
            return (null, diagnostics);
        }
    }
}
