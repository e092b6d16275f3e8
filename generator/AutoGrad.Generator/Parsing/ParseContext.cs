using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using AutoGrad.Generator.Common;
using AutoGrad.Generator.Model;
using Microsoft.CodeAnalysis;

namespace AutoGrad.Generator.Parsing;

/// <summary>State shared by the parsers of one method: the semantic model, diagnostics and local names.</summary>
internal sealed class ParseContext
{
    private readonly Dictionary<ISymbol, string> _localNames = new(SymbolEqualityComparer.Default);
    private readonly HashSet<string> _usedNames = new(StringComparer.Ordinal);
    private readonly List<LocalSpec> _locals = new();
    private readonly Dictionary<ISymbol, VariableExpr> _staticBuffers = new(SymbolEqualityComparer.Default);

    public ParseContext(SemanticModel model, IMethodSymbol method, CancellationToken cancellationToken)
    {
        Model = model;
        Method = method;
        CancellationToken = cancellationToken;
        foreach (IParameterSymbol p in method.Parameters)
        {
            _usedNames.Add(p.Name);
            // The generated methods take the gradient parameters too (dX for x): a local or table named so would clash.
            if (p.Name.Length > 0) _usedNames.Add(CalleeResolver.GradientName(p.Name));
        }
        foreach (string generated in Common.GeneratedNames.All.Concat(Common.GeneratedNames.MembersOf(method.Name))) _usedNames.Add(generated);
    }

    public SemanticModel Model { get; }

    public IMethodSymbol Method { get; }

    public CancellationToken CancellationToken { get; }

    public List<DiagnosticInfo> Diagnostics { get; } = new();

    /// <summary>
    /// The method calls a [Differentiable] method that gets no generated members (its declaration does not compile or
    /// has one of our declaration errors): this one then gets only its stub, so its callers still find its pullback.
    /// </summary>
    public bool CallsMethodWithoutGradient { get; set; }

    public IReadOnlyList<LocalSpec> Locals => _locals;

    /// <summary>Statements that run before the method's body: the reads of the static buffers it indexes.</summary>
    public List<Stmt> Prologue { get; } = new();

    /// <summary>Nesting depth of loops and branches around the statement being parsed (0 = method top level).</summary>
    public int Depth { get; set; }

    public void Report(DiagnosticDescriptor descriptor, SyntaxNode node, params string[] args) =>
        Diagnostics.Add(DiagnosticInfo.Create(descriptor, LocationInfo.From(node), args));

    /// <summary>
    /// The unique name of a local. Locals are hoisted to the top of the generated method, so two locals that share
    /// a name in different scopes get distinct names (<c>t</c>, <c>t_1</c>).
    /// </summary>
    public string LocalName(ILocalSymbol local)
    {
        if (_localNames.TryGetValue(local, out string? name)) return name;
        name = local.Name;
        for (int i = 1; !_usedNames.Add(name); i++) name = local.Name + "_" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _localNames[local] = name;
        _locals.Add(new LocalSpec(name, TypeMapper.Map(local.Type)));
        return name;
    }

    /// <summary>
    /// The local that holds a static array or span of numbers the method reads (<c>Coeffs[i]</c>,
    /// <c>Coeffs.Length</c>): read once, at the top of the method, so the analyses see an ordinary buffer variable
    /// that never carries a derivative. <paramref name="code"/> is the qualified name the prologue reads.
    /// </summary>
    public VariableExpr StaticBuffer(ISymbol symbol, string code, TypeRef type, SourceInfo firstUse)
    {
        if (_staticBuffers.TryGetValue(symbol, out VariableExpr? existing)) return existing;
        string name = symbol.Name;
        for (int i = 1; !_usedNames.Add(name); i++) name = symbol.Name + "_" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _locals.Add(new LocalSpec(name, type));
        var variable = new VariableExpr(name, type);
        Prologue.Add(new AssignStmt(variable, new OpaqueValueExpr(code, type), IsDeclaration: true, firstUse));
        _staticBuffers[symbol] = variable;
        return variable;
    }
}

/// <summary>Thrown to abandon a method whose source does not compile: the compiler already reports why.</summary>
internal sealed class SourceDoesNotCompileException : Exception
{
}
