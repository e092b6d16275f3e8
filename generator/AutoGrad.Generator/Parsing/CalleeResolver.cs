using System.Collections.Generic;
using System.Linq;
using System.Text;
using AutoGrad.Generator.Common;
using AutoGrad.Generator.Model;
using Microsoft.CodeAnalysis;

namespace AutoGrad.Generator.Parsing;

/// <summary>
/// Recognises methods that differentiable code can call — [Differentiable] ones and ones with [CustomPullback] —
/// and checks custom pullbacks against the shape in docs/contracts.md. Tensor ops are found the same way.
/// </summary>
internal static class CalleeResolver
{
    public const string DifferentiableAttribute = "AutoGrad.DifferentiableAttribute";
    public const string NoGradAttribute = "AutoGrad.NoGradAttribute";
    public const string CustomPullbackAttribute = "AutoGrad.CustomPullbackAttribute";

    public static bool HasAttribute(ISymbol symbol, string metadataName) =>
        symbol.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == metadataName);

    public static bool IsCallerInfo(IParameterSymbol p) =>
        p.GetAttributes().Any(a => a.AttributeClass is { ContainingNamespace: { } ns } c &&
                                   ns.ToDisplayString() == "System.Runtime.CompilerServices" &&
                                   c.Name.StartsWith("Caller", System.StringComparison.Ordinal));

    /// <summary>The primal's parameters that a pullback mirrors: all but caller-info parameters.</summary>
    public static IEnumerable<IParameterSymbol> PrimalParameters(IMethodSymbol method) =>
        method.Parameters.Where(p => !IsCallerInfo(p));

    public static bool IsDifferentiableParameter(IParameterSymbol p) =>
        TypeMapper.Map(p.Type).IsDifferentiable && !HasAttribute(p, NoGradAttribute) && p.RefKind == RefKind.None;

    /// <summary>A callee model, or null when the method has no derivative. <paramref name="error"/> explains a bad pullback.</summary>
    public static CalleeSpec? Resolve(IMethodSymbol method, out string? error)
    {
        error = null;
        method = method.ReducedFrom ?? method;
        // The type as the call names it (Gen<int>.In), not as declared (Gen<T>.In), whose T the caller does not have.
        string containing = method.ContainingType.ToDisplayString(TypeMapper.QualifiedFormat);
        method = method.OriginalDefinition;
        var parameters = PrimalParameters(method)
            .Select(p => new CalleeParameterSpec(p.Name, TypeMapper.Map(p.Type), IsDifferentiableParameter(p), FanInAxisOf(p)))
            .ToEquatableArray();
        TypeRef returnType = TypeMapper.Map(method.ReturnType);

        AttributeData? custom = method.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == CustomPullbackAttribute);
        if (custom is not null)
        {
            PullbackShape? shape = CheckCustomPullback(method, custom, out error);
            if (shape is null) return null;
            return new CalleeSpec(containing, method.Name, shape.Pullback, shape.ForwardInto, shape.TakesResult,
                shape.StateType, shape.TakesSite, parameters, returnType, ActivationOf(method), shape.IntoTakesActivationReading,
                shape.GradientReadingNames, shape.ResultReadingName, shape.IntoKeepsTransposed,
                ContinuesLayer: method.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "AutoGrad.Probes.ProbeContinuesLayerAttribute"));
        }
        if (HasAttribute(method, DifferentiableAttribute))
        {
            return new CalleeSpec(containing, method.Name, method.Name + "Pullback", null, false, null, false, parameters, returnType);
        }
        return null;
    }

    /// <summary>From <c>[FanIn(axis)]</c> on an op's parameter; 1 (the <c>[out, in]</c> layout) without it.</summary>
    private static int FanInAxisOf(IParameterSymbol parameter)
    {
        AttributeData? a = parameter.GetAttributes().FirstOrDefault(x => x.AttributeClass?.ToDisplayString() == "AutoGrad.Probes.FanInAttribute");
        return a is { ConstructorArguments.Length: 1 } && a.ConstructorArguments[0].Value is int axis && axis is 0 or 1 ? axis : 1;
    }

    /// <summary>
    /// The activation a fused op applies when it is named by a constant argument: an enum parameter whose member names an
    /// op of the same class with <c>[ProbeActivation]</c> (<c>Nn.LinearActivation(x, w, b, FusedActivation.Relu)</c> is a
    /// ReLU layer, as <c>Nn.Relu(Nn.Linear(x, w, b))</c> is). Null when no argument does.
    /// </summary>
    public static ActivationSpec? ActivationArgument(IMethodSymbol method, System.Collections.Generic.IReadOnlyList<object?> constantArguments)
    {
        // Only a fused op (one marked [FusionOf]) names its activation by an argument: a user op whose enum member
        // happens to share a name with a [ProbeActivation] op is no activation layer (review helper-83).
        if (!method.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "AutoGrad.FusionOfAttribute")) return null;
        for (int i = 0; i < method.Parameters.Length && i < constantArguments.Count; i++)
        {
            if (method.Parameters[i].Type is not INamedTypeSymbol { TypeKind: TypeKind.Enum } enumType || constantArguments[i] is null) continue;
            string? member = enumType.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(f => f.HasConstantValue && Equals(f.ConstantValue, constantArguments[i]))?.Name;
            if (member is null) continue;
            foreach (IMethodSymbol op in method.ContainingType.GetMembers(member).OfType<IMethodSymbol>())
            {
                if (ActivationOf(op) is { } activation) return activation;
            }
        }
        return null;
    }

    private static ActivationSpec? ActivationOf(IMethodSymbol method)
    {
        AttributeData? a = method.GetAttributes().FirstOrDefault(x => x.AttributeClass?.ToDisplayString() == "AutoGrad.Probes.ProbeActivationAttribute");
        if (a is null || a.ConstructorArguments.Length != 2) return null;
        string kind = a.ConstructorArguments[0].Type is INamedTypeSymbol enumType
            ? enumType.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(f => f.HasConstantValue && Equals(f.ConstantValue, a.ConstructorArguments[0].Value))?.Name ?? "None"
            : "None";
        return new ActivationSpec(kind, a.ConstructorArguments[1].Value as string ?? kind);
    }

    private sealed record PullbackShape(string Pullback, string? ForwardInto, bool TakesResult, string? StateType, bool TakesSite)
    {
        /// <summary>The ForwardInto method's last parameter is an <c>ActivationReading</c>: the op counts saturated or
        /// dead units itself, in the pass that produces them, and the generated code passes it the probe site.</summary>
        public bool IntoTakesActivationReading { get; init; }

        /// <summary>
        /// ForwardInto has an overload that also keeps the result's feature-major copy and reads its input's:
        /// <c>(ref Tensor? result, ref Tensor? resultTransposed, Tensor x, Tensor? xTransposed, …the rest as the
        /// other)</c>. The generator calls it between such ops (a chain of fused layers).
        /// </summary>
        public bool IntoKeepsTransposed { get; init; }

        /// <summary>The names of the pullback's trailing <c>GradientReading</c> parameters, one per gradient it
        /// computes (empty when it has none): it reads those gradients itself, in the pass that writes them, when the
        /// generated code passes a probe site.</summary>
        public EquatableArray<string> GradientReadingNames { get; init; }

        /// <summary>The name of the pullback's <c>GradientReading</c> for the result's adjoint (before the gradients'),
        /// or null: it reads the adjoint it consumes in the pass that consumes it.</summary>
        public string? ResultReadingName { get; init; }
    }

    /// <summary>Whether <paramref name="symbol"/> is <c>[Obsolete(..., true)]</c>: a call to it does not compile (CS0619).</summary>
    public static bool IsObsoleteError(ISymbol symbol) =>
        symbol.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "System.ObsoleteAttribute" &&
                                        a.ConstructorArguments.Length == 2 && a.ConstructorArguments[1].Value is true);

    /// <summary>
    /// The methods generated code calls for a [CustomPullback] op: the pullback overload the registration matched, and
    /// the ForwardInto overloads it uses. Empty for other methods or a registration that does not match.
    /// </summary>
    public static IReadOnlyList<IMethodSymbol> CustomPullbackMethods(IMethodSymbol method)
    {
        IMethodSymbol primal = (method.ReducedFrom ?? method).OriginalDefinition;
        AttributeData? custom = primal.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == CustomPullbackAttribute);
        var used = new List<IMethodSymbol>();
        if (custom is null || CheckCustomPullback(primal, custom, out _, used) is null) return System.Array.Empty<IMethodSymbol>();
        return used;
    }

    /// <summary>Validates a [CustomPullback] registration; returns null with a reason when it does not match.</summary>
    /// <param name="primal">The op.</param>
    /// <param name="attribute">Its [CustomPullback].</param>
    /// <param name="error">Why it does not match.</param>
    /// <param name="used">Receives the pullback overload that matched and the ForwardInto overloads generated code calls.</param>
    private static PullbackShape? CheckCustomPullback(IMethodSymbol primal, AttributeData attribute, out string? error, List<IMethodSymbol>? used = null)
    {
        error = null;
        string? pullbackName = attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as string : null;
        string? intoName = attribute.NamedArguments.FirstOrDefault(a => a.Key == "ForwardInto").Value.Value as string;
        if (string.IsNullOrEmpty(pullbackName))
        {
            error = "no pullback method name was given";
            return null;
        }
        if (primal.ContainingType.Name.Length == 0)
        {
            // A C# 14 extension block's member: its containing type has no name, and its receiver is no parameter of the
            // method, so no pullback signature could give it a gradient.
            error = "a member of an extension block cannot have a [CustomPullback]; declare it as a static method of the class " +
                "(a classic extension method, with 'this' on its first parameter)";
            return null;
        }
        IMethodSymbol[] candidates = primal.ContainingType.GetMembers(pullbackName!).OfType<IMethodSymbol>().Where(m => m.IsStatic).ToArray();
        if (candidates.Length == 0)
        {
            error = primal.ContainingType.GetMembers(pullbackName!).OfType<IMethodSymbol>().Any()
                ? $"'{pullbackName}' in '{primal.ContainingType.Name}' is not static; make it static"
                : $"there is no static method named '{pullbackName}' in '{primal.ContainingType.Name}'" +
                  // A referenced assembly shows only what this one may call: an internal pullback is simply not there.
                  (primal.Locations.All(l => l.IsInMetadata)
                      ? $" that this assembly can call ('{primal.ContainingType.Name}' is in another assembly, whose pullbacks must be public, or internal with InternalsVisibleTo)"
                      : "");
            return null;
        }

        string? stateType = null;
        bool intoTakesReading = false, keepsTransposed = false;
        if (intoName is not null)
        {
            IMethodSymbol[] intos = primal.ContainingType.GetMembers(intoName).OfType<IMethodSymbol>().Where(m => m.IsStatic)
                .OrderBy(m => m.Parameters.Length).ToArray();
            IMethodSymbol? into = intos.FirstOrDefault();
            if (into is null)
            {
                error = $"there is no static method named '{intoName}' (ForwardInto) in '{primal.ContainingType.Name}'";
                return null;
            }
            // The feature-major overload only where callers of the op can call it too: a private one is the op's own
            // business, and chains then use the plain form (review helper-95: it made AG0019 for code that compiles).
            // Nor one obsolete as an error, which generated code could not call (CS0619).
            IMethodSymbol[] transposed = intos.Where(m => KeepsTransposed(into, m) && m.DeclaredAccessibility >= primal.DeclaredAccessibility && !IsObsoleteError(m)).ToArray();
            keepsTransposed = TypeMapper.IsTensor(primal.ReturnType) && transposed.Length > 0;
            used?.Add(into);
            if (keepsTransposed) used?.AddRange(transposed);
            intoTakesReading = into.Parameters.Length > 0 &&
                into.Parameters[into.Parameters.Length - 1].Type.ToDisplayString() == "AutoGrad.Probes.ActivationReading";
            int stateIndex = TypeMapper.IsTensor(primal.ReturnType) ? 1 : 0;
            if (into.Parameters.Length > stateIndex && into.Parameters[stateIndex].RefKind == RefKind.Ref &&
                !TypeMapper.IsTensor(into.Parameters[stateIndex].Type))
            {
                if (!into.Parameters[stateIndex].Type.IsReferenceType)
                {
                    // The workspace keeps it as 'State?', which for a struct is Nullable<State> (CS1503 in the generated file).
                    error = $"the state parameter '{into.Parameters[stateIndex].Name}' of '{intoName}' is a struct; make its type a class (docs/contracts.md)";
                    return null;
                }
                stateType = into.Parameters[stateIndex].Type.WithNullableAnnotation(NullableAnnotation.NotAnnotated)
                    .ToDisplayString(TypeMapper.QualifiedFormat);
            }
        }

        string? firstError = null;
        foreach (IMethodSymbol candidate in candidates)
        {
            PullbackShape? shape = Match(primal, candidate, pullbackName!, intoName, stateType, out string? reason);
            if (shape is not null)
            {
                used?.Add(candidate);
                return shape with { IntoTakesActivationReading = intoTakesReading, IntoKeepsTransposed = keepsTransposed };
            }
            firstError ??= reason;
        }
        error = firstError;
        return null;
    }

    /// <summary>
    /// <paramref name="overload"/> is <paramref name="into"/> with a <c>ref Tensor?</c> after its result and a
    /// <c>Tensor?</c> after its first tensor argument: the form that keeps and reads feature-major copies.
    /// </summary>
    private static bool KeepsTransposed(IMethodSymbol into, IMethodSymbol overload)
    {
        var a = into.Parameters;
        var b = overload.Parameters;
        if (b.Length != a.Length + 2 || a.Length < 2 || a[0].RefKind != RefKind.Ref || !TypeMapper.IsTensor(a[0].Type) ||
            !TypeMapper.IsTensor(a[1].Type) || a[1].RefKind != RefKind.None)
        {
            return false;
        }
        if (b[0].RefKind != RefKind.Ref || b[1].RefKind != RefKind.Ref || !TypeMapper.IsTensor(b[0].Type) || !TypeMapper.IsTensor(b[1].Type) ||
            !TypeMapper.IsTensor(b[2].Type) || !TypeMapper.IsTensor(b[3].Type) || b[2].RefKind != RefKind.None || b[3].RefKind != RefKind.None)
        {
            return false;
        }
        for (int i = 2; i < a.Length; i++)
        {
            if (!SymbolEqualityComparer.Default.Equals(a[i].Type.OriginalDefinition, b[i + 2].Type.OriginalDefinition)) return false;
        }
        return true;
    }

    private static PullbackShape? Match(IMethodSymbol primal, IMethodSymbol pullback, string name, string? intoName,
        string? stateType, out string? reason)
    {
        reason = null;
        IParameterSymbol[] primalParams = PrimalParameters(primal).ToArray();
        IParameterSymbol[] diff = primalParams.Where(IsDifferentiableParameter).ToArray();
        var actual = pullback.Parameters;
        // Optional trailing GradientReadings, one per gradient, optionally preceded by one for the result's adjoint:
        // the pullback reads the adjoint it consumes and the gradients it produces.
        int readings = 0;
        while (readings < actual.Length && actual[actual.Length - 1 - readings].Type.ToDisplayString() == GradientReadingType) readings++;
        bool takesResultReading = readings > 0 && readings == diff.Length + 1;
        bool takesReadings = readings > 0 && (readings == diff.Length || takesResultReading);
        string? resultReadingName = takesResultReading ? actual[actual.Length - readings].Name : null;
        EquatableArray<string> readingNames = takesReadings
            ? actual.Skip(actual.Length - readings + (takesResultReading ? 1 : 0)).Select(p => p.Name).ToEquatableArray()
            : default;
        if (takesReadings) actual = actual.RemoveRange(actual.Length - readings, readings);
        bool takesSite = actual.Length > 0 && actual[actual.Length - 1].Type.ToDisplayString() == "AutoGrad.OpSite";
        int fixedCount = primalParams.Length + 1 + diff.Length + (stateType is null ? 0 : 1) + (takesSite ? 1 : 0);
        bool takesResult = actual.Length == fixedCount + 1;
        if (actual.Length != fixedCount && !takesResult)
        {
            reason = $"it has {actual.Length} parameters";
            return null;
        }
        int i = 0;
        foreach (IParameterSymbol p in primalParams)
        {
            if (!SymbolEqualityComparer.Default.Equals(actual[i].Type, p.Type) || actual[i].RefKind != RefKind.None)
            {
                reason = $"parameter {i + 1} should be '{p.Type.ToDisplayString()} {p.Name}'";
                return null;
            }
            i++;
        }
        if (takesResult)
        {
            if (!SymbolEqualityComparer.Default.Equals(actual[i].Type, primal.ReturnType))
            {
                reason = $"parameter {i + 1} (the result) should have type '{primal.ReturnType.ToDisplayString()}'";
                return null;
            }
            i++;
        }
        if (stateType is not null)
        {
            // Generated code passes the saved state by value, of the type ForwardInto fills (helper-99: 'ref State' here
            // was CS1620 inside the generated file).
            if (actual[i].RefKind != RefKind.None ||
                actual[i].Type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(TypeMapper.QualifiedFormat) != stateType)
            {
                reason = $"parameter {i + 1} (the state '{intoName}' fills) should be '{stateType} {actual[i].Name}', passed by value";
                return null;
            }
            i++;
        }
        if (!SymbolEqualityComparer.Default.Equals(actual[i].Type, primal.ReturnType))
        {
            reason = $"parameter {i + 1} (the result's adjoint) should have type '{primal.ReturnType.ToDisplayString()}'";
            return null;
        }
        i++;
        foreach (IParameterSymbol p in diff)
        {
            if (!GradientMatches(p.Type, actual[i]))
            {
                reason = $"parameter {i + 1} should be the gradient of '{p.Name}': '{GradientSpelling(p.Type)}'";
                return null;
            }
            i++;
        }
        return new PullbackShape(name, intoName, takesResult, stateType, takesSite)
        {
            GradientReadingNames = readingNames,
            ResultReadingName = resultReadingName,
        };
    }

    private const string GradientReadingType = "AutoGrad.Probes.GradientReading";

    private static bool GradientMatches(ITypeSymbol primalType, IParameterSymbol gradient)
    {
        TypeRef t = TypeMapper.Map(primalType);
        TypeRef g = TypeMapper.Map(gradient.Type);
        if (t.IsRealScalar) return gradient.RefKind == RefKind.Ref && g.Shape == ShapeKind.Scalar && g.Element == t.Element;
        if (t.IsRealBuffer) return gradient.RefKind == RefKind.None && g.Shape == ShapeKind.Span && g.Element == t.Element;
        if (t.Shape == ShapeKind.Tensor) return gradient.RefKind == RefKind.None && gradient.Type.ToDisplayString() == "AutoGrad.GradTarget";
        return false;
    }

    private static string GradientSpelling(ITypeSymbol primalType)
    {
        TypeRef t = TypeMapper.Map(primalType);
        if (t.IsRealScalar) return "ref " + t.ElementKeyword;
        if (t.IsRealBuffer) return "Span<" + t.ElementKeyword + ">";
        return "GradTarget";
    }

    /// <summary>
    /// AG0019's closing ". Expected: static void P(...)", or nothing for an extension block's member, which can have no
    /// pullback at all (its error says what to write instead).
    /// </summary>
    public static string ExpectedClause(IMethodSymbol primal, string pullbackName) =>
        primal.ContainingType.Name.Length == 0 ? "" : ". Expected: " + ExpectedSignature(primal, pullbackName);

    /// <summary>The pullback signature a primal expects, spelled for diagnostics.</summary>
    private static string ExpectedSignature(IMethodSymbol primal, string pullbackName)
    {
        var sb = new StringBuilder("static void ").Append(pullbackName).Append('(');
        var parts = new List<string>();
        foreach (IParameterSymbol p in PrimalParameters(primal)) parts.Add(p.Type.ToDisplayString() + " " + p.Name);
        parts.Add("[" + primal.ReturnType.ToDisplayString() + " result]");
        parts.Add(primal.ReturnType.ToDisplayString() + " dResult");
        foreach (IParameterSymbol p in PrimalParameters(primal).Where(IsDifferentiableParameter))
        {
            parts.Add(GradientSpelling(p.Type) + " " + GradientName(p.Name));
        }
        return sb.Append(string.Join(", ", parts)).Append(')').ToString();
    }

    /// <summary><c>w</c> → <c>dW</c>: the name of a parameter's gradient.</summary>
    public static string GradientName(string parameterName) =>
        "d" + char.ToUpperInvariant(parameterName[0]) + parameterName.Substring(1);
}
