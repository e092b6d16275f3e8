using System;
using System.Linq;
using AutoGrad.Generator.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoGrad.Generator.Parsing;

/// <summary>Checks every [CustomPullback] registration where it is declared, so a mistake is reported at its source.</summary>
internal static class PullbackValidator
{
    public static EquatableArray<DiagnosticInfo> Validate(GeneratorAttributeSyntaxContext context)
    {
        if (context.TargetSymbol is not IMethodSymbol method || context.TargetNode is not MethodDeclarationSyntax syntax)
        {
            return EquatableArray<DiagnosticInfo>.Empty;
        }
        try
        {
            CalleeResolver.Resolve(method, out string? error);
            if (error is null) return EquatableArray<DiagnosticInfo>.Empty;
            string registered = method.GetAttributes()
                .FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == CalleeResolver.CustomPullbackAttribute)?
                .ConstructorArguments.FirstOrDefault().Value as string ?? "?";
            AttributeSyntax? attribute = syntax.AttributeLists.SelectMany(l => l.Attributes)
                .FirstOrDefault(a => a.Name.ToString().Contains("CustomPullback"));
            return EquatableArray.Of(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidPullback,
                LocationInfo.From((SyntaxNode?)attribute ?? syntax), registered, method.Name, error,
                CalleeResolver.ExpectedClause(method, registered)));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return EquatableArray.Of(DiagnosticInfo.Create(DiagnosticDescriptors.InternalError,
                LocationInfo.From(syntax.Identifier.GetLocation()), method.Name, MethodParser.Describe(ex)));
        }
    }
}
