using System.Collections.Generic;
using System.Linq;
using System.Threading;
using AutoGrad.Generator.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoGrad.Generator.Parsing;

/// <summary>
/// What lets a method use obsolete and experimental APIs, carried over to its generated members, whose bodies use the
/// same APIs: the method's own <c>[Obsolete]</c> and <c>[Experimental]</c> (an obsolete method may read an
/// <c>[Obsolete(error: true)]</c> member, CS0619 in the generated file otherwise), and the diagnostic IDs of the
/// experimental APIs its body reads, which its own code reports or silences (in the generated file they were errors).
/// </summary>
internal static class UsageMarks
{
    private const string Obsolete = "System.ObsoleteAttribute";
    private const string Experimental = "System.Diagnostics.CodeAnalysis.ExperimentalAttribute";

    /// <summary>The method's <c>[Obsolete]</c> and <c>[Experimental]</c>, written out for the generated members.</summary>
    public static EquatableArray<string> CarriedAttributes(IMethodSymbol method) =>
        method.GetAttributes()
            .Where(a => a.AttributeClass?.ToDisplayString() is Obsolete or Experimental)
            .Select(Spell)
            .ToEquatableArray();

    /// <summary>
    /// The diagnostic IDs of the experimental APIs, and of obsolete ones with their own ID, that the method's signature
    /// and body use, and that generated code calls for them (a [CustomPullback] op's pullback and ForwardInto, and the
    /// types of their parameters, such as a state type), sorted.
    /// </summary>
    public static EquatableArray<string> ExperimentalIds(SemanticModel model, IMethodSymbol method, MethodDeclarationSyntax syntax, CancellationToken ct)
    {
        var ids = new SortedSet<string>(System.StringComparer.Ordinal);
        // Each symbol once: a type built of shared generic arguments (Pair<Q, Q> nested) is a graph, walked as a tree
        // it took time exponential in its depth (helper-99).
        var seen = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (SimpleNameSyntax name in syntax.DescendantNodes().OfType<SimpleNameSyntax>())
        {
            ct.ThrowIfCancellationRequested();
            ISymbol? symbol = model.GetSymbolInfo(name, ct).Symbol;
            Collect(symbol, ids, seen);
            if (symbol is not IMethodSymbol called) continue;
            // The op, and any fused op the generator may put in its place (a [FusionOf] op of its type naming it).
            IEnumerable<IMethodSymbol> ops = new[] { called }.Concat(called.ContainingType.GetMembers().OfType<IMethodSymbol>().Where(m =>
                m.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "AutoGrad.FusionOfAttribute" &&
                                           a.ConstructorArguments.Any(c => Equals(c.Value, called.Name)))));
            foreach (IMethodSymbol op in ops)
            {
                if (!SymbolEqualityComparer.Default.Equals(op, called)) Collect(op, ids, seen);
                foreach (IMethodSymbol generatedCall in CalleeResolver.CustomPullbackMethods(op))
                {
                    Collect(generatedCall, ids, seen);
                    foreach (IParameterSymbol p in generatedCall.Parameters) Collect(p.Type, ids, seen);
                }
            }
        }
        return ids.ToEquatableArray();
    }

    /// <summary>Words a pragma line reads as its own (an ID 'true' or 'restore' broke the line: CS1072).</summary>
    private static readonly HashSet<string> PragmaWords = new(System.StringComparer.Ordinal)
    {
        "true", "false", "default", "disable", "restore", "enable", "hidden", "checksum", "warning", "warnings", "annotations",
    };

    private static void Collect(ISymbol? symbol, SortedSet<string> ids, HashSet<ISymbol> seen)
    {
        if (symbol is null || !seen.Add(symbol)) return;
        // A state type Holder<ExpArg>: its type arguments are named in the generated workspace too.
        if (symbol is IArrayTypeSymbol array) Collect(array.ElementType, ids, seen);
        // Outer<ExpArg>.State too: the containing types' arguments.
        for (INamedTypeSymbol? named = symbol as INamedTypeSymbol; named is not null; named = named.ContainingType)
        {
            foreach (ITypeSymbol argument in named.TypeArguments) Collect(argument, ids, seen);
        }
        for (ISymbol? s = symbol.OriginalDefinition; s is not null; s = s.ContainingType)
        {
            AddIds(s.GetAttributes(), ids);
        }
        if (symbol.ContainingModule is { } module) AddIds(module.GetAttributes(), ids);
        if (symbol.ContainingAssembly is { } assembly) AddIds(assembly.GetAttributes(), ids);
    }

    private static void AddIds(IEnumerable<AttributeData> attributes, SortedSet<string> ids)
    {
        foreach (AttributeData a in attributes)
        {
            string? attribute = a.AttributeClass?.ToDisplayString();
            if (attribute == Experimental && a.ConstructorArguments.Length > 0 && a.ConstructorArguments[0].Value is string id && id.Length > 0)
            {
                ids.Add(id);
            }
            // [Obsolete(DiagnosticId = "X")] warns as X, not CS0618, which the generated file's pragma already covers.
            // Only an ID a pragma can name (letters, digits, '_'): [Obsolete] takes any string, and 'EXP.2' in the pragma
            // line was a warning of its own (CS1696).
            if (attribute == Obsolete && a.NamedArguments.FirstOrDefault(n => n.Key == "DiagnosticId").Value.Value is string obsoleteId &&
                obsoleteId.Length > 0 && !char.IsDigit(obsoleteId[0]) && obsoleteId.All(ch => char.IsLetterOrDigit(ch) || ch == '_') &&
                !PragmaWords.Contains(obsoleteId))
            {
                ids.Add(obsoleteId);
            }
        }
    }

    private static string Spell(AttributeData a)
    {
        IEnumerable<string> arguments = a.ConstructorArguments.Select(c => c.ToCSharpString())
            .Concat(a.NamedArguments.Select(n => n.Key + " = " + n.Value.ToCSharpString()));
        return "[global::" + a.AttributeClass!.ToDisplayString() + "(" + string.Join(", ", arguments) + ")]";
    }
}
