using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using AutoGrad.Generator.Common;
using AutoGrad.Generator.Emission;
using AutoGrad.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoGrad.Generator.Parsing;

/// <summary>
/// The parse stage: one [Differentiable] method's symbols and syntax in, an equatable <see cref="MethodSpec"/> and
/// diagnostics out. Never throws: an unexpected failure becomes AG9999.
/// </summary>
internal static class MethodParser
{
    public static ParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not IMethodSymbol method || context.TargetNode is not MethodDeclarationSyntax syntax)
        {
            return new ParseResult(null, NotAMethod(context.TargetNode));
        }
        try
        {
            return ParseMethod(context.SemanticModel, method, syntax, cancellationToken);
        }
        catch (SourceDoesNotCompileException)
        {
            // The compiler reports the real error; a gradient of code that does not compile would only add noise.
            return new ParseResult(null, EquatableArray<DiagnosticInfo>.Empty);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception ex)
        {
            return new ParseResult(null, EquatableArray.Of(
                DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, LocationInfo.From(syntax.Identifier.GetLocation()), method.Name, Describe(ex))));
        }
    }

    /// <summary>[Differentiable] on an operator, a conversion, a local function or an accessor: AG0023, not silence.</summary>
    private static EquatableArray<DiagnosticInfo> NotAMethod(SyntaxNode node)
    {
        (SyntaxToken? at, string what) = node switch
        {
            OperatorDeclarationSyntax o => ((SyntaxToken?)o.OperatorToken, "an operator"),
            ConversionOperatorDeclarationSyntax c => (c.ImplicitOrExplicitKeyword, "a conversion operator"),
            LocalFunctionStatementSyntax l => (l.Identifier, "a local function"),
            LambdaExpressionSyntax l => (l.ArrowToken, "a lambda"),
            AccessorDeclarationSyntax a => (a.Keyword, a.Parent?.Parent switch
            {
                EventDeclarationSyntax => "an event accessor",
                IndexerDeclarationSyntax => "an indexer accessor",
                _ => "a property accessor",
            }),
            ConstructorDeclarationSyntax c => (c.Identifier, "a constructor"),
            DestructorDeclarationSyntax d => (d.Identifier, "a finalizer"),
            _ => (null, string.Empty),
        };
        if (at is not { } token || node.ContainsDiagnostics) return EquatableArray<DiagnosticInfo>.Empty;
        return EquatableArray.Of(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedDeclaration, LocationInfo.From(token.GetLocation()),
            $"[Differentiable] is on {what}, which gets no gradient", "put the computation in a static method of the type and mark that method"));
    }

    public static string Describe(Exception ex)
    {
        string frame = ex.StackTrace?.Split('\n').FirstOrDefault()?.Trim() ?? string.Empty;
        return $"{ex.GetType().Name}: {ex.Message} {frame}".Trim();
    }

    private static ParseResult ParseMethod(SemanticModel model, IMethodSymbol method, MethodDeclarationSyntax syntax, CancellationToken ct)
    {
        bool bodyDoesNotCompile = false;
        if (DoesNotCompile(model, syntax, ct))
        {
            // The compiler's error says what is wrong. A gradient of the method would repeat it inside generated code,
            // and a diagnostic of ours on code that is half typed (an empty name, a missing operand) is only noise.
            // With the signature whole, it still gets its stub: callers of the gradient (another method's generated
            // pullback, a training loop) keep compiling while the body is being written.
            if (!SignatureBinds(method, syntax) || !ErrorsOnlyInBody(model, syntax, ct)) return new ParseResult(null, EquatableArray<DiagnosticInfo>.Empty);
            bodyDoesNotCompile = true;
        }
        var ctx = new ParseContext(model, method, ct);
        var (parameters, containing) = CheckDeclaration(ctx, method, syntax);
        TypeRef returnType = TypeMapper.Map(method.ReturnType);

        EquatableArray<Stmt> body = EquatableArray<Stmt>.Empty;
        if (!bodyDoesNotCompile)
        {
            body = new StatementParser(ctx).ParseBody(syntax);
            if (ctx.Prologue.Count > 0) body = ctx.Prologue.Concat(body).ToEquatableArray();
        }

        string? ns = method.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : null;
        var spec = new MethodSpec(
            ns,
            containing,
            method.Name,
            Accessibility(method),
            method.ContainingType.ToDisplayString(TypeMapper.QualifiedFormat) + "." + method.Name,
            returnType,
            parameters,
            ctx.Locals.ToEquatableArray(),
            body,
            syntax.SyntaxTree.FilePath,
            syntax.Identifier.GetLocation().GetLineSpan().StartLinePosition.Line + 1,
            LocationInfo.From(syntax.Identifier.GetLocation()),
            HintSuffix(method))
        {
            CarriedAttributes = UsageMarks.CarriedAttributes(method),
            ExperimentalIds = UsageMarks.ExperimentalIds(model, method, syntax, ct),
        };
        // An expression parsed twice (its type probed first) would report the same problem twice.
        return new ParseResult(spec, ctx.Diagnostics.Distinct().ToEquatableArray(), bodyDoesNotCompile, ctx.CallsMethodWithoutGradient);
    }

    private static System.Collections.Generic.List<string> DottedPath(ISymbol symbol)
    {
        var parts = new System.Collections.Generic.List<string>();
        for (ISymbol? s = symbol; s is INamedTypeSymbol or INamespaceSymbol { IsGlobalNamespace: false }; s = (ISymbol?)s.ContainingType ?? s.ContainingNamespace)
        {
            parts.Insert(0, s.Name);
        }
        return parts;
    }

    private static bool IsNamespace(INamespaceSymbol global, System.Collections.Generic.List<string> path)
    {
        INamespaceSymbol? current = global;
        foreach (string part in path)
        {
            current = current.GetNamespaceMembers().FirstOrDefault(n => n.Name == part);
            if (current is null) return false;
        }
        return true;
    }

    /// <summary>
    /// True when no C# error lies in the method's declaration (attributes, modifiers, return type, name, parameters),
    /// except the body's errors the compiler reports at the method's name (CS0161 "not all code paths return a value",
    /// CS1624 "cannot be an iterator"). Errors from the body on, including those reported at the next token when the
    /// body is unfinished, are the body's. An error in the declaration (a duplicate parameter, a type less accessible
    /// than the method) would be repeated in the stub.
    /// </summary>
    internal static bool ErrorsOnlyInBody(SemanticModel model, MethodDeclarationSyntax syntax, CancellationToken ct)
    {
        SyntaxNode? body = (SyntaxNode?)syntax.Body ?? syntax.ExpressionBody;
        if (body is null) return false;
        int bodyStart = body.SpanStart;
        return syntax.GetDiagnostics().Concat(model.GetDiagnostics(syntax.Span, ct))
            .Where(d => d.Severity == DiagnosticSeverity.Error && !d.IsWarningAsError)
            .All(d => d.Id is "CS0161" or "CS1624" || d.Location.SourceSpan.Start >= bodyStart);
    }

    /// <summary>The checks of everything but the body: signature, parameters, names the generator adds, containing types.</summary>
    private static (EquatableArray<ParameterSpec> Parameters, EquatableArray<ContainingTypeSpec> Containing) CheckDeclaration(
        ParseContext ctx, IMethodSymbol method, MethodDeclarationSyntax syntax)
    {
        CheckSignature(ctx, method, syntax);
        var parameters = ParseParameters(ctx, method, syntax);
        CheckGeneratedNames(ctx, method, syntax, parameters);
        return (parameters, ParseContainingTypes(ctx, method, syntax));
    }

    /// <summary>
    /// True when the generator writes something for the [Differentiable] <paramref name="method"/> (a gradient or its
    /// stub), so a caller's generated code may call its pullback: false when its declaration does not compile or has
    /// one of our declaration errors (an overload, a generated name taken, the attribute on a partial definition...),
    /// which leave it without members.
    /// </summary>
    internal static bool GetsGeneratedMembers(IMethodSymbol method, Compilation compilation, CancellationToken ct)
    {
        // A call binds to a partial method's definition. The generator reads the part that carries the attribute: the
        // implementation as it should be, or the definition, which gets AG0023 and nothing else.
        foreach (IMethodSymbol part in new[] { method.PartialDefinitionPart ?? method, method.PartialImplementationPart }.OfType<IMethodSymbol>().Distinct(SymbolEqualityComparer.Default).Cast<IMethodSymbol>())
        {
            foreach (SyntaxReference reference in part.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(ct) is not MethodDeclarationSyntax syntax) continue;
                SemanticModel model = compilation.GetSemanticModel(syntax.SyntaxTree);
                if (!CarriesDifferentiable(model, syntax, ct)) continue;
                if (DoesNotCompile(model, syntax, ct) && (!SignatureBinds(part, syntax) || !ErrorsOnlyInBody(model, syntax, ct))) return false;
                var ctx = new ParseContext(model, part, ct);
                CheckDeclaration(ctx, part, syntax);
                if (!StubWriter.CanStub(ctx.Diagnostics.Select(d => d.Id))) return false;
            }
        }
        return true;
    }

    private static bool CarriesDifferentiable(SemanticModel model, MethodDeclarationSyntax syntax, CancellationToken ct) =>
        syntax.AttributeLists.SelectMany(l => l.Attributes).Any(a =>
            model.GetSymbolInfo(a, ct).Symbol?.ContainingType?.ToDisplayString() == CalleeResolver.DifferentiableAttribute);

    /// <summary>
    /// True when the method's signature is whole: its return and parameter types bind and the parameter list parses.
    /// Then the errors are the body's (an undefined name, a missing operand, CS0161 "not all code paths return a
    /// value", reported at the method's name), and the stub can declare the gradient's members.
    /// </summary>
    internal static bool SignatureBinds(IMethodSymbol method, MethodDeclarationSyntax syntax)
    {
        static bool Whole(ITypeSymbol t) => t switch
        {
            IErrorTypeSymbol => false,
            IArrayTypeSymbol a => Whole(a.ElementType),
            INamedTypeSymbol n => n.TypeArguments.All(Whole),
            _ => true,
        };
        bool parsed = !syntax.ParameterList.ContainsDiagnostics && !syntax.ReturnType.ContainsDiagnostics &&
                      syntax.ParameterList.CloseParenToken.IsMissing == false;
        return parsed && Whole(method.ReturnType) && method.Parameters.All(p => Whole(p.Type));
    }

    private static bool DoesNotCompile(SemanticModel model, MethodDeclarationSyntax syntax, CancellationToken ct) =>
        // Errors only: a '#warning' in the body or a malformed doc comment is a syntax diagnostic too.
        (syntax.ContainsDiagnostics && syntax.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error && !d.IsWarningAsError)) ||
        model.GetDiagnostics(syntax.Span, ct).Any(d => d.Severity == DiagnosticSeverity.Error && !d.IsWarningAsError);

    /// <summary>
    /// "" unless another [Differentiable] method of the type, or another type or namespace around it, has a name that
    /// differs from this one's only in case; then a hash of the exact qualified name, so the hints stay apart.
    /// </summary>
    private static string HintSuffix(IMethodSymbol method)
    {
        // Names are compared before attributes are read: this runs for every method on every edit, and a type with
        // thousands of methods made the attribute reads quadratic.
        static bool Clash(ISymbol symbol, System.Collections.Generic.IEnumerable<ISymbol> siblings, bool differentiableOnly = false) =>
            siblings.Any(s => s.Name != symbol.Name && string.Equals(s.Name, symbol.Name, StringComparison.OrdinalIgnoreCase) &&
                              (!differentiableOnly || CalleeResolver.HasAttribute(s, CalleeResolver.DifferentiableAttribute)));
        bool clash = Clash(method, method.ContainingType.GetMembers().OfType<IMethodSymbol>(), differentiableOnly: true);
        for (ISymbol? s = method.ContainingType; s is INamedTypeSymbol or INamespaceSymbol { IsGlobalNamespace: false }; s = s.ContainingSymbol)
        {
            ISymbol? container = (ISymbol?)s.ContainingType ?? s.ContainingNamespace;
            if (container is INamespaceOrTypeSymbol parent) clash |= Clash(s, parent.GetMembers());
        }
        // A type whose dotted name is also a namespace's (class A in N, and namespace N.A): a method of B nested in the
        // type and one of class B in the namespace would get one hint, and two outputs of one hint fail the generator.
        for (INamedTypeSymbol? t = method.ContainingType; t is not null && !clash; t = t.ContainingType)
        {
            clash = IsNamespace(method.ContainingAssembly.GlobalNamespace, DottedPath(t));
        }
        if (!clash) return string.Empty;
        uint hash = 2166136261;
        foreach (char ch in method.ToDisplayString()) hash = (hash ^ ch) * 16777619;
        return "." + hash.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// AG0024: a member the generator adds is already declared, in the method's type or (accessible) in a base type,
    /// where the generated one would hide it (CS0108). The generator's own output is not in the compilation it reads,
    /// so anything found is the user's, except what a base type's [Differentiable] method of the same name will get.
    /// A method clashes with a generated method only with the same parameter types (an overload is fine); any member
    /// clashes with the generated property <c>ProbeLayout</c> and, in the type itself, the nested <c>Workspace</c>.
    /// </summary>
    private static void CheckGeneratedNames(ParseContext ctx, IMethodSymbol method, MethodDeclarationSyntax syntax, EquatableArray<ParameterSpec> parameters)
    {
        bool tensors = parameters.Any(p => p.Type.IsTensorLike);
        string[] own = parameters.Select(p => p.Type.Display).ToArray();
        // A by-reference parameter (out, ref, in: C# tells overloads apart by by-value against by-reference only) as '&'.
        string[] outputs = parameters.Where(p => p.IsDifferentiable).Select(p => p.Type.Shape switch
        {
            ShapeKind.Scalar => "&" + p.Type.Display,
            ShapeKind.Tensor or ShapeKind.TensorArray => p.Type.Display,
            _ => "global::System.Span<" + p.Type.ElementKeyword + ">",
        }).ToArray();
        var methods = new List<(string Name, string[] Types)>
        {
            (method.Name + "Gradient", own.Concat(outputs).ToArray()),
            (method.Name + "Gradient", own.Concat(outputs).Append("global::AutoGrad.Probes.GradientProbes").ToArray()),
        };
        if (!tensors)
        {
            methods.Add((method.Name + "Pullback", own.Append(method.ReturnType.ToDisplayString(TypeMapper.QualifiedFormat)).Concat(outputs).ToArray()));
        }
        // Tensor methods get one too when they have scalar statements; which they have is known only after the body is
        // parsed, so the name counts as taken for every method.
        methods.Add((method.Name + "NonFiniteOrigin", own.Append("global::AutoGrad.Probes.GradientProbes").ToArray()));
        // The type's own name (CS0542: a member named as its type) and its type parameters (CS0102) are taken too.
        INamedTypeSymbol container = method.ContainingType;
        IEnumerable<string> added = methods.Select(m => m.Name).Append(method.Name + "ProbeLayout");
        if (tensors) added = added.Append(method.Name + "Workspace");
        string? named = added.FirstOrDefault(n => n == container.Name || container.TypeParameters.Any(t => t.Name == n));
        if (named is not null)
        {
            ctx.Diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.GeneratedMemberNameTaken,
                LocationInfo.From(syntax.Identifier.GetLocation()), container.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat), named, method.Name));
            return;
        }
        for (INamedTypeSymbol? type = method.ContainingType; type is not null; type = type.BaseType)
        {
            bool isOwn = SymbolEqualityComparer.Default.Equals(type, method.ContainingType);
            string where = isOwn ? type.Name : $"{type.Name}, a base type of {method.ContainingType.Name},";
            bool Visible(ISymbol m) => isOwn || m.DeclaredAccessibility != Microsoft.CodeAnalysis.Accessibility.Private;
            string? taken = null;
            if (!isOwn && type.GetMembers(method.Name).OfType<IMethodSymbol>()
                    .Any(m => Visible(m) && CalleeResolver.HasAttribute(m, CalleeResolver.DifferentiableAttribute)))
            {
                taken = method.Name + "ProbeLayout"; // the base's own generated members, its probe layout at least
            }
            else if (type.GetMembers(method.Name + "ProbeLayout").Any(Visible))
            {
                taken = method.Name + "ProbeLayout";
            }
            else if (tensors && type.GetMembers(method.Name + "Workspace").Any(Visible))
            {
                taken = method.Name + "Workspace";
            }
            else
            {
                foreach ((string name, string[] types) in methods)
                {
                    bool clash = type.GetMembers(name).Any(m => Visible(m) && (m is not IMethodSymbol candidate ||
                        candidate.Parameters.Select(p => (p.RefKind == RefKind.None ? "" : "&") + p.Type.ToDisplayString(TypeMapper.QualifiedFormat))
                            .SequenceEqual(types)));
                    if (clash)
                    {
                        taken = name;
                        break;
                    }
                }
            }
            if (taken is null) continue;
            ctx.Diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.GeneratedMemberNameTaken,
                LocationInfo.From(syntax.Identifier.GetLocation()), where, taken, method.Name));
            return; // one is enough to say what to rename
        }
    }

    /// <summary>
    /// An interface with an 'in' or 'out' type parameter, or an interface nested in one (CS8427 holds for them too). A
    /// class or struct on the way up already has the compiler's CS8427, which this would only repeat.
    /// </summary>
    private static bool InVariantInterface(INamedTypeSymbol? type)
    {
        for (INamedTypeSymbol? t = type; t is not null && t.TypeKind == TypeKind.Interface; t = t.ContainingType)
        {
            if (t.TypeParameters.Any(p => p.Variance != VarianceKind.None)) return true;
        }
        return false;
    }

    private static void CheckSignature(ParseContext ctx, IMethodSymbol method, MethodDeclarationSyntax syntax)
    {
        if (InVariantInterface(method.ContainingType) && method.Parameters.Any(p => TypeMapper.Map(p.Type).IsTensorLike))
        {
            // A tensor method's gradient keeps its workspace in a nested class, which such an interface cannot declare (CS8427).
            ctx.Diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedDeclaration, LocationInfo.From(syntax.Identifier.GetLocation()),
                $"'{method.Name}' takes tensors in an interface with 'in' or 'out' type parameters, where its gradient's workspace class cannot be declared",
                "move the method to a static class (the interface's methods can call it)"));
        }
        if (!method.IsStatic)
        {
            ctx.Diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MethodNotStatic, LocationInfo.From(syntax.Identifier.GetLocation()), method.Name));
        }
        if (method.IsGenericMethod)
        {
            ctx.Diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.GenericMethod, LocationInfo.From(syntax.Identifier.GetLocation()), method.Name));
        }
        if (method.IsPartialDefinition)
        {
            ctx.Diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedDeclaration, LocationInfo.From(syntax.Identifier.GetLocation()),
                $"'{method.Name}' is the declaration of a partial method, which has no body to differentiate", "put [Differentiable] on its implementation (the part with the body)"));
        }
        if (syntax.Body is null && syntax.ExpressionBody is null && !method.IsPartialDefinition)
        {
            ctx.Diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedDeclaration, LocationInfo.From(syntax.Identifier.GetLocation()),
                $"'{method.Name}' has no body to differentiate (it is {(method.IsAbstract ? "abstract" : "extern")})",
                method.IsAbstract
                    ? "put [Differentiable] on a static method that has the computation"
                    : "write the computation in C#, or call it from a method that has a [CustomPullback]"));
        }
        if (method.ContainingType.GetMembers(method.Name).OfType<IMethodSymbol>()
                .Count(m => CalleeResolver.HasAttribute(m, CalleeResolver.DifferentiableAttribute)) > 1)
        {
            // The generated members are named after the method alone ({Method}ProbeLayout, its workspace, its file).
            ctx.Diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.OverloadedMethod, LocationInfo.From(syntax.Identifier.GetLocation()),
                method.Name, method.ContainingType.Name));
        }
        if (syntax.SyntaxTree.Options is CSharpParseOptions { LanguageVersion: < LanguageVersion.CSharp9 })
        {
            // Target-typed new() and 'is not' patterns in the generated code would not compile (CS8400, CS8370).
            ctx.Diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedDeclaration, LocationInfo.From(syntax.Identifier.GetLocation()),
                "the generated code needs C# 9 or later", "set <LangVersion> to 9 or later (the .NET 5+ default is already later)"));
        }
        if (syntax.Modifiers.Any(SyntaxKind.UnsafeKeyword))
        {
            ctx.Diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.Unsafe, LocationInfo.From(syntax.Identifier.GetLocation()), "unsafe " + method.Name));
        }
        TypeRef ret = TypeMapper.Map(method.ReturnType);
        if (!ret.IsRealScalar)
        {
            ctx.Diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedReturnType, LocationInfo.From(syntax.ReturnType),
                method.Name, method.ReturnType.ToDisplayString()));
        }
    }

    private static EquatableArray<ParameterSpec> ParseParameters(ParseContext ctx, IMethodSymbol method, MethodDeclarationSyntax syntax)
    {
        var result = new List<ParameterSpec>();
        var names = new HashSet<string>(method.Parameters.Select(p => p.Name));
        var gradients = new HashSet<string>();
        for (int i = 0; i < method.Parameters.Length; i++)
        {
            IParameterSymbol p = method.Parameters[i];
            ParameterSyntax ps = syntax.ParameterList.Parameters[i];
            bool noGrad = CalleeResolver.HasAttribute(p, CalleeResolver.NoGradAttribute);
            TypeRef type = TypeMapper.Map(p.Type, keepNullable: noGrad, ctx.Model.Compilation);
            if (p.RefKind != RefKind.None)
            {
                string kind = p.RefKind switch { RefKind.Out => "out", RefKind.In => "in", _ => "ref" };
                ctx.Diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.RefParameter, LocationInfo.From(ps), p.Name, kind));
            }
            else if (TypeMapper.IsObjectOrDynamic(p.Type))
            {
                ctx.Diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ObjectOrDynamic, LocationInfo.From(ps), p.Type.ToDisplayString() + " " + p.Name));
            }
            else if (TypeMapper.IsPointer(p.Type))
            {
                ctx.Diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.Unsafe, LocationInfo.From(ps), p.Type.ToDisplayString() + " " + p.Name));
            }
            else if (!noGrad && type.Shape == ShapeKind.Other)
            {
                ctx.Diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedParameterType, LocationInfo.From(ps), p.Name, p.Type.ToDisplayString()));
            }
            if (System.Array.IndexOf(GeneratedNames.All, p.Name) >= 0)
            {
                // Generated pullbacks and gradients take parameters with these names.
                ctx.Diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.GradientNameClash, LocationInfo.From(ps), p.Name, p.Name, "the generated gradient"));
            }
            else if (System.Array.IndexOf(GeneratedNames.MembersOf(method.Name), p.Name) >= 0)
            {
                // Generated code calls these members by simple name; the parameter would hide them.
                ctx.Diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.GradientNameClash, LocationInfo.From(ps), p.Name, p.Name, "the generated code"));
            }
            string? gradientName = null;
            if (!noGrad && p.RefKind == RefKind.None && type.IsDifferentiable)
            {
                gradientName = CalleeResolver.GradientName(p.Name);
                if (names.Contains(gradientName))
                {
                    ctx.Diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.GradientNameClash, LocationInfo.From(ps), p.Name, gradientName, "the gradient of '" + p.Name + "' and another parameter"));
                }
                else if (!gradients.Add(gradientName))
                {
                    // x and X both get dX.
                    ctx.Diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.GradientNameClash, LocationInfo.From(ps), p.Name, gradientName, "the gradient of another parameter"));
                }
            }
            result.Add(new ParameterSpec(p.Name, type, noGrad, gradientName));
        }
        return result.ToEquatableArray();
    }

    private static EquatableArray<ContainingTypeSpec> ParseContainingTypes(ParseContext ctx, IMethodSymbol method, MethodDeclarationSyntax syntax)
    {
        var chain = new List<ContainingTypeSpec>();
        for (SyntaxNode? node = syntax.Parent; node is not null; node = node.Parent)
        {
            if (node is not TypeDeclarationSyntax type) continue;
            if (type.Identifier.Text.Length == 0)
            {
                // A C# 14 extension block: the generated part has no type to be a part of.
                ctx.Diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedDeclaration, LocationInfo.From(syntax.Identifier.GetLocation()),
                    $"'{method.Name}' is declared in an extension block, which has no name the generated code could add to",
                    "declare it as a static method of a static partial class"));
                break;
            }
            if (!type.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                ctx.Diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TypeNotPartial, LocationInfo.From(type.Identifier.GetLocation()),
                    type.Identifier.Text, method.Name));
            }
            if (type.Modifiers.Any(SyntaxKind.FileKeyword))
            {
                // The generated part lives in a file of its own, and a file-local type cannot have parts in two files.
                ctx.Diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedDeclaration, LocationInfo.From(type.Identifier.GetLocation()),
                    $"'{type.Identifier.Text}' is a file-local type, whose generated part would have to be in this same file", "drop 'file' (make it internal)"));
            }
            string keyword = type switch
            {
                RecordDeclarationSyntax r => r.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) ? "record struct" : "record",
                StructDeclarationSyntax => "struct",
                InterfaceDeclarationSyntax => "interface",
                _ => "class",
            };
            string name = type.Identifier.Text + (type.TypeParameterList?.ToString() ?? string.Empty);
            chain.Insert(0, new ContainingTypeSpec(keyword, name, type.Modifiers.Any(SyntaxKind.StaticKeyword)));
        }
        return chain.ToEquatableArray();
    }

    private static string Accessibility(IMethodSymbol method) => method.DeclaredAccessibility switch
    {
        Microsoft.CodeAnalysis.Accessibility.Public => "public",
        Microsoft.CodeAnalysis.Accessibility.Internal => "internal",
        Microsoft.CodeAnalysis.Accessibility.Protected => "protected",
        Microsoft.CodeAnalysis.Accessibility.ProtectedOrInternal => "protected internal",
        Microsoft.CodeAnalysis.Accessibility.ProtectedAndInternal => "private protected",
        _ => "private",
    };
}
