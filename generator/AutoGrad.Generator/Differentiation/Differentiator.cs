using System;
using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generator.Common;
using AutoGrad.Generator.Model;
using static AutoGrad.Generator.Differentiation.Exprs;

namespace AutoGrad.Generator.Differentiation;

/// <summary>
/// The differentiate stage: a parsed method in, its pullback as an <see cref="AdjointMethod"/> out. Pure: no Roslyn
/// types, so it is unit-testable and deterministic.
/// </summary>
/// <remarks>
/// Pipeline: unroll constant loops → turn jumps into flags → activity analysis → find what the reverse sweep reads
/// → generate the forward sweep (the original code, saving what will be overwritten) and the reverse sweep
/// (adjoint statements in reverse order, restoring saved values). Values a statement overwrites are saved in a
/// local when the statement runs at most once, on a pooled tape inside loops.
/// </remarks>
internal sealed partial class Differentiator
{
    private readonly MethodSpec _spec;
    private readonly NameAllocator _names;
    private readonly List<DiagnosticInfo> _diagnostics = new();
    private readonly Dictionary<string, TypeRef> _types = new();
    private readonly Dictionary<string, string> _adjoints = new();
    private readonly List<CodeStmt> _hoisted = new();
    private readonly SortedDictionary<string, string> _tapes = new(StringComparer.Ordinal);
    private readonly List<(string Pool, string Element)> _pools = new();
    private readonly HashSet<string> _assigned = new();
    private ActivityAnalysis _activity = null!;
    private HashSet<string> _reverseReads = null!;
    private VariableExpr _result = null!;

    private Differentiator(MethodSpec spec)
    {
        _spec = spec;
        _names = new NameAllocator(spec.Parameters.Select(p => p.Name)
            .Concat(spec.Parameters.Where(p => p.GradientName is not null).Select(p => p.GradientName!))
            .Concat(spec.Locals.Select(l => l.Name))
            .Concat(new[] { "dResult" }));
    }

    public static (AdjointMethod? Method, EquatableArray<DiagnosticInfo> Diagnostics) Differentiate(MethodSpec spec)
    {
        var d = new Differentiator(spec);
        EquatableArray<CodeStmt> body = d.Run();
        var diagnostics = d._diagnostics.Distinct().ToEquatableArray();
        return (diagnostics.IsEmpty ? new AdjointMethod(spec, body) : null, diagnostics);
    }

    private EquatableArray<CodeStmt> Run()
    {
        EquatableArray<Stmt> unrolled = LoopUnroller.Unroll(_spec.Body);
        (EquatableArray<Stmt> body, JumpNormalizer normalizer) = JumpNormalizer.Normalize(unrolled, _spec.ReturnType, _names);
        _result = normalizer.Result;

        foreach (ParameterSpec p in _spec.Parameters) _types[p.Name] = p.Type;
        foreach (LocalSpec l in _spec.Locals.Concat(normalizer.Locals)) _types[l.Name] = l.Type;

        _activity = ActivityAnalysis.Run(body, _spec.Parameters, _result);
        _reverseReads = ReverseReads.Compute(body, _activity);
        foreach (ParameterSpec p in _spec.Parameters) _assigned.Add(p.Name);

        _adjoints[_result.Name] = "dResult";
        foreach (ParameterSpec p in _spec.Parameters.Where(p => p.IsDifferentiable && p.Type.IsRealBuffer))
        {
            _adjoints[p.Name] = p.GradientName!;
        }

        (List<CodeStmt> forward, List<CodeStmt> reverse) = Block(body, loopDepth: 0);

        var core = new List<CodeStmt> { new CodeComment("Forward sweep: the original computation, saving values the reverse sweep needs.") };
        core.AddRange(forward);
        core.Add(new CodeBlank());
        core.Add(new CodeComment("Reverse sweep: adjoints in reverse order, seeded with dResult."));
        core.AddRange(reverse);
        foreach (ParameterSpec p in _spec.Parameters.Where(p => p.IsDifferentiable && p.Type.IsRealScalar && _activity.IsActive(p.Name)))
        {
            core.Add(new CodeAssign(Var(p.GradientName!, p.Type), Var(AdjointName(p.Name), p.Type), Accumulate: true));
        }
        core.Add(new CodeReturn(_result));

        var referenced = new HashSet<string>();
        CodeWalker.CollectNames(core, referenced);
        var output = new List<CodeStmt>();
        output.AddRange(LocalDeclarations(referenced, normalizer.Locals));
        foreach (CodeStmt h in _hoisted)
        {
            if (h is CodeDeclare decl && referenced.Contains(decl.Name)) output.Add(h);
        }
        foreach (KeyValuePair<string, string> tape in _tapes)
        {
            output.Add(new CodeDeclare("var", tape.Value, Static("new global::AutoGrad.Internal.Tape<" + tape.Key + ">", TypeRef.Int)));
        }
        if (_tapes.Count == 0 && _pools.Count == 0)
        {
            output.AddRange(core);
        }
        else
        {
            var cleanup = new List<CodeStmt>();
            foreach (string tape in _tapes.Values) cleanup.Add(new CodeExpression(Call(Var(tape, TypeRef.Int), "Dispose", TypeRef.Int)));
            foreach ((string pool, string element) in _pools)
            {
                cleanup.Add(new CodeIf(Compare(BinaryOp.NotEqual, Var(pool, TypeRef.Int), new LiteralExpr("null", TypeRef.Int)),
                    EquatableArray.Of<CodeStmt>(new CodeExpression(Static("global::System.Buffers.ArrayPool<" + element + ">.Shared.Return", TypeRef.Int, Var(pool, TypeRef.Int)))),
                    EquatableArray<CodeStmt>.Empty));
            }
            output.Add(new CodeTryFinally(core.ToEquatableArray(), cleanup.ToEquatableArray()));
        }
        return output.ToEquatableArray();
    }

    /// <summary>Declarations of the user's scalar locals, the generated flags and all adjoints that are used.</summary>
    private IEnumerable<CodeStmt> LocalDeclarations(HashSet<string> referenced, IEnumerable<LocalSpec> generated)
    {
        foreach (LocalSpec l in _spec.Locals.Concat(generated))
        {
            if (l.Type.IsBuffer || !referenced.Contains(l.Name)) continue;
            yield return new CodeDeclare(l.Type.Display, l.Name, new LiteralExpr("default", l.Type));
        }
        foreach (KeyValuePair<string, string> adjoint in _adjoints.OrderBy(a => a.Value, StringComparer.Ordinal))
        {
            TypeRef type = _types.TryGetValue(adjoint.Key, out TypeRef? t) ? t : _spec.ReturnType;
            if (adjoint.Value == "dResult" || type.IsBuffer || !referenced.Contains(adjoint.Value)) continue;
            yield return new CodeDeclare(type.Display, adjoint.Value, Lit(0, type));
        }
    }

    private void Report(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, LocationInfo? location, params string[] args) =>
        _diagnostics.Add(DiagnosticInfo.Create(descriptor, location ?? _spec.Location, args));

    private string AdjointName(string variable)
    {
        if (_adjoints.TryGetValue(variable, out string? name)) return name;
        name = _names.Name("_d_" + variable.TrimStart('_'));
        _adjoints[variable] = name;
        return name;
    }

    /// <summary>The adjoint of a scalar variable, or of a buffer (a span).</summary>
    private VariableExpr AdjointVariable(VariableExpr v) =>
        Var(AdjointName(v.Name), v.Type.IsBuffer ? TypeRef.SpanOf(v.Type.Element) : v.Type);

    private Expr AdjointOf(Expr target) => target switch
    {
        VariableExpr v => AdjointVariable(v),
        ElementExpr e => new ElementExpr(AdjointVariable(e.Buffer), e.Index, e.Type),
        _ => throw new InvalidOperationException("Unexpected assignment target of kind " + target.GetType().Name),
    };

    private string Tape(TypeRef type)
    {
        string key = type.Shape == ShapeKind.Scalar ? type.Display : type.ElementKeyword;
        if (!_tapes.TryGetValue(key, out string? name))
        {
            name = _names.Name("_tape_" + key.Replace("global::", string.Empty).Replace('.', '_'));
            _tapes[key] = name;
        }
        return name;
    }

    private VariableExpr Hoist(string preferred, TypeRef type, Expr? init = null)
    {
        var v = Var(_names.Name(preferred), type);
        _hoisted.Add(new CodeDeclare(type.Display, v.Name, init ?? new LiteralExpr("default", type)));
        return v;
    }
}
