using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using AutoGrad.Generator.Common;
using AutoGrad.Generator.Model;
using static AutoGrad.Generator.Differentiation.Exprs;

namespace AutoGrad.Generator.Differentiation;

/// <summary>
/// Tensor code. Every op call site (after <see cref="TensorLowering"/>) writes into its own workspace slot with
/// the op's <c>Into</c> forward, and its pullback runs in the reverse sweep with <c>GradTarget</c>s that overwrite
/// an adjoint on its first contribution and accumulate afterwards (<c>AdjointSlot</c>). Inside loops with a run-time
/// trip count, outputs and saved state go to per-iteration slot tapes. Nothing here knows any particular op.
/// </summary>
internal sealed partial class Differentiator
{
    private static readonly TypeRef SlotType = new(ShapeKind.Other, ScalarKind.Other, "global::AutoGrad.Internal.AdjointSlot");
    private static readonly TypeRef SlotArrayType = new(ShapeKind.Other, ScalarKind.Other, "global::AutoGrad.Internal.AdjointSlot[]");
    private static readonly TypeRef GradTargetType = new(ShapeKind.Other, ScalarKind.Other, "global::AutoGrad.GradTarget");
    private static readonly TypeRef OpaqueType = new(ShapeKind.Other, ScalarKind.Other, "object");

    private readonly List<WorkspaceField> _workspace = new();
    private readonly Stack<List<CodeStmt>> _blockRestores = new();
    // Restores of ops with no pullback of their own (every input [NoGrad]) whose per-iteration output a pullback in the
    // same block reads: emitted only when the block has reverse code, so a loop with nothing to differentiate gets no
    // reverse loop just to pop them.
    private readonly Stack<List<CodeStmt>> _passiveRestores = new();
    private readonly List<ProbeSiteSpec> _probes = new();
    private readonly Dictionary<string, int> _parameterSites = new();
    private HashSet<string> _opResults = new();
    private bool _tensorMode;
    private int _layerDepth = -1;
    private int _siteCount;

    /// <summary>The workspace local of a tensor method.</summary>
    private static readonly VariableExpr Ws = new(GeneratedNames.Workspace, OpaqueType);

    /// <summary>The probes parameter of a tensor method's gradient.</summary>
    private const string ProbesName = GeneratedNames.Probes;

    private static readonly VariableExpr Probes = new(ProbesName, OpaqueType);

    private Expr Field(string name) => new OpaqueValueExpr("_ws." + name, OpaqueType);

    private string AddField(string preferred, string type, string? initializer, bool isStatic = false)
    {
        string name = _names.Name(preferred);
        _workspace.Add(new WorkspaceField(type, name, initializer, isStatic));
        return name;
    }

    private bool IsTensorOpStatement(AssignStmt s) =>
        s.Value is PrimitiveCallExpr { IsTensorOp: true } && s.Target is VariableExpr v && _opResults.Contains(v.Name);

    /// <summary>The adjoint slot of a tensor value read as an op argument: a variable or a <c>Tensor[]</c> element.</summary>
    private Expr TensorAdjoint(Expr tensor) => tensor switch
    {
        VariableExpr v => Var(AdjointName(v.Name), SlotType),
        ElementExpr e => new ElementExpr(Var(AdjointName(e.Buffer.Name), SlotArrayType), e.Index, SlotType),
        _ => throw new System.InvalidOperationException("Unexpected tensor argument of kind " + tensor.GetType().Name),
    };

    private Expr GradTargetFor(Expr argument) =>
        IsActiveHere(argument)
            ? Call(TensorAdjoint(argument), "Target", GradTargetType, argument)
            : new OpaqueValueExpr("global::AutoGrad.GradTarget.None", GradTargetType);

    /// <summary>
    /// Activity is flow-insensitive, but at the top level the generator knows what a tensor variable holds at
    /// each op: <c>var h = x;</c> with <c>x</c> data makes the first layer's input inactive there, so no gradient
    /// is computed for it (a whole product saved per step) even though later assignments make <c>h</c> active.
    /// </summary>
    private bool IsActiveHere(Expr tensor) =>
        _activity.IsActive(tensor) &&
        !(tensor is VariableExpr v && _tensorSource.TryGetValue(v.Name, out Expr? source) && !_activity.IsActive(source));

    /// <summary><c>_opK = Nn.Op(args)</c>: forward into the call site's slot; in reverse, the op's pullback.</summary>
    private (List<CodeStmt>, List<CodeStmt>) OpStatement(AssignStmt s, int loopDepth)
    {
        _statementLocation = s.Source.Location;
        var temp = (VariableExpr)s.Target;
        string opIndex = temp.Name.TrimStart('_');
        PrimitiveCallExpr call = WithConstantListsInFields((PrimitiveCallExpr)s.Value, opIndex);
        if (!call.Arguments.Where(a => a.Type.IsTensorLike).Select(a => CheckTensorValue(a, s.Source)).ToList().All(ok => ok)
            | CheckNonDifferentiableArguments(call, s.Source))
        {
            return (new List<CodeStmt>(), new List<CodeStmt>()); // reported; the method gets no gradient
        }
        CalleeSpec callee = call.Callee;
        Stmt? next = _nextStatement;
        var forward = new List<CodeStmt>();
        var reverse = new List<CodeStmt>();
        _assigned.Add(temp.Name);

        string site = AddField("Site_" + opIndex, "global::AutoGrad.OpSite", SiteInitializer(call), isStatic: true);
        Expr siteExpr = new OpaqueValueExpr(MethodWorkspaceName + "." + site, OpaqueType);
        bool inLoop = loopDepth > 0;
        bool tensorResult = call.Type.Shape == ShapeKind.Tensor;

        // Forward: Into writes the output (and the op's saved state) into reusable slots.
        string? resultSlot = null, stateSlot = null;
        var intoArgs = new List<Expr>();
        if (callee.ForwardInto is not null)
        {
            if (tensorResult)
            {
                resultSlot = AddField("Out_" + opIndex, inLoop ? "global::AutoGrad.Internal.SlotTape<global::AutoGrad.Tensor>" : "global::AutoGrad.Tensor?",
                    inLoop ? "new()" : null);
                intoArgs.Add(new RefExpr(inLoop ? Call(Field(resultSlot), "Next", OpaqueType) : Field(resultSlot)));
            }
            string? transposedSlot = null;
            if (tensorResult && !inLoop && _chain.TryGetValue(temp.Name, out string? inputSource))
            {
                // A chain of fused layers: each keeps its output feature-major as well and reads its input's.
                transposedSlot = AddField("OutT_" + opIndex, "global::AutoGrad.Tensor?", null);
                intoArgs.Add(new RefExpr(Field(transposedSlot)));
                intoArgs.Add(call.Arguments[0]);
                intoArgs.Add(inputSource is not null && _transposedResults.TryGetValue(inputSource, out string? kept)
                    ? Field(kept) : new LiteralExpr("null", OpaqueType));
                intoArgs.AddRange(call.Arguments.Skip(1));
                intoArgs.Add(siteExpr);
                _transposedResults[temp.Name] = transposedSlot;
            }
            if (callee.StateType is not null)
            {
                stateSlot = AddField("State_" + opIndex, inLoop ? "global::AutoGrad.Internal.SlotTape<" + callee.StateType + ">" : callee.StateType + "?",
                    inLoop ? "new()" : null);
                intoArgs.Add(new RefExpr(inLoop ? Call(Field(stateSlot), "Next", OpaqueType) : Field(stateSlot)));
            }
            if (transposedSlot is null)
            {
                intoArgs.AddRange(call.Arguments);
                intoArgs.Add(siteExpr);
            }
        }
        else if (inLoop && tensorResult)
        {
            // An op without ForwardInto (a user's [CustomPullback]) returns a new tensor every call: taped per
            // iteration, so each iteration's pullbacks (and the search for a NaN's origin) read that iteration's output.
            resultSlot = AddField("Out_" + opIndex, "global::AutoGrad.Internal.SlotTape<global::AutoGrad.Tensor>", "new()");
        }
        string? valueTape = null;
        if (inLoop && !tensorResult)
        {
            valueTape = AddField("Values_" + opIndex, "global::AutoGrad.Internal.ValueTape<" + call.Type.Display + ">", "new()");
        }

        PlanLayerSites(call, temp, inLoop);
        int opSite = AddSite(SourceText(s.Source, call.WrittenAs ?? callee.Name), "Operation", System.Math.Max(0, _layerDepth), "None", call.Line, inLoop);
        _opSiteOfResult[temp.Name] = opSite;
        // For naming where a NaN started: the op's output (or its per-iteration outputs) and the inputs it read.
        Expr? outputs = !inLoop ? temp : resultSlot is not null ? Field(resultSlot) : valueTape is not null ? Field(valueTape) : null;
        var inputs = call.Arguments.Where(a => a.Type.IsTensorLike || a.Type.IsRealScalar)
            .Select(a => !inLoop && a is VariableExpr v && _tensorSource.TryGetValue(v.Name, out Expr? src) ? src : a)
            .Where(a => IsParameterExpr(a) || (!inLoop && a is VariableExpr v && _opResults.Contains(v.Name)))
            .Select(a => inLoop && a is ElementExpr e ? e.Buffer : a)
            .ToList();
        _opChecks.Add(new OpCheck(opSite, outputs, inputs, loopDepth, _loopIds.Count > 0 ? _loopIds.Peek() : -1));
        if (callee.Activation is { } named && tensorResult)
        {
            SetLayerActivation(named.Name);
        }
        int activationSite = -1;
        if (callee.Activation is { Kind: not "None" } probed && tensorResult)
        {
            activationSite = AddSite(SourceText(s.Source, probed.Name), "Activation", System.Math.Max(0, _layerDepth), probed.Name, call.Line, inLoop);
        }
        // An op whose ForwardInto takes an ActivationReading counts saturated or dead units while it produces them.
        bool readsOwnActivation = activationSite >= 0 && callee.ForwardInto is not null && callee.IntoTakesActivationReading;
        if (callee.ForwardInto is not null)
        {
            if (readsOwnActivation)
            {
                intoArgs.Add(new OpaqueValueExpr($"new global::AutoGrad.Probes.ActivationReading({ProbesName}, {activationSite})", OpaqueType));
            }
            Expr into = Static(callee.ContainingType + "." + callee.ForwardInto, call.Type, intoArgs.ToArray());
            if (tensorResult)
            {
                forward.Add(new CodeExpression(into));
                forward.Add(new CodeAssign(temp, inLoop ? new OpaqueMemberExpr(Field(resultSlot!), "Current", call.Type) : new OpaqueValueExpr("_ws." + resultSlot + "!", call.Type), false));
            }
            else
            {
                forward.Add(new CodeAssign(temp, into, false));
            }
        }
        else
        {
            forward.Add(new CodeAssign(temp, call, false));
            if (resultSlot is not null) forward.Add(new CodeExpression(Call(Field(resultSlot), "Push", TypeRef.Int, temp)));
        }
        if (valueTape is not null)
        {
            forward.Add(new CodeExpression(Call(Field(valueTape), "Push", TypeRef.Int, temp)));
        }
        if (activationSite >= 0 && !readsOwnActivation)
        {
            forward.Add(new CodeIf(Compare(BinaryOp.NotEqual, Probes, new LiteralExpr("null", OpaqueType)),
                EquatableArray.Of<CodeStmt>(new CodeExpression(Call(Probes, "RecordActivation", TypeRef.Int,
                    Lit(activationSite, TypeRef.Int), new OpaqueMemberExpr(temp, "Span", OpaqueType), Call(temp, "Dim", TypeRef.Int, Lit(0, TypeRef.Int)),
                    new OpaqueValueExpr("global::AutoGrad.Probes.ActivationKind." + callee.Activation!.Kind, OpaqueType)))),
                EquatableArray<CodeStmt>.Empty));
        }

        // In a loop the output slot moves on every iteration: this iteration's output comes back when the reverse sweep
        // enters the block, before any statement that consumed it is reversed (each op has its own tapes, so the order
        // among ops is free). An op with no pullback of its own restores it too, for an active op that reads it
        // ('Nn.Mul(x, Nn.Tanh(r[t]))'), but only where the block has reverse code.
        bool passive = !call.Arguments.Any(_activity.IsActive) || !_activity.IsActive(temp.Name) || _deadStores.Contains(s);
        List<CodeStmt> restores = passive ? _passiveRestores.Peek() : _blockRestores.Peek();
        if (inLoop && tensorResult && resultSlot is not null) restores.Add(new CodeAssign(temp, Call(Field(resultSlot), "Pop", call.Type), false));
        if (inLoop && valueTape is not null) restores.Add(new CodeAssign(temp, Call(Field(valueTape), "Pop", call.Type), false));
        if (passive) return (forward, reverse);

        // Reverse: restore this iteration's output and state, then call the pullback with the output's adjoint.
        string unrolled = string.Concat(UnrollNote.Matches(s.Source.Text).Cast<Match>().Select(m => "  " + m.Value));
        reverse.Add(new CodeComment($"line {call.Line}: {call.WrittenAs ?? callee.Name}({string.Join(", ", call.ArgumentText)}){unrolled}"));
        Expr? state = null;
        if (stateSlot is not null)
        {
            if (inLoop)
            {
                var saved = Var(_names.Name("_state_" + opIndex), new TypeRef(ShapeKind.Other, ScalarKind.Other, callee.StateType!));
                _blockRestores.Peek().Add(new CodeDeclare(callee.StateType!, saved.Name, Call(Field(stateSlot), "Pop", OpaqueType)));
                state = saved;
            }
            else
            {
                state = new OpaqueValueExpr("_ws." + stateSlot + "!", OpaqueType);
            }
        }

        var memo = new Dictionary<Expr, Expr>();
        var body = new List<CodeStmt>();
        Expr seed;
        if (tensorResult)
        {
            seed = new OpaqueValueExpr(AdjointName(temp.Name) + ".Tensor!", call.Type);
        }
        else
        {
            VariableExpr taken = Temp("_g", call.Type, Var(AdjointName(temp.Name), call.Type), reverse);
            reverse.Add(new CodeAssign(Var(AdjointName(temp.Name), call.Type), Lit(0, call.Type), false));
            seed = taken;
        }
        var args = new List<Expr>();
        for (int i = 0; i < callee.Parameters.Count; i++)
        {
            Expr a = call.Arguments[i];
            args.Add(a.Type.Shape == ShapeKind.Scalar ? Value(a, body, memo) : a);
        }
        if (callee.PullbackTakesResult) args.Add(temp);
        if (state is not null) args.Add(state);
        args.Add(seed);
        // A parameter read by this op alone has its final gradient when the pullback returns: read its probe then
        // (still in cache) rather than in a second pass over every gradient after the backward pass, or hand the
        // site to a pullback that reads the gradient while writing it.
        var earlySites = new Dictionary<int, int>();
        if (!inLoop)
        {
            for (int i = 0; i < call.Arguments.Count; i++)
            {
                Expr a = call.Arguments[i];
                if (a.Type.Shape != ShapeKind.Tensor || !IsParameterRead(a)) continue;
                string name = ParameterSiteName(a);
                if (_parameterUses.TryGetValue(name, out int uses) && uses == 1 && !_parametersReadOutsideOps.Contains(ParameterOf(a)) &&
                    _parameterSites.TryGetValue(name, out int paramSite) && _recordedEarly.Add(name))
                {
                    earlySites[i] = paramSite;
                }
            }
        }
        var readings = new List<Expr>(); // the named reading arguments, in gradient order
        int gradientIndex = 0; // the pullback's next gradient, whose reading parameter it names
        // h = op(...) next: the layer output's adjoint is this op's dResult, so a pullback that reads its dResult
        // takes h's probe site and reads it in the pass that consumes it (the site is allocated here, where the
        // assignment would have allocated it next, so the layout is unchanged).
        Expr? resultReadingArgument = null;
        if (callee.ResultReadingName is { } resultReading && tensorResult && next is AssignStmt nextAssign && LendsToRecordedOutput(nextAssign, temp))
        {
            var output = (VariableExpr)nextAssign.Target;
            int outputSite = AddSite(SiteName(output.Name, nextAssign.Source), "LayerOutput", System.Math.Max(0, _layerDepth), "None", nextAssign.Source.Line, loopDepth > 0);
            _outputsReadByPullback[temp.Name] = outputSite;
            resultReadingArgument = new OpaqueValueExpr($"{resultReading}: new global::AutoGrad.Probes.GradientReading({ProbesName}, {outputSite})", OpaqueType);
        }
        // One tensor passed as two differentiable arguments (Linear(w, w, b)): the first gradient target handed out
        // would overwrite and the second accumulate, but the op may write them in either order, and an overwrite after
        // the accumulation would erase it. Its adjoint is made live (zeroed) first, so both accumulate.
        var repeated = call.Arguments
            .Where((a, i) => callee.Parameters[i].IsDifferentiable && a.Type.Shape == ShapeKind.Tensor && IsActiveHere(a))
            .GroupBy(a => TensorAdjoint(a))
            .Where(g => g.Count() > 1)
            .Select(g => g.First());
        foreach (Expr a in repeated)
        {
            body.Add(new CodeExpression(Call(TensorAdjoint(a), "Zeroed", TypeRef.Tensor, a)));
        }
        var after = new List<(Expr, VariableExpr)>();
        for (int i = 0; i < callee.Parameters.Count; i++)
        {
            CalleeParameterSpec p = callee.Parameters[i];
            if (!p.IsDifferentiable) continue;
            if (callee.PullbackTakesGradientReadings && earlySites.TryGetValue(i, out int readSite))
            {
                // Named, so the readings the call leaves out need no placeholders.
                string parameter = callee.GradientReadingNames[gradientIndex];
                readings.Add(new OpaqueValueExpr($"{parameter}: new global::AutoGrad.Probes.GradientReading({ProbesName}, {readSite})", OpaqueType));
                earlySites.Remove(i);
            }
            gradientIndex++;
            Expr a = call.Arguments[i];
            if (p.Type.IsTensorLike)
            {
                args.Add(GradTargetFor(a));
            }
            else if (p.Type.IsRealScalar)
            {
                VariableExpr g = Temp("_g", p.Type, Lit(0, p.Type), body);
                args.Add(new RefExpr(g));
                if (_activity.IsActive(a)) after.Add((a, g));
            }
            else
            {
                Report(DiagnosticDescriptors.UnsupportedExpression, s.Source.Location, callee.Name,
                    $"tensor ops take tensors and float scalars; parameter '{p.Name}' has type {p.Type.Display}");
            }
        }
        if (callee.TakesSite) args.Add(siteExpr);
        if (resultReadingArgument is not null) args.Add(resultReadingArgument);
        args.AddRange(readings);
        body.Add(new CodeExpression(Static(callee.ContainingType + "." + callee.Pullback, TypeRef.Int, args.ToArray())));
        var records = earlySites.OrderBy(e => e.Key)
            .Select(e => (CodeStmt)new CodeExpression(Call(Probes, "RecordGradient", TypeRef.Int, Lit(e.Value, TypeRef.Int),
                new OpaqueMemberExpr(GradientOf(call.Arguments[e.Key]), "Span", OpaqueType))))
            .ToList();
        if (records.Count > 0)
        {
            body.Add(new CodeIf(Compare(BinaryOp.NotEqual, Probes, new LiteralExpr("null", OpaqueType)), records.ToEquatableArray(), EquatableArray<CodeStmt>.Empty));
        }
        foreach ((Expr argument, VariableExpr gradient) in after) Backprop(argument, gradient, body, memo);

        if (tensorResult)
        {
            VariableExpr adjoint = Var(AdjointName(temp.Name), SlotType);
            reverse.Add(new CodeIf(new OpaqueMemberExpr(adjoint, "Live", TypeRef.Bool), body.ToEquatableArray(), EquatableArray<CodeStmt>.Empty));
            if (inLoop)
            {
                // Next iteration: consume this slot (it may have been lent by a variable) and return to the site's own.
                reverse.Add(new CodeAssign(new OpaqueMemberExpr(adjoint, "Live", TypeRef.Bool), new LiteralExpr("false", TypeRef.Bool), false));
                reverse.Add(new CodeAssign(adjoint, Field(OwnSlot(temp.Name)), false));
            }
        }
        else
        {
            reverse.AddRange(body);
        }
        return (forward, reverse);
    }

    /// <summary>
    /// <c>h = value</c> for a tensor variable: a reference assignment. In reverse, the adjoint accumulated for the
    /// assigned value is taken from <c>h</c> and handed to the value (lent outright when the value is an op's
    /// single-use output), and <c>h</c> gets a fresh adjoint for its previous value.
    /// </summary>
    private (List<CodeStmt>, List<CodeStmt>) TensorAssignment(AssignStmt s, int loopDepth)
    {
        var v = (VariableExpr)s.Target;
        var forward = new List<CodeStmt>();
        var reverse = new List<CodeStmt>();
        bool firstDefinition = loopDepth == 0 && !_assigned.Contains(v.Name);
        _assigned.Add(v.Name);
        (CodeStmt? save, CodeStmt? restore) = !firstDefinition && _reverseReads.MustSave(v.Name, s) ? Save(s, loopDepth) : (null, null);
        if (save is not null) forward.Add(save);
        forward.Add(new CodeAssign(v, s.Value, false));
        if (loopDepth == 0)
        {
            Expr source = s.Value is VariableExpr sv && _tensorSource.TryGetValue(sv.Name, out Expr? known) ? known : s.Value;
            _tensorSource[v.Name] = source;
        }
        else
        {
            _tensorSource.Remove(v.Name);
        }
        // For the probe layout only, at any depth: the op result the variable holds at this point of the body, which is
        // the order statements are planned in ('z = MatMul(h, w[l]); z = Add(z, b[l])' in a loop is one layer).
        if (s.Value is VariableExpr held) _lastProducer[v.Name] = ProducedBy(held) ?? held.Name;
        else _lastProducer.Remove(v.Name);

        int site = -1;
        bool readByPullback = false;
        if (v.Type.Shape == ShapeKind.Tensor && _activity.IsActive(s.Value) && !_guardTemporaries.Contains(v.Name))
        {
            if (s.Value is VariableExpr lent && _outputsReadByPullback.TryGetValue(lent.Name, out site))
            {
                readByPullback = true; // the site was allocated by the op, whose pullback reads it
                _outputsReadByPullback.Remove(lent.Name);
            }
            else
            {
                site = AddSite(SiteName(v.Name, s.Source), "LayerOutput", System.Math.Max(0, _layerDepth), "None", s.Source.Line, loopDepth > 0);
            }
        }
        if (!_activity.IsActive(v.Name))
        {
            if (restore is not null) reverse.Add(restore);
            return (forward, reverse);
        }

        reverse.Add(Describe(s.Source));
        VariableExpr adjoint = Var(AdjointName(v.Name), SlotType);
        VariableExpr taken = Temp("_g", SlotType, adjoint, reverse);
        if (site >= 0 && !readByPullback)
        {
            reverse.Add(new CodeIf(And(Compare(BinaryOp.NotEqual, Probes, new LiteralExpr("null", OpaqueType)), new OpaqueMemberExpr(taken, "Live", TypeRef.Bool)),
                EquatableArray.Of<CodeStmt>(new CodeExpression(Call(Probes, "RecordGradient", TypeRef.Int, Lit(site, TypeRef.Int),
                    new OpaqueValueExpr(taken.Name + ".Tensor!.Span", OpaqueType)))),
                EquatableArray<CodeStmt>.Empty));
        }
        if (!firstDefinition)
        {
            // A fresh adjoint for the value h held before this statement. Two slots alternate, so the one being
            // consumed is never the one being written: the adjoint of h's newer value dies once this statement's
            // reverse has handed it on, and its buffer takes an older value's adjoint two assignments later. An
            // unrolled 21-layer loop thus keeps two adjoint buffers, hot in cache, instead of one per layer.
            (string a, string b) = loopDepth == 0 && _topLevelBeforeSlots.TryGetValue(v.Name, out var pair)
                ? pair
                : (AddField("BeforeA_" + v.Name.TrimStart('_'), "global::AutoGrad.Internal.AdjointSlot", "new()"),
                   AddField("BeforeB_" + v.Name.TrimStart('_'), "global::AutoGrad.Internal.AdjointSlot", "new()"));
            if (loopDepth == 0) _topLevelBeforeSlots[v.Name] = (a, b);
            Expr fresh = Cond(Static("global::System.Object.ReferenceEquals", TypeRef.Bool, taken, Field(a)), Field(b), Field(a)) with { Type = SlotType };
            reverse.Add(new CodeAssign(adjoint, fresh, false));
            reverse.Add(new CodeAssign(new OpaqueMemberExpr(adjoint, "Live", TypeRef.Bool), new LiteralExpr("false", TypeRef.Bool), false));
        }
        if (restore is not null) reverse.Add(restore);
        switch (s.Value)
        {
            case VariableExpr source when _opResults.Contains(source.Name):
                reverse.Add(new CodeAssign(Var(AdjointName(source.Name), SlotType), taken, false));
                break;
            case VariableExpr or ElementExpr when _activity.IsActive(s.Value):
                reverse.Add(new CodeExpression(Call(TensorAdjoint(s.Value), "AddFrom", TypeRef.Int, taken, s.Value)));
                break;
            default:
                CheckTensorValue(s.Value, s.Source);
                break;
        }
        return (forward, reverse);
    }

    /// <summary>
    /// An op's list of constants (<c>[2, 6]</c>) as a static array of the workspace, passed as a span: in a Debug build
    /// the compiler makes a new array for a constant collection expression on every call (a list that reads variables
    /// goes on the stack, and stays in the call).
    /// </summary>
    private PrimitiveCallExpr WithConstantListsInFields(PrimitiveCallExpr call, string opIndex)
    {
        if (!call.Arguments.Any(a => a is IntListExpr list && list.Elements.All(e => e is LiteralExpr)))
        {
            return call;
        }
        var arguments = new List<Expr>();
        foreach (Expr argument in call.Arguments)
        {
            if (argument is IntListExpr list && list.Elements.All(e => e is LiteralExpr))
            {
                string initializer = "new int[] { " + string.Join(", ", list.Elements.Select(e => ((LiteralExpr)e).Code)) + " }";
                string field = AddField("Shape_" + opIndex, "int[]", initializer, isStatic: true);
                arguments.Add(new OpaqueValueExpr(MethodWorkspaceName + "." + field, list.Type));
            }
            else
            {
                arguments.Add(argument);
            }
        }
        return call with { Arguments = arguments.ToEquatableArray() };
    }

    /// <summary>
    /// True when <paramref name="assign"/> is <c>h = temp</c> for a tensor variable whose adjoint
    /// <see cref="TensorAssignment"/> would read for a probe and then lend outright to <paramref name="temp"/>'s op: the
    /// adjoint read is then exactly the op's dResult.
    /// </summary>
    private bool LendsToRecordedOutput(AssignStmt assign, VariableExpr temp) =>
        assign.Target is VariableExpr { Type.Shape: ShapeKind.Tensor, Type.IsBuffer: false } output && !_guardTemporaries.Contains(output.Name) &&
        assign.Value is VariableExpr source && source.Name == temp.Name && !IsTensorOpStatement(assign) &&
        _opResults.Contains(source.Name) && _activity.IsActive(assign.Value) && _activity.IsActive(output.Name);

    /// <summary>Op results whose pullback reads the adjoint of the layer output they are assigned to: op temp → site.</summary>
    private readonly Dictionary<string, int> _outputsReadByPullback = new();

    /// <summary>The workspace slot an op result's adjoint lives in when no variable lends one.</summary>
    private string OwnSlot(string temp)
    {
        string key = "Adjoint_" + temp.TrimStart('_');
        if (!_workspace.Any(f => f.Name == key)) _workspace.Add(new WorkspaceField("global::AutoGrad.Internal.AdjointSlot", key, "new()", false));
        return key;
    }

    private string MethodWorkspaceName => _spec.Name + "Workspace";

    private string SiteInitializer(PrimitiveCallExpr call)
    {
        var parts = new List<string>
        {
            CSharpLiteral.Quote(call.SiteName ?? call.Callee.Name),
            CSharpLiteral.Quote(Path.GetFileName(_spec.FilePath)),
            call.Line.ToString(CultureInfo.InvariantCulture),
        };
        parts.AddRange(call.ArgumentText.Select(CSharpLiteral.Quote));
        return "new(" + string.Join(", ", parts) + ")";
    }

    /// <summary>
    /// A span of a tensor is bound to the adjoint of the tensor's last value, so it is supported only for a tensor
    /// variable assigned once; a span of one assigned again (before or after the span is taken) would send its elements'
    /// adjoints to the wrong value, silently. Copying the value into a variable of its own first works.
    /// </summary>
    private void CheckSpansOfReassignedTensors(IReadOnlyList<Stmt> body)
    {
        foreach (AssignStmt s in StmtQueries.Assignments(body))
        {
            if (s.Value is not TensorDataExpr { Tensor: var tensor } || StmtQueries.CountAssignments(body, tensor.Name) <= 1) continue;
            Report(DiagnosticDescriptors.UnsupportedExpression, s.Source.Location, s.Source.Text,
                $"'{tensor.Name}' is assigned in more than one place (branches count), and a span is only supported for a tensor variable assigned once; copy the value you want into a variable of its own first ('var {tensor.Name}0 = {tensor.Name};') and take that variable's span");
        }
    }

    /// <summary>Per tensor variable assigned at the top level, the two adjoint slots its older values alternate between.</summary>
    private readonly Dictionary<string, (string A, string B)> _topLevelBeforeSlots = new();

    private bool IsParameterExpr(Expr e) => e switch
    {
        VariableExpr v => _spec.Parameters.Any(p => p.Name == v.Name),
        ElementExpr { Buffer: var b } => _spec.Parameters.Any(p => p.Name == b.Name),
        _ => false,
    };

}
