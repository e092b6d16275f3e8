using System;
using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generator.Common;
using AutoGrad.Generator.Model;
using static AutoGrad.Generator.Differentiation.Exprs;

namespace AutoGrad.Generator.Differentiation;

/// <summary>
/// The differentiate stage: a parsed method in, its adjoint program out. Pure: no Roslyn types, so it is
/// unit-testable and deterministic.
/// </summary>
/// <remarks>
/// Pipeline: unroll constant loops → turn jumps into flags → three-address form for tensor ops → activity analysis
/// → find what the reverse sweep reads → generate the forward sweep (the original code, saving what will be
/// overwritten) and the reverse sweep (adjoint statements in reverse order, restoring saved values). Values a
/// statement overwrites are saved in a local when the statement runs at most once, on a pooled tape inside loops.
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

    /// <summary>Adjoint buffers the gradient allocates for the method's own buffers (pooled or stackalloc'd).</summary>
    private readonly HashSet<string> _allocatedAdjointBuffers = new();

    /// <summary>Adjoint buffers some view (a slice, or another name) was declared on.</summary>
    private readonly HashSet<string> _viewedAdjointBuffers = new();
    private readonly HashSet<string> _assigned = new();
    private ActivityAnalysis _activity = null!;
    private ReverseReads _reverseReads = null!;
    private VariableExpr _result = null!;
    private IReadOnlyList<Stmt> _body = null!;
    private readonly HashSet<string> _recomputed = new();

    /// <summary>Temporaries of lowered ?:, &amp;&amp; and || (TensorLowering): the user's code has no such variable to probe.</summary>
    private HashSet<string> _guardTemporaries = new();
    private LoopStmt? _jointLoop;
    private readonly HashSet<Stmt> _forwardOnly = new(ReferenceComparer<Stmt>.Instance);
    private readonly Stack<(IReadOnlyList<Stmt> Block, int Index)> _path = new();
    private readonly HashSet<string> _reconstructed = new();
    private List<CodeStmt> _nonFiniteOrigin = new();
    private List<TensorArrayCount> _tensorArrayCounts = new();

    /// <summary>Assignments overwritten before anything reads them: no reverse step (<see cref="DeadStores"/>).</summary>
    private HashSet<Stmt> _deadStores = new(ReferenceComparer<Stmt>.Instance);

    /// <summary>Each name of a written local array with views, mapped to one name for all (<see cref="ViewAliasing"/>).</summary>
    private Dictionary<string, string> _bufferRoots = new();

    private Differentiator(MethodSpec spec)
    {
        _spec = spec;
        _names = new NameAllocator(spec.Parameters.Select(p => p.Name)
            .Concat(spec.Parameters.Where(p => p.GradientName is not null).Select(p => p.GradientName!))
            .Concat(spec.Locals.Select(l => l.Name))
            .Concat(GeneratedNames.All)
            .Concat(GeneratedNames.MembersOf(spec.Name)));
    }

    public static (AdjointMethod? Method, EquatableArray<DiagnosticInfo> Diagnostics) Differentiate(MethodSpec spec)
    {
        var d = new Differentiator(spec);
        EquatableArray<CodeStmt> body = d.Run();
        var diagnostics = d._diagnostics.Distinct().ToEquatableArray();
        AdjointMethod? method = diagnostics.IsEmpty
            ? new AdjointMethod(spec, body, d._tensorMode, d._workspace.ToEquatableArray(), d._probes.ToEquatableArray(), d._nonFiniteOrigin.ToEquatableArray(),
                d._tensorArrayCounts.ToEquatableArray())
            : null;
        return (method, diagnostics);
    }

    private EquatableArray<CodeStmt> Run()
    {
        EquatableArray<Stmt> unrolled = LoopUnroller.Unroll(_spec.Body);
        (EquatableArray<Stmt> normalized, JumpNormalizer normalizer) = JumpNormalizer.Normalize(unrolled, _spec.ReturnType, _names);
        (EquatableArray<Stmt> body, TensorLowering lowering) = TensorLowering.Lower(normalized, _names);
        _guardTemporaries = lowering.GuardTemporaries;
        // Once per loop as written: the copies of an unrolled loop repeat it, each with its counter's value noted.
        foreach (SourceInfo loop in lowering.OpsInLoopConditions.GroupBy(l => l.Location).Select(g => g.First()))
        {
            int note = loop.Text.IndexOf("  [", System.StringComparison.Ordinal);
            Report(DiagnosticDescriptors.UnsupportedStatement, loop.Location, note > 0 ? loop.Text.Substring(0, note) : loop.Text,
                "a tensor op in a loop's condition is not supported; compute the condition into a bool where the loop tests it " +
                "(before a while or for loop, and at the end of the body) and test that ('bool more = Nn.Mean(h) < 10f; " +
                "while (t < max && more) { ...; more = Nn.Mean(h) < 10f; }')");
        }
        _result = normalizer.Result;
        _opResults = lowering.OpResults;
        List<LocalSpec> generated = normalizer.Locals.Concat(lowering.Temporaries).ToList();

        foreach (ParameterSpec p in _spec.Parameters) _types[p.Name] = p.Type;
        foreach (LocalSpec l in _spec.Locals.Concat(generated)) _types[l.Name] = l.Type;
        _tensorMode = _types.Values.Any(t => t.IsTensorLike);
        if (_tensorMode) _chain = FindChains(body);
        if (_tensorMode) CheckSpansOfReassignedTensors(body);

        _body = body;
        if (_tensorMode)
        {
            FindArraysReadByRunTimeIndex(body);
            CountParameterUses(body, inLoop: false);
            FindParametersReadOutsideOps(body);
            _tensorArrayCounts = TensorArrayCounts.Find(body, _spec.Parameters);
        }
        _activity = ActivityAnalysis.Run(body, _spec.Parameters, _result);
        _bufferRoots = ViewAliasing.Roots(body);
        _deadStores = DeadStores.Find(body, _bufferRoots);
        _reverseReads = ReverseReads.Compute(body, _activity, _bufferRoots);
        CheckOpaqueMemoryWrites(body);
        foreach (ParameterSpec p in _spec.Parameters) _assigned.Add(p.Name);

        _adjoints[_result.Name] = "dResult";
        foreach (ParameterSpec p in _spec.Parameters.Where(p => p.IsDifferentiable && p.Type.IsRealBuffer))
        {
            _adjoints[p.Name] = p.GradientName!;
        }
        if (!_tensorMode)
        {
            // Scalar methods: one probe site per differentiable parameter, recorded by the emitted gradient method. All
            // at depth 0: parameters of a scalar function are not layers, and one per depth had the monitor fit a
            // depth factor across them ("shrinks ×0.024 per layer toward the input") and compare dA with dW by the
            // layer-ratio rules. Each is still classified on its own readings.
            foreach (ParameterSpec p in _spec.Parameters.Where(p => p.IsDifferentiable))
            {
                AddSite(p.Name, "Parameter", 0, "None", _spec.Line, false);
            }
        }

        (List<CodeStmt> forward, List<CodeStmt> reverse) = Block(body, loopDepth: 0);
        _nonFiniteOrigin = NeedsNonFiniteOrigin(body) ? NonFiniteOriginBody(body, _spec.Locals.Concat(generated)) : new List<CodeStmt>();

        var core = new List<CodeStmt> { new CodeComment("Forward sweep: the original computation, saving values the reverse sweep needs.") };
        var entryValues = new Dictionary<string, VariableExpr>();
        if (_tensorMode && _nonFiniteOrigin.Count > 0)
        {
            // The checked copy reruns the method from its arguments: keep those the forward sweep overwrites.
            var written = new HashSet<string>();
            foreach (Stmt s in body) StmtQueries.Written(s, written);
            foreach (ParameterSpec p in _spec.Parameters.Where(p => p.Type.Shape == ShapeKind.Scalar && written.Contains(p.Name)))
            {
                VariableExpr saved = Var(_names.Name("_entry_" + p.Name), p.Type);
                core.Add(new CodeDeclare(p.Type.Display, saved.Name, Var(p.Name, p.Type)));
                entryValues[p.Name] = saved;
            }
        }
        core.AddRange(forward);
        if (_tensorMode) core.AddRange(_nonFiniteOrigin.Count > 0 ? new List<CodeStmt> { NonFiniteOriginCall(entryValues) } : NonFiniteDiagnosis());
        core.Add(new CodeBlank());
        core.Add(new CodeComment("Reverse sweep: adjoints in reverse order, seeded with dResult."));
        core.AddRange(reverse);
        if (_tensorMode)
        {
            core.AddRange(TensorEpilogue());
        }
        else
        {
            foreach (ParameterSpec p in _spec.Parameters.Where(p => p.IsDifferentiable && p.Type.IsRealScalar && _activity.IsActive(p.Name)))
            {
                core.Add(new CodeAssign(Var(p.GradientName!, p.Type), Var(AdjointName(p.Name), p.Type), Accumulate: true));
            }
        }
        core.Add(new CodeReturn(_result));
        if (!_tensorMode)
        {
            var scalarAdjoints = new HashSet<string>(_adjoints
                .Where(a => a.Value != "dResult" && _types.TryGetValue(a.Key, out TypeRef? t) && t.IsRealScalar)
                .Select(a => a.Value));
            core = DeadAdjoints.Remove(core, scalarAdjoints);
        }

        var referenced = new HashSet<string>();
        CodeWalker.CollectNames(core, referenced);
        var output = new List<CodeStmt>();
        if (_tensorMode) output.AddRange(TensorPrologue(referenced));
        output.AddRange(LocalDeclarations(referenced, generated));
        foreach (CodeStmt h in _hoisted)
        {
            if (h is CodeDeclare decl && referenced.Contains(decl.Name)) output.Add(h);
        }
        foreach (KeyValuePair<string, string> tape in _tapes)
        {
            // Spelled out, not 'var': a user type named 'var' in scope would be the declared type (CS0029).
            string tapeType = "global::AutoGrad.Internal.Tape<" + tape.Key + ">";
            output.Add(new CodeDeclare(tapeType, tape.Value, Static("new " + tapeType, TypeRef.Int)));
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
        List<CodeStmt> coalesced = AccumulationCoalescer.Coalesce(output, AliasedNames());
        var privateBuffers = new HashSet<string>(_allocatedAdjointBuffers.Except(_viewedAdjointBuffers));
        return LoopInvariantAccumulators.Hoist(coalesced, privateBuffers, _names).ToEquatableArray();
    }

    /// <summary>
    /// The names of written local arrays with views, primal and adjoint, each mapped to one name for its array (the
    /// adjoint's under a key of its own): a view's adjoint is the same view of the array's adjoint.
    /// </summary>
    private Dictionary<string, string> AliasedNames()
    {
        var names = new Dictionary<string, string>(_bufferRoots);
        foreach (KeyValuePair<string, string> member in _bufferRoots)
        {
            if (_adjoints.TryGetValue(member.Key, out string? adjoint)) names[adjoint] = "adjoint of " + member.Value;
        }
        return names;
    }

    /// <summary>Tensor methods: take this thread's workspace, bind gradient outputs, seed the reverse sweep.</summary>
    private IEnumerable<CodeStmt> TensorPrologue(HashSet<string> referenced)
    {
        yield return new CodeDeclare(MethodWorkspaceName, Ws.Name, new OpaqueValueExpr(MethodWorkspaceName + ".ForCurrentThread()", OpaqueType));
        yield return new CodeIf(Compare(BinaryOp.NotEqual, Probes, new LiteralExpr("null", OpaqueType)),
            EquatableArray.Of<CodeStmt>(new CodeExpression(Call(Probes, "Begin", TypeRef.Int))), EquatableArray<CodeStmt>.Empty);
        yield return new CodeDeclare(_spec.ReturnType.Display, "dResult", Lit(1, _spec.ReturnType));
        foreach (ParameterSpec p in _spec.Parameters.Where(p => p.IsDifferentiable))
        {
            if (p.Type.IsRealBuffer)
            {
                yield return new CodeExpression(Call(Var(p.GradientName!, p.Type), "Clear", TypeRef.Int));
            }
            else if (p.Type.Shape == ShapeKind.Tensor && referenced.Contains(AdjointName(p.Name)))
            {
                string field = AddField("Gradient_" + p.Name, "global::AutoGrad.Internal.AdjointSlot", "new()");
                yield return new CodeDeclare(SlotType.Display, AdjointName(p.Name), Field(field));
                yield return new CodeExpression(Call(Var(AdjointName(p.Name), SlotType), "Bind", TypeRef.Int, Var(p.GradientName!, p.Type)));
            }
            else if (p.Type.Shape == ShapeKind.TensorArray && referenced.Contains(AdjointName(p.Name)))
            {
                string field = AddField("Gradients_" + p.Name, "global::AutoGrad.Internal.AdjointSlot[]?", null);
                yield return new CodeDeclare(SlotArrayType.Display, AdjointName(p.Name),
                    Static("global::AutoGrad.Internal.AdjointSlots.Bind", SlotArrayType, new RefExpr(Field(field)), Var(p.GradientName!, p.Type)));
            }
        }
        // Every tensor local starts the reverse sweep with its own, empty adjoint.
        foreach (KeyValuePair<string, TypeRef> local in _types.Where(t => t.Value.Shape == ShapeKind.Tensor && !_spec.Parameters.Any(p => p.Name == t.Key)).OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            if (!_adjoints.TryGetValue(local.Key, out string? adjoint) || !referenced.Contains(adjoint)) continue;
            string own = _opResults.Contains(local.Key) ? OwnSlot(local.Key) : AddField("Final_" + local.Key.TrimStart('_'), "global::AutoGrad.Internal.AdjointSlot", "new()");
            yield return new CodeDeclare(SlotType.Display, adjoint, Field(own));
            yield return new CodeAssign(new OpaqueMemberExpr(Var(adjoint, SlotType), "Live", TypeRef.Bool), new LiteralExpr("false", TypeRef.Bool), false);
        }
    }

    /// <summary>Tensor methods: finish gradient outputs, record parameter probes, name where a NaN started.</summary>
    private IEnumerable<CodeStmt> TensorEpilogue()
    {
        var probeWork = new List<CodeStmt>();
        foreach (ParameterSpec p in _spec.Parameters.Where(p => p.IsDifferentiable))
        {
            bool active = _activity.IsActive(p.Name);
            switch (p.Type.Shape)
            {
                case ShapeKind.Scalar:
                    yield return new CodeAssign(Var(p.GradientName!, p.Type), active ? Var(AdjointName(p.Name), p.Type) : Lit(0, p.Type), false);
                    break;
                case ShapeKind.Tensor:
                    yield return active && _adjoints.ContainsKey(p.Name)
                        ? new CodeExpression(Call(Var(AdjointName(p.Name), SlotType), "Finish", TypeRef.Int))
                        : new CodeExpression(Call(Var(p.GradientName!, p.Type), "Clear", TypeRef.Int));
                    break;
                case ShapeKind.TensorArray:
                    if (active && _adjoints.ContainsKey(p.Name))
                    {
                        yield return new CodeExpression(Static("global::AutoGrad.Internal.AdjointSlots.Finish", TypeRef.Int, Var(AdjointName(p.Name), SlotArrayType)));
                    }
                    else
                    {
                        yield return new CodeExpression(Static("global::System.Array.ForEach", TypeRef.Int, Var(p.GradientName!, p.Type),
                            new OpaqueValueExpr("static t => t.Clear()", OpaqueType)));
                    }
                    break;
            }
        }
        foreach (KeyValuePair<string, int> site in _parameterSites)
        {
            if (_recordedEarly.Contains(site.Key)) continue;
            Expr read = _parameterReads[site.Key];
            Expr gradient = GradientOf(read);
            if (read is ElementExpr element && _arraysReadByRunTimeIndex.Contains(element.Buffer.Name))
            {
                // A Tensor[] read with a run-time index is one site for the whole array.
                probeWork.Add(new CodeFor(new CodeDeclare("int", "_i", Lit(0, TypeRef.Int)),
                    Compare(BinaryOp.Less, Var("_i", TypeRef.Int), new OpaqueValueExpr(ExpressionText(element.Buffer) + ".Length", TypeRef.Int)),
                    new CodeIncrement(Var("_i", TypeRef.Int), false),
                    EquatableArray.Of<CodeStmt>(new CodeExpression(Call(Probes, "RecordGradient", TypeRef.Int, Lit(site.Value, TypeRef.Int),
                        new OpaqueMemberExpr(new ElementExpr((VariableExpr)((ElementExpr)gradient).Buffer, Var("_i", TypeRef.Int), TypeRef.Tensor), "Span", OpaqueType))))));
            }
            else
            {
                probeWork.Add(new CodeExpression(Call(Probes, "RecordGradient", TypeRef.Int, Lit(site.Value, TypeRef.Int),
                    gradient.Type.IsTensorLike ? new OpaqueMemberExpr(gradient, "Span", OpaqueType) : gradient)));
            }
        }
        if (probeWork.Count > 0)
        {
            yield return new CodeIf(Compare(BinaryOp.NotEqual, Probes, new LiteralExpr("null", OpaqueType)), probeWork.ToEquatableArray(), EquatableArray<CodeStmt>.Empty);
        }
    }

    private static string ExpressionText(VariableExpr v) => v.Name;

    /// <summary>
    /// When the loss is not finite, walk the ops in forward order and name the first whose output is not finite,
    /// and whether the parameters it read were (culprit or propagator). Runs right after the forward sweep, while
    /// every output is still in the workspace (per iteration inside loops); costs nothing on healthy steps.
    /// </summary>
    private List<CodeStmt> NonFiniteDiagnosis()
    {
        var groups = new List<List<OpCheck>>();
        foreach (OpCheck c in _opChecks.Where(c => c.Outputs is not null && c.LoopDepth <= 1))
        {
            if (groups.Count > 0 && c.LoopDepth == 1 && groups[groups.Count - 1][0].Loop == c.Loop) groups[groups.Count - 1].Add(c);
            else groups.Add(new List<OpCheck> { c });
        }
        if (groups.Count == 0) return new List<CodeStmt>();
        // One flat check per op (or loop of ops) in forward order, each skipped once one has noted: nested as if/else,
        // a 256-layer stack made the generated file 56 MB, 1,540 blocks deep.
        var checks = new List<CodeStmt>();
        VariableExpr noted = Temp("_noted", TypeRef.Bool, new LiteralExpr("false", TypeRef.Bool), checks);
        CodeStmt markNoted = new CodeAssign(noted, new LiteralExpr("true", TypeRef.Bool), false);
        foreach (List<OpCheck> group in groups)
        {
            if (group[0].LoopDepth == 0)
            {
                OpCheck c = group[0];
                var note = new CodeExpression(Call(Probes, "NoteNonFinite", TypeRef.Int, Lit(c.Site, TypeRef.Int), InputsFinite(c)));
                Expr bad = Not(Finite(c.Outputs!));
                checks.Add(new CodeIf(checks.Count == 1 ? bad : And(Not(noted), bad), EquatableArray.Of<CodeStmt>(note, markNoted), EquatableArray<CodeStmt>.Empty));
                continue;
            }
            // Inside a loop: the op whose output went bad at the earliest iteration (ties: the earlier op).
            var block = new List<CodeStmt>();
            VariableExpr first = Temp("_firstBad", TypeRef.Int, new OpaqueValueExpr("int.MaxValue", TypeRef.Int), block);
            VariableExpr site = Temp("_badSite", TypeRef.Int, Lit(-1, TypeRef.Int), block);
            VariableExpr inputs = Temp("_badInputs", TypeRef.Bool, new LiteralExpr("true", TypeRef.Bool), block);
            foreach (OpCheck c in group)
            {
                VariableExpr at = Temp("_bad", TypeRef.Int, Static("global::AutoGrad.Internal.AdjointSlots.FirstNonFinite", TypeRef.Int, c.Outputs!), block);
                block.Add(new CodeIf(And(Compare(BinaryOp.GreaterOrEqual, at, Lit(0, TypeRef.Int)), Compare(BinaryOp.Less, at, first)),
                    EquatableArray.Of<CodeStmt>(
                        new CodeAssign(first, at, false),
                        new CodeAssign(site, Lit(c.Site, TypeRef.Int), false),
                        new CodeAssign(inputs, InputsFinite(c), false)),
                    EquatableArray<CodeStmt>.Empty));
            }
            block.Add(new CodeIf(Compare(BinaryOp.GreaterOrEqual, site, Lit(0, TypeRef.Int)),
                EquatableArray.Of<CodeStmt>(new CodeExpression(Call(Probes, "NoteNonFinite", TypeRef.Int, site, inputs)), markNoted),
                EquatableArray<CodeStmt>.Empty));
            checks.Add(checks.Count == 1 ? new CodeBlock(block.ToEquatableArray()) : new CodeIf(Not(noted), block.ToEquatableArray(), EquatableArray<CodeStmt>.Empty));
        }
        Expr resultFinite = Static(_spec.ReturnType.ElementKeyword + ".IsFinite", TypeRef.Bool, _result);
        return new List<CodeStmt>
        {
            new CodeIf(And(Compare(BinaryOp.NotEqual, Probes, new LiteralExpr("null", OpaqueType)), Not(resultFinite)),
                checks.ToEquatableArray(), EquatableArray<CodeStmt>.Empty),
        };
    }

    private static Expr InputsFinite(OpCheck c) =>
        c.Inputs.Count == 0 ? new LiteralExpr("true", TypeRef.Bool) : c.Inputs.Select(Finite).Aggregate(And);

    private static Expr Finite(Expr e) => e.Type.IsTensorLike
        ? Static("global::AutoGrad.Internal.AdjointSlots.AllFinite", TypeRef.Bool, e)
        : Static(e.Type.ElementKeyword + ".IsFinite", TypeRef.Bool, e);

    /// <summary>Declarations of the user's scalar locals, the generated flags and all adjoints that are used.</summary>
    private IEnumerable<CodeStmt> LocalDeclarations(HashSet<string> referenced, IEnumerable<LocalSpec> generated)
    {
        foreach (LocalSpec l in _spec.Locals.Concat(generated))
        {
            if (l.Type.IsBuffer || !referenced.Contains(l.Name)) continue;
            yield return new CodeDeclare(l.Type.Display, l.Name,
                new LiteralExpr(l.Type.Shape == ShapeKind.Scalar ? "default" : "default!", l.Type));
        }
        foreach (KeyValuePair<string, string> adjoint in _adjoints.OrderBy(a => a.Value, StringComparer.Ordinal))
        {
            TypeRef type = _types.TryGetValue(adjoint.Key, out TypeRef? t) ? t : _spec.ReturnType;
            if (adjoint.Value == "dResult" || type.IsBuffer || type.IsTensorLike || !referenced.Contains(adjoint.Value)) continue;
            yield return new CodeDeclare(type.Display, adjoint.Value, Lit(0, type));
        }
    }

    // The statement being differentiated: a diagnostic without a location of its own points there, not at the method.
    private LocationInfo? _statementLocation;

    private void Report(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, LocationInfo? location, params string[] args) =>
        _diagnostics.Add(DiagnosticInfo.Create(descriptor, location ?? _statementLocation ?? _spec.Location, args));

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
            // An identifier from the type's spelling: (double Sin, double Cos) and Gen<int> have characters names cannot.
            var spelled = new System.Text.StringBuilder("_tape_");
            foreach (char c in key.Replace("global::", string.Empty))
            {
                if (char.IsLetterOrDigit(c) || c == '_') spelled.Append(c);
                else if (spelled[spelled.Length - 1] != '_') spelled.Append('_');
            }
            name = _names.Name(spelled.ToString().TrimEnd('_'));
            _tapes[key] = name;
        }
        return name;
    }

    private VariableExpr Hoist(string preferred, TypeRef type, Expr? init = null)
    {
        var v = Var(_names.Name(preferred), type);
        _hoisted.Add(new CodeDeclare(type.Display, v.Name, init ?? new LiteralExpr(type.Shape == ShapeKind.Scalar ? "default" : "default!", type)));
        return v;
    }
}
