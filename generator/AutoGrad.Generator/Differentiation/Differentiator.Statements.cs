using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generator.Common;
using AutoGrad.Generator.Model;
using static AutoGrad.Generator.Differentiation.Exprs;

namespace AutoGrad.Generator.Differentiation;

internal sealed partial class Differentiator
{
    /// <summary>Forward and reverse code of a statement sequence; the reverse part is already in reverse order.</summary>
    private (List<CodeStmt> Forward, List<CodeStmt> Reverse) Block(IEnumerable<Stmt> stmts, int loopDepth)
    {
        (List<CodeStmt> forward, List<CodeStmt> restores, List<CodeStmt> reverse) = BlockParts(stmts, loopDepth);
        restores.AddRange(reverse);
        return (forward, restores);
    }

    /// <summary>
    /// <see cref="Block"/> with the reverse part in two: the restores of the values its ops saved (popped first, so
    /// each reads this iteration's), then the statements' reverse code.
    /// </summary>
    private (List<CodeStmt> Forward, List<CodeStmt> Restores, List<CodeStmt> Reverse) BlockParts(IEnumerable<Stmt> stmts, int loopDepth)
    {
        var forward = new List<CodeStmt>();
        var reverseParts = new List<List<CodeStmt>>();
        _blockRestores.Push(new List<CodeStmt>());
        _passiveRestores.Push(new List<CodeStmt>());
        IReadOnlyList<Stmt> block = stmts as IReadOnlyList<Stmt> ?? stmts.ToList();
        Stmt? enclosingNext = _nextStatement;
        for (int i = 0; i < block.Count; i++)
        {
            // Outside loops, remember where each statement sits: what runs after a loop decides if it can run jointly.
            if (loopDepth == 0) _path.Push((block, i));
            _nextStatement = i + 1 < block.Count ? block[i + 1] : null;
            (List<CodeStmt> f, List<CodeStmt> r) = Statement(block[i], loopDepth);
            if (loopDepth == 0) _path.Pop();
            forward.AddRange(f);
            reverseParts.Add(r);
        }
        _nextStatement = enclosingNext;
        List<CodeStmt> restores = _blockRestores.Pop();
        List<CodeStmt> passive = _passiveRestores.Pop();
        var reverse = new List<CodeStmt>();
        for (int i = reverseParts.Count - 1; i >= 0; i--) reverse.AddRange(reverseParts[i]);
        if (restores.Count > 0 || reverse.Count > 0) restores.AddRange(passive);
        return (forward, restores, reverse);
    }

    /// <summary>The statement after the one being differentiated in its block (an op looks at what its result is assigned to).</summary>
    private Stmt? _nextStatement;

    private (List<CodeStmt>, List<CodeStmt>) Statement(Stmt s, int loopDepth) => s switch
    {
        AssignStmt a when a.Target is VariableExpr { Type.IsBuffer: true } => BufferDeclaration(a),
        AssignStmt a when IsTensorOpStatement(a) => OpStatement(a, loopDepth),
        AssignStmt a when a.Target.Type.IsTensorLike => TensorAssignment(a, loopDepth),
        AssignStmt a => Assignment(a, loopDepth),
        IfStmt i => Branch(i, loopDepth),
        LoopStmt l => Loop(l, loopDepth),
        _ => (new List<CodeStmt>(), new List<CodeStmt>()),
    };

    private static CodeComment Describe(SourceInfo source) =>
        new(source.Line > 0 ? $"line {source.Line}: {source.Text}" : source.Text);

    /// <summary><c>x = e</c> or <c>a[i] = e</c>.</summary>
    private (List<CodeStmt>, List<CodeStmt>) Assignment(AssignStmt s, int loopDepth)
    {
        _statementLocation = s.Source.Location;
        var forward = new List<CodeStmt>();
        var reverse = new List<CodeStmt>();
        string target = ActivityAnalysis.TargetName(s.Target);
        bool firstDefinition = s.Target is VariableExpr && loopDepth == 0 && !_assigned.Contains(target);
        _assigned.Add(target);

        // Recomputed loop locals need no save; nor does a counted loop's counter at its initialisation (the reverse
        // sweep rebuilds the final value from the trip count); its step is still undone by stepping back.
        if (_forwardOnly.Contains(s))
        {
            forward.Add(new CodeAssign(s.Target, s.Value, Accumulate: false));
            return (forward, reverse);
        }
        bool recomputed = s.Target is VariableExpr rv && (_recomputed.Contains(rv.Name) || _reconstructed.Contains(rv.Name) && s.IsDeclaration);
        bool mustSave = _reverseReads.MustSave(target, s, _jointLoop) && !firstDefinition && !recomputed;
        bool active = s.Target.Type.IsRealElement && _activity.IsActive(target) && !_deadStores.Contains(s);
        CodeStmt? indexSave = null, indexRestore = null;
        if ((active || mustSave) && s.Target is ElementExpr element && IndexReadsItsBuffer(element))
        {
            // b[(int)b[0]] = ..., b[ArgMax(b)] = 0: the write changes what the index reads, so the reverse sweep, which
            // runs after it, would find another element. The index is taken once, before the write.
            VariableExpr index = CaptureIndex(element.Index, loopDepth, forward, out indexSave, out indexRestore);
            s = s with { Target = element with { Index = index } };
        }
        (CodeStmt? save, CodeStmt? restore) = mustSave ? Save(s, loopDepth) : (null, null);
        if (save is not null) forward.Add(save);
        // Taped after the old value, so it comes back first: the restore needs it, and an int[]'s old value shares its tape.
        if (indexSave is not null) forward.Add(indexSave);

        if (!active)
        {
            forward.Add(new CodeAssign(s.Target, s.Value, Accumulate: false));
            if (indexRestore is not null) reverse.Add(indexRestore); // the tape is shared: every push is popped
            if (restore is not null) reverse.Add(restore);
            return (forward, reverse);
        }
        CheckNonDifferentiableCalls(s.Value, s.Source);

        reverse.Add(Describe(s.Source));
        if (indexRestore is not null) reverse.Add(indexRestore);
        var memo = new Dictionary<Expr, Expr>();
        forward.Add(new CodeAssign(s.Target, KeepCallResults(s, loopDepth, forward, reverse, memo), Accumulate: false));
        Expr adjoint = AdjointOf(s.Target);
        if (StmtQueries.IsIncrement(s, out Expr? increment, out bool negated))
        {
            // x = x + f: x's adjoint passes through unchanged; only f receives a contribution.
            if (restore is not null) reverse.Add(restore);
            Expr seed = adjoint is VariableExpr ? adjoint : Bind(adjoint, reverse);
            Backprop(increment!, negated ? Neg(seed) : seed, reverse, memo);
        }
        else if (firstDefinition)
        {
            Backprop(s.Value, adjoint, reverse, memo);
        }
        else
        {
            VariableExpr g = Temp("_g", s.Target.Type, adjoint, reverse);
            reverse.Add(new CodeAssign(adjoint, Lit(0, s.Target.Type), Accumulate: false));
            if (restore is not null) reverse.Add(restore);
            Backprop(s.Value, g, reverse, memo);
        }
        if (reverse.Count == 1)
        {
            // Nothing flows back through this statement (e.g. 's = 0'): no comment without code.
            reverse.Clear();
        }
        return (forward, reverse);
    }

    /// <summary>True when an element write's index reads the buffer it writes (or a view of the same memory).</summary>
    private bool IndexReadsItsBuffer(ElementExpr element)
    {
        string root = Root(element.Buffer.Name);
        foreach (string read in Reads(element.Index))
        {
            if (Root(read) == root) return true;
        }
        return false;

        string Root(string name) => _bufferRoots.TryGetValue(name, out string? r) ? r : name;
    }

    /// <summary>
    /// Evaluates <paramref name="index"/> into a method-level local before the write; in a loop <paramref name="save"/>
    /// also puts the local on an integer tape, and <paramref name="restore"/> takes it back at the start of the
    /// statement's reverse code.
    /// </summary>
    private VariableExpr CaptureIndex(Expr index, int loopDepth, List<CodeStmt> forward, out CodeStmt? save, out CodeStmt? restore)
    {
        VariableExpr local = Hoist("_index", index.Type);
        forward.Add(new CodeAssign(local, index, Accumulate: false));
        save = restore = null;
        if (loopDepth > 0)
        {
            var tape = Var(Tape(index.Type), index.Type);
            save = new CodeExpression(Call(tape, "Push", TypeRef.Int, local));
            restore = new CodeAssign(local, Call(tape, "Pop", index.Type), false);
        }
        return local;
    }

    /// <summary>How to save the value an assignment overwrites, and how to put it back in the reverse sweep.</summary>
    private (CodeStmt? Save, CodeStmt? Restore) Save(AssignStmt s, int loopDepth)
    {
        // Integer counters stepped by a constant are restored by stepping back: nothing to store.
        if (StmtQueries.IsConstantStep(s) && s is { Target: VariableExpr v, Value: BinaryExpr { Right: var step } b })
        {
            var inverse = new BinaryExpr(b.Op == BinaryOp.Add ? BinaryOp.Subtract : BinaryOp.Add, v, step, v.Type);
            return (null, new CodeAssign(v, inverse, Accumulate: false));
        }
        TypeRef type = s.Target.Type;
        if (type.IsTensorLike)
        {
            if (loopDepth == 0)
            {
                VariableExpr slot = Hoist("_saved_" + ActivityAnalysis.TargetName(s.Target).TrimStart('_'), type);
                return (new CodeAssign(slot, s.Target, false), new CodeAssign(s.Target, slot, false));
            }
            string refs = AddField("Saved_" + ActivityAnalysis.TargetName(s.Target).TrimStart('_'),
                "global::AutoGrad.Internal.SlotTape<" + type.Display.TrimEnd('?') + ">", "new()");
            return (new CodeExpression(Call(Field(refs), "Push", TypeRef.Int, s.Target)),
                    new CodeAssign(s.Target, new OpaqueValueExpr("_ws." + refs + ".PopNullable()!", type), false));
        }
        if (loopDepth == 0)
        {
            VariableExpr slot = Hoist("_saved_" + ActivityAnalysis.TargetName(s.Target).TrimStart('_'), type);
            return (new CodeAssign(slot, s.Target, false), new CodeAssign(s.Target, slot, false));
        }
        var tape = Var(Tape(type), type);
        return (new CodeExpression(Call(tape, "Push", TypeRef.Int, s.Target)),
                new CodeAssign(s.Target, Call(tape, "Pop", type), false));
    }

    /// <summary>
    /// <c>var a = new double[n]</c>, <c>stackalloc</c>, or a view of another buffer: declared in place (these live at
    /// the method's top level), with the adjoint buffer right after when the buffer is active.
    /// </summary>
    private (List<CodeStmt>, List<CodeStmt>) BufferDeclaration(AssignStmt s)
    {
        var forward = new List<CodeStmt>();
        var v = (VariableExpr)s.Target;
        _assigned.Add(v.Name);
        forward.Add(new CodeDeclare(v.Type.Display, v.Name, s.Value));
        if (!_activity.IsActive(v.Name) || !v.Type.IsRealElement) return (forward, new List<CodeStmt>());

        VariableExpr adjoint = AdjointVariable(v);
        string spanType = adjoint.Type.Display;
        string element = v.Type.ElementKeyword;
        switch (s.Value)
        {
            // An allocated adjoint is reachable only by its name unless a view is declared on it (LoopInvariantAccumulators).
            case AllocationExpr { Kind: AllocationKind.StackAlloc }:
                _allocatedAdjointBuffers.Add(adjoint.Name);
                forward.Add(new CodeDeclare(spanType, adjoint.Name, new AllocationExpr(AllocationKind.StackAlloc, new LengthExpr(v), adjoint.Type)));
                forward.Add(new CodeExpression(Call(adjoint, "Clear", TypeRef.Int)));
                break;
            case AllocationExpr:
            {
                // Pooled, so a steady-state call allocates nothing for adjoints.
                _allocatedAdjointBuffers.Add(adjoint.Name);
                VariableExpr pool = Hoist("_pool_" + v.Name.TrimStart('_'), new TypeRef(ShapeKind.Array, v.Type.Element, element + "[]?"), new LiteralExpr("null", TypeRef.Int));
                _pools.Add((pool.Name, element));
                forward.Add(new CodeAssign(pool, Static("global::System.Buffers.ArrayPool<" + element + ">.Shared.Rent", pool.Type, new LengthExpr(v)), false));
                forward.Add(new CodeDeclare(spanType, adjoint.Name, Static("global::System.MemoryExtensions.AsSpan", adjoint.Type, pool, Lit(0, TypeRef.Int), new LengthExpr(v))));
                forward.Add(new CodeExpression(Call(adjoint, "Clear", TypeRef.Int)));
                break;
            }
            case SliceExpr slice:
                _viewedAdjointBuffers.Add(AdjointVariable(slice.Buffer).Name);
                forward.Add(new CodeDeclare(spanType, adjoint.Name, slice with { Buffer = AdjointVariable(slice.Buffer), Type = adjoint.Type }));
                break;
            case VariableExpr other:
                _viewedAdjointBuffers.Add(AdjointVariable(other).Name);
                forward.Add(new CodeDeclare(spanType, adjoint.Name, AdjointVariable(other)));
                break;
            case TensorDataExpr data:
                // Scalar code accumulates element by element into the tensor's adjoint, so it starts zeroed.
                forward.Add(new CodeDeclare(spanType, adjoint.Name,
                    new OpaqueMemberExpr(Call(Var(AdjointName(data.Tensor.Name), SlotType), "Zeroed", TypeRef.Tensor, data.Tensor), "Span", adjoint.Type)));
                break;
            default:
                CheckNonDifferentiableCalls(s.Value, s.Source);
                break;
        }
        return (forward, new List<CodeStmt>());
    }

    private (List<CodeStmt>, List<CodeStmt>) Branch(IfStmt s, int loopDepth)
    {
        // Each branch starts from what tensor variables held before the if; afterwards, either may have run.
        var before = new Dictionary<string, Expr>(_tensorSource);
        (List<CodeStmt> thenForward, List<CodeStmt> thenReverse) = Block(s.Then, loopDepth);
        _tensorSource.Clear();
        foreach (KeyValuePair<string, Expr> kv in before) _tensorSource[kv.Key] = kv.Value;
        (List<CodeStmt> elseForward, List<CodeStmt> elseReverse) = Block(s.Else, loopDepth);
        ForgetTensorSources(new[] { s });
        var forward = new List<CodeStmt>();
        var reverse = new List<CodeStmt>();
        if (thenReverse.Count == 0 && elseReverse.Count == 0)
        {
            forward.Add(new CodeIf(s.Condition, thenForward.ToEquatableArray(), elseForward.ToEquatableArray()));
            return (forward, reverse);
        }
        Expr taken;
        // A local holds the decision when the branch runs at most once before its reverse; otherwise the tape.
        if (RunsOnceBeforeItsReverse(loopDepth))
        {
            VariableExpr flag = Hoist("_branch", TypeRef.Bool);
            forward.Add(new CodeAssign(flag, s.Condition, false));
            forward.Add(new CodeIf(flag, thenForward.ToEquatableArray(), elseForward.ToEquatableArray()));
            taken = flag;
        }
        else
        {
            // Pushed after the branch body, so it is on top when the reverse sweep reaches this branch.
            var tape = Var(Tape(TypeRef.Bool), TypeRef.Bool);
            thenForward.Add(new CodeExpression(Call(tape, "Push", TypeRef.Int, new LiteralExpr("true", TypeRef.Bool))));
            elseForward.Add(new CodeExpression(Call(tape, "Push", TypeRef.Int, new LiteralExpr("false", TypeRef.Bool))));
            forward.Add(new CodeIf(s.Condition, thenForward.ToEquatableArray(), elseForward.ToEquatableArray()));
            taken = Call(tape, "Pop", TypeRef.Bool);
        }
        if (s.Source.Line > 0) reverse.Add(Describe(s.Source));
        reverse.Add(new CodeIf(taken, thenReverse.ToEquatableArray(), elseReverse.ToEquatableArray()));
        return (forward, reverse);
    }

    private (List<CodeStmt>, List<CodeStmt>) Loop(LoopStmt loop, int loopDepth)
    {
        if (loopDepth == 0 && !_tensorMode && _jointLoop is null && _path.Count > 0 && ReferenceEquals(_path.Peek().Block[_path.Peek().Index], loop))
        {
            JointLoop.Plan? plan = JointLoop.Decide(loop, StatementsAfter(), _activity, _reverseReads, _bufferRoots, _result, Var("dResult", _spec.ReturnType));
            if (plan is not null) return Joint(loop, plan);
        }
        // What a tensor variable holds inside and after a loop depends on the iteration.
        ForgetTensorSources(new[] { loop });
        CountedLoop? counted = CountedLoop.Match(loop, _body, _bufferRoots);
        if (counted is not null) _reconstructed.Add(counted.Counter.Name);
        (List<CodeStmt> initForward, List<CodeStmt> initReverse) = Block(loop.Init, loopDepth);
        List<AssignStmt> recompute = LoopRecomputation.Find(loop, _body, _bufferRoots);
        foreach (AssignStmt candidate in recompute) _recomputed.Add(((VariableExpr)candidate.Target).Name);
        _loopIds.Push(_nextLoopId++);
        _loopsOverLayers.Push(IsLoopOverLayers(loop));
        (List<CodeStmt> bodyForward, List<CodeStmt> bodyRestores, List<CodeStmt> bodyReverse) = BlockParts(loop.Body, loopDepth + 1);
        (List<CodeStmt> stepForward, List<CodeStmt> stepReverse) = Block(loop.Step, loopDepth + 1);
        _loopsOverLayers.Pop();
        _loopIds.Pop();
        var forward = new List<CodeStmt>();
        var reverse = new List<CodeStmt>();
        bool needsReverse = bodyRestores.Count > 0 || bodyReverse.Count > 0 || stepReverse.Count > 0;

        VariableExpr? count = null;
        if (needsReverse && counted is null)
        {
            // The trip count tells the reverse sweep how many iterations to undo.
            if (loopDepth == 0)
            {
                count = Hoist("_iterations", TypeRef.Int);
            }
            else
            {
                count = Var(_names.Name("_iterations"), TypeRef.Int);
                forward.Add(new CodeDeclare("int", count.Name, Lit(0, TypeRef.Int)));
            }
        }

        // The op values this iteration saved are popped before the locals are recomputed: a local can be a copy of one
        // (float q = Nn.Sum(...) is q = _op1), and before its pop that holds the next iteration's value.
        List<CodeStmt> reverseBody = needsReverse ? stepReverse.Concat(bodyRestores).Concat(Recompute(recompute, bodyReverse)).Concat(bodyReverse).ToList() : new List<CodeStmt>();
        List<TapeSegments.Segment> segments = counted is not null && needsReverse
            ? TapeSegments.Plan(_tapes, initForward, bodyForward, stepForward, reverseBody, _names)
            : new List<TapeSegments.Segment>();
        IEnumerable<CodeStmt> forwardLoop = LoopCode(loop, initForward, bodyForward, stepForward, count);
        forward.AddRange(segments.Count > 0 ? TapeSegments.Forward(segments, counted!.TripCount(), forwardLoop) : forwardLoop);

        if (!needsReverse)
        {
            reverse.AddRange(initReverse);
            return (forward, reverse);
        }
        reverse.Add(Describe(loop.Source));
        Expr trips;
        if (counted is not null)
        {
            // No tape: the trip count and the counter's final value follow from the loop's header.
            VariableExpr n = Temp("_trips", TypeRef.Int, counted.TripCount(), reverse);
            reverse.Add(new CodeAssign(counted.Counter, counted.Final(n), false));
            trips = n;
        }
        else
        {
            trips = count!;
            if (loopDepth > 0)
            {
                var tape = Var(Tape(TypeRef.Int), TypeRef.Int);
                forward.Add(new CodeExpression(Call(tape, "Push", TypeRef.Int, count!)));
                trips = Call(tape, "Pop", TypeRef.Int);
            }
        }
        var r = Var(_names.Name("_iteration"), TypeRef.Int);
        var reverseLoop = new CodeFor(
            new CodeDeclare("int", r.Name, trips),
            Compare(BinaryOp.Greater, r, Lit(0, TypeRef.Int)),
            new CodeIncrement(r, Decrement: true),
            reverseBody.ToEquatableArray());
        if (segments.Count > 0) reverse.AddRange(TapeSegments.Reverse(segments, trips, reverseLoop));
        else reverse.Add(reverseLoop);
        reverse.AddRange(initReverse);
        return (forward, reverse);
    }

    /// <summary>
    /// A loop whose iterations run their reverse sweep right after their forward sweep (<see cref="JointLoop"/>): the
    /// reverse code goes into the forward loop's body, reading the accumulators' adjoints computed before the loop.
    /// </summary>
    private (List<CodeStmt>, List<CodeStmt>) Joint(LoopStmt loop, JointLoop.Plan plan)
    {
        List<JointLoop.Accumulator> accumulators = plan.Accumulators;
        ForgetTensorSources(new[] { loop });
        var forward = new List<CodeStmt>();
        var reverse = new List<CodeStmt>();
        (List<CodeStmt> initForward, List<CodeStmt> initReverse) = Block(loop.Init, 0);

        // The loop's reverse reads its own copies of the accumulators' adjoints, so the reverse sweep's statements
        // after the loop still add to the ordinary ones, which reach the code before the loop unchanged.
        var ordinary = new Dictionary<string, string>();
        var ahead = new List<CodeStmt>();
        foreach (JointLoop.Accumulator a in accumulators)
        {
            string name = _names.Name("_d_" + a.Variable.Name.TrimStart('_') + "_ahead");
            ordinary[a.Variable.Name] = AdjointName(a.Variable.Name);
            _adjoints[a.Variable.Name] = name;
            ahead.Add(new CodeDeclare(a.Variable.Type.Display, name, a.AdjointAhead));
        }
        _jointLoop = loop;
        _loopIds.Push(_nextLoopId++);
        _loopsOverLayers.Push(IsLoopOverLayers(loop));
        int own = loop.Body.Count - plan.TrailingSteps;
        (List<CodeStmt> bodyForward, List<CodeStmt> bodyReverse) = Block(loop.Body.Take(own).ToList(), 1);
        // The counter steps at the end of the body run after the reverse sweep, forward only: nothing to undo.
        foreach (AssignStmt step in StmtQueries.Assignments(loop.Body.Skip(own).Concat(loop.Step))) _forwardOnly.Add(step);
        (List<CodeStmt> trailingForward, List<CodeStmt> _) = Block(loop.Body.Skip(own).ToList(), 1);
        (List<CodeStmt> stepForward, List<CodeStmt> _) = Block(loop.Step, 1);
        _loopsOverLayers.Pop();
        _loopIds.Pop();
        _jointLoop = null;
        foreach (KeyValuePair<string, string> kv in ordinary) _adjoints[kv.Key] = kv.Value;

        if (bodyReverse.Count > 0)
        {
            forward.Add(Describe(loop.Source));
            forward.Add(new CodeComment(accumulators.Count == 0
                ? "each iteration's reverse sweep runs right after it: the iterations share nothing that carries a derivative"
                : "each iteration's reverse sweep runs right after it: the iterations share only " +
                  string.Join(", ", accumulators.Select(a => a.Variable.Name)) + ", which they add to, with its adjoint known before the loop"));
            forward.AddRange(ahead);
            bodyForward.Add(new CodeComment("this iteration's reverse sweep"));
            bodyForward.AddRange(bodyReverse);
        }
        bodyForward.AddRange(trailingForward);
        forward.AddRange(LoopCode(loop, initForward, bodyForward, stepForward, count: null));
        reverse.AddRange(initReverse);
        return (forward, reverse);
    }

    /// <summary>
    /// The statements that run after the current one on its path, in order: the rest of its block, then the rest of
    /// each enclosing block (a branch's other arm does not run after it).
    /// </summary>
    private List<Stmt> StatementsAfter()
    {
        var after = new List<Stmt>();
        foreach ((IReadOnlyList<Stmt> block, int index) in _path) // innermost first
        {
            for (int i = index + 1; i < block.Count; i++) after.Add(block[i]);
        }
        return after;
    }

    /// <summary>
    /// The loop as C#: a <c>for</c> when its header stays one statement each way, else the init followed by a
    /// <c>while</c> (or <c>do</c>) whose body ends with the step; <paramref name="count"/>, when given, counts trips.
    /// </summary>
    private static IEnumerable<CodeStmt> LoopCode(LoopStmt loop, List<CodeStmt> init, List<CodeStmt> body, List<CodeStmt> step, VariableExpr? count)
    {
        Expr condition = loop.Condition ?? new LiteralExpr("true", TypeRef.Bool);
        if (loop.Kind != LoopKind.Do && init.Count <= 1 && step.Count <= 1 && init.All(IsPlainAssign) && step.All(IsPlainAssign))
        {
            yield return new CodeFor(init.FirstOrDefault(), loop.Condition, step.FirstOrDefault(), Counted(body, count));
            yield break;
        }
        foreach (CodeStmt s in init) yield return s;
        EquatableArray<CodeStmt> each = Counted(body.Concat(step).ToList(), count);
        yield return loop.Kind == LoopKind.Do ? new CodeDoWhile(each, condition) : new CodeWhile(condition, each);
    }

    /// <summary>Re-runs the iteration's cheap local definitions that the reverse body reads, instead of a tape.</summary>
    private IEnumerable<CodeStmt> Recompute(List<AssignStmt> candidates, List<CodeStmt> reverseBody)
    {
        var needed = new HashSet<string>();
        CodeWalker.CollectNames(reverseBody, needed);
        // Walk backwards so a needed local pulls in the earlier locals its definition reads.
        var replay = new List<AssignStmt>();
        for (int i = candidates.Count - 1; i >= 0; i--)
        {
            if (!needed.Contains(((VariableExpr)candidates[i].Target).Name)) continue;
            replay.Insert(0, candidates[i]);
            Exprs.Reads(candidates[i].Value, needed);
        }
        if (replay.Count == 0) yield break;
        yield return new CodeComment("recompute this iteration's locals (cheaper than storing them)");
        foreach (AssignStmt c in replay) yield return new CodeAssign(c.Target, c.Value, false);
    }

    private void ForgetTensorSources(IEnumerable<Stmt> stmts)
    {
        var written = new HashSet<string>();
        foreach (Stmt x in stmts) StmtQueries.Written(x, written);
        foreach (string name in written) _tensorSource.Remove(name);
    }

    private static EquatableArray<CodeStmt> Counted(List<CodeStmt> body, VariableExpr? count)
    {
        if (count is not null) body.Add(new CodeIncrement(count, Decrement: false));
        return body.ToEquatableArray();
    }

    private static bool IsPlainAssign(CodeStmt c) => c is CodeAssign { Accumulate: false, Target: VariableExpr };

    /// <summary>
    /// A call the generator cannot differentiate must not receive a value that carries a derivative. Returns whether
    /// it reported one.
    /// </summary>
    private bool CheckNonDifferentiableCalls(Expr value, SourceInfo source)
    {
        bool reported = false;
        var hidden = new HashSet<string>();
        Rewrite(value, node =>
        {
            switch (node)
            {
                case OpaqueCallExpr call when (call.Type.IsRealElement) && _activity.IsVaried(call) && !_memoryWriteReported.Contains(call.Location):
                    Report(DiagnosticDescriptors.NonDifferentiableCall, call.Location ?? source.Location, CalleeName(call), ResultDepends + FixFor(call));
                    reported = true;
                    break;
                // Math.SinCos(x).Sin, t.Sin of a t = Math.SinCos(x), Complex.Exp(x).Real: a real value read back out of
                // a tuple, struct or memory made from a value that carries a derivative, which the generator cannot
                // follow through it (the gradient came out 0 or partial).
                case OpaqueMemberExpr member when member.Type.IsRealElement && _activity.IsVaried(member) && CanHideDerivative(member.Receiver.Type):
                    if (!hidden.Add(Describe(member.Receiver))) break; // t.Sin * t.Cos: once
                    Report(DiagnosticDescriptors.NonDifferentiableCall, source.Location, Describe(member.Receiver), ResultDepends +
                        $"its value ({ShortName(member.Receiver.Type.Display)}) carries the derivative where the generator cannot follow it " +
                        "(it differentiates float and double values, arrays and spans of them, and tensors), and '." + member.Member +
                        "' reads it back; compute the value with Math functions on doubles" +
                        (member.Receiver.Type.Display.Contains("Sin") ? " (Math.Sin(x) and Math.Cos(x) for Math.SinCos(x))" : ""));
                    reported = true;
                    break;
                case OpaqueMemberExpr member when member.Type.IsRealElement && _activity.IsVaried(member):
                    Report(DiagnosticDescriptors.NonDifferentiableCall, source.Location, member.Member, ResultDepends + MemberFix(member));
                    reported = true;
                    break;
                case PrimitiveCallExpr primitive:
                    reported |= CheckNonDifferentiableArguments(primitive, source);
                    break;
            }
            return node;
        });
        return reported;
    }

    private const string ResultDepends = "its result depends on a differentiable value here; ";

    /// <summary>Opaque calls reported by <see cref="CheckOpaqueMemoryWrites"/> (once, whatever else they do).</summary>
    private readonly HashSet<LocationInfo?> _memoryWriteReported = new();

    /// <summary>
    /// A call the generator cannot differentiate, given writable real memory (an array or span of float or double) and,
    /// in any of its arguments, memory that carries a derivative: it could copy values into that memory, or overwrite
    /// values that carry a derivative, where the generator cannot follow them. <c>a.AsSpan().TryCopyTo(b)</c> left dA at
    /// 0, and <c>Poke(b)</c> writing b[0] = 5 kept x's derivative in b[0]. Reported whatever the call returns: a bool
    /// or int result does not make the writes harmless. Memory passed only as ReadOnlySpan cannot be written.
    /// </summary>
    private void CheckOpaqueMemoryWrites(IEnumerable<Stmt> body)
    {
        foreach (Stmt statement in body)
        {
            foreach (Expr e in StmtQueries.Expressions(statement))
            {
                Rewrite(e, node =>
                {
                    if (node is not OpaqueCallExpr call || _memoryWriteReported.Contains(call.Location) || Exprs.Viewed(call) is not null || OnlyReads(call)) return node;
                    var memory = new List<(Expr Value, bool Writable)>();
                    if (call.Receiver is not null) AddMemory(memory, call.Receiver, readOnlyParameter: false);
                    for (int i = 0; i < call.Arguments.Count; i++)
                    {
                        AddMemory(memory, call.Arguments[i], readOnlyParameter: i < call.ReadOnlyArguments.Count && call.ReadOnlyArguments[i]);
                    }
                    // Memory that carries a derivative and could be overwritten is the first thing to name.
                    Expr? exposed = memory.FirstOrDefault(m => m.Writable && _activity.IsVaried(m.Value)).Value;
                    Expr? writable = exposed ?? memory.FirstOrDefault(m => m.Writable).Value;
                    Expr? varied = exposed ?? memory.Select(m => m.Value).FirstOrDefault(_activity.IsVaried);
                    if (writable is null || varied is null) return node;
                    _memoryWriteReported.Add(call.Location);
                    string what = ReferenceEquals(writable, varied)
                        ? $"'{MemoryName(varied)}' carries a derivative and is passed to it as writable memory"
                        : $"it is given writable memory ('{MemoryName(writable)}') with '{MemoryName(varied)}', which carries a derivative";
                    Report(DiagnosticDescriptors.NonDifferentiableCall, call.Location ?? statement.Source.Location, CalleeName(call),
                        what + ", so it could copy or overwrite values where the generator cannot follow them; copy or write the " +
                        "elements in a loop (a [Differentiable] helper can hold it), and pass memory the call only reads as a ReadOnlySpan");
                    return node;
                });
            }
        }
    }

    /// <summary>Real memory an argument hands over: an array or span, or the array of a view made in the argument
    /// (<c>b.AsMemory()</c>, which is a Memory the memory check would otherwise not see).</summary>
    private static void AddMemory(List<(Expr Value, bool Writable)> memory, Expr argument, bool readOnlyParameter)
    {
        if (argument is OpaqueCallExpr view && Exprs.Viewed(view) is { Type.IsRealBuffer: true } viewed)
        {
            memory.Add((viewed, !readOnlyParameter && !view.Method.Contains("ReadOnly")));
        }
        else if (argument.Type.IsRealBuffer)
        {
            memory.Add((argument, !readOnlyParameter && argument.Type.Shape != ShapeKind.ReadOnlySpan));
        }
    }

    /// <summary>Framework methods that take an array and only read it (a search).</summary>
    private static bool OnlyReads(OpaqueCallExpr call) =>
        call.Receiver is null && ShortName(call.Method) is "Array.IndexOf" or "Array.LastIndexOf" or "Array.BinarySearch" &&
        call.Method.StartsWith("global::System.Array.", System.StringComparison.Ordinal);

    private static string MemoryName(Expr memory) => memory switch
    {
        TensorDataExpr data => data.Tensor.Name + ".Span",
        OpaqueMemberExpr { Member: var member, Receiver: VariableExpr owner } => owner.Name + "." + member,
        VariableExpr v => v.Name,
        SliceExpr slice => slice.Buffer.Name,
        OpaqueCallExpr { Receiver: { } receiver } => MemoryName(receiver),
        OpaqueCallExpr { Arguments.Count: > 0 } call => MemoryName(call.Arguments[0]),
        OpaqueValueExpr value => value.Code.Replace("global::", ""),
        _ => "the memory",
    };

    /// <summary>Whether a value of this type could hold a derivative the generator does not track: anything but a
    /// real value, a tensor, or what carries no derivative (integers, bools and arrays of them).</summary>
    private static bool CanHideDerivative(TypeRef type) => !(type.IsRealElement || type.IsTensorLike || type.CarriesNoDerivative);

    private static string Describe(Expr value) => value switch
    {
        OpaqueCallExpr call => CalleeName(call),
        VariableExpr v => v.Name,
        OpaqueMemberExpr m => Describe(m.Receiver) + "." + m.Member,
        _ => "the value",
    };

    /// <summary>
    /// A value that carries a derivative passed to a parameter that takes none (a callee's <c>[NoGrad]</c> parameter, an
    /// op's <c>alpha</c> or <c>epsilon</c>): the callee's pullback returns nothing for it, so its derivative would be
    /// silently dropped. Returns whether it reported one.
    /// </summary>
    internal bool CheckNonDifferentiableArguments(PrimitiveCallExpr call, SourceInfo source)
    {
        bool reported = false;
        EquatableArray<CalleeParameterSpec> parameters = call.Callee.Parameters;
        for (int i = 0; i < call.Arguments.Count && i < parameters.Count; i++)
        {
            CalleeParameterSpec parameter = parameters[i];
            Expr argument = call.Arguments[i];
            // Real values only (shapes and labels carry nothing). The activity analysis is not flow-sensitive, so a
            // variable that carries a derivative anywhere counts here: 'k' in 'double k = 2; Scale(x, k); k = x * 3;' is
            // refused although the value passed is a constant (a variable of its own avoids it), rather than letting
            // 's' of 'double s = 0; s += x;' through with its derivative dropped.
            if (parameter.IsDifferentiable || !(argument.Type.IsRealElement || argument.Type.IsTensorLike) || !_activity.IsVaried(argument))
            {
                continue;
            }
            string written = i < call.ArgumentText.Count ? call.ArgumentText[i] : parameter.Name;
            Report(DiagnosticDescriptors.NonDifferentiableCall, call.Location ?? source.Location, $"{call.Callee.Name}.{parameter.Name}",
                ResultDepends + $"'{written}' carries a derivative, but '{call.Callee.Name}' takes none through its parameter '{parameter.Name}' " +
                "(a [NoGrad] parameter, or an op's setting), so that derivative would be dropped; pass a value that carries " +
                "none (a constant, or a parameter of this method marked [NoGrad]), or make the callee's parameter differentiable");
            reported = true;
        }
        return reported;
    }

    /// <summary>
    /// A tensor value that carries a derivative must be one the reverse sweep can route an adjoint to: a variable, a
    /// <c>Tensor[]</c> element or an op's result (which the lowering made a variable). Anything else (a helper's result,
    /// <c>c ? a : b</c>) is an error, so the gradient never silently stops there. Returns whether the value is fine.
    /// </summary>
    private bool CheckTensorValue(Expr value, SourceInfo source)
    {
        if (value is VariableExpr or ElementExpr || !_activity.IsVaried(value))
        {
            return true;
        }
        if (!CheckNonDifferentiableCalls(value, source))
        {
            // The advice fits what was written: ?: has a rewrite, anything else (a helper's result) needs an op.
            string fix = value is ConditionalExpr
                ? "assign it in each branch of an if/else instead of using ?:"
                : "compute it with Nn ops, or give the method that makes it a [CustomPullback]";
            Report(DiagnosticDescriptors.UnsupportedExpression, source.Location, source.Text,
                "a tensor that carries a derivative can only be a variable, a Tensor[] element or an Nn op's result here; " + fix);
        }
        return false;
    }

    /// <summary>
    /// The fix AG0007 suggests: a <c>Tensor</c> method called on a tensor that carries a derivative has an <c>Nn</c> op
    /// with a pullback; anything else can be made differentiable.
    /// </summary>
    private static string FixFor(OpaqueCallExpr call)
    {
        if (IsTensorMethod(call))
        {
            return call.Method == "Reshape"
                ? "call Nn.Reshape(x, shape) instead, whose pullback the generator knows"
                : "Tensor methods have no pullback: use an Nn op (Nn.Reshape, Nn.Flatten, Nn.Slice, Nn.Concat) on a tensor that carries a derivative";
        }
        if (call.Type.IsTensorLike)
        {
            return $"call the Nn ops inline, or give '{CalleeName(call)}' a [CustomPullback] (a [Differentiable] method cannot return a tensor)";
        }
        if (call.Method.StartsWith("global::System.MemoryExtensions.", System.StringComparison.Ordinal) ||
            call.Method is "AsSpan" or "Slice" or "ToArray" or "CopyTo")
        {
            // A view the generator cannot follow: a whole-array span, a copy, a static call of the extension.
            return "views of arrays that carry a derivative are supported as 'a.AsSpan(start, length)' or 's.Slice(start, length)' on a variable; pass the array itself, or copy into a local array element by element";
        }
        if (call.Method.StartsWith("global::System.", System.StringComparison.Ordinal) ||
            call.Method.StartsWith("double.", System.StringComparison.Ordinal) || call.Method.StartsWith("float.", System.StringComparison.Ordinal))
        {
            // double.Sin, Math.Log(x, b), double.Hypot, Math.ScaleB: library methods no one can mark.
            string name = ShortName(call.Method);
            int dot = name.IndexOf('.');
            string type = dot > 0 ? name.Substring(0, dot) : "";
            string member = dot > 0 ? name.Substring(dot + 1) : name;
            if (type is "Double" or "Single" or "double" or "float" && MathDerivatives.IsKnown(member, call.Arguments.Count))
            {
                return $"write Math.{member} (or MathF.{member}), which the generator differentiates";
            }
            return member == "Log"
                ? "write Math.Log(x) / Math.Log(b) for Math.Log(x, b)"
                : "it is not among the Math functions the generator differentiates (docs/supported-csharp.md); write it with them, or in a [Differentiable] method of your own";
        }
        return DefaultFix(CalleeName(call));
    }

    private static bool IsTensorMethod(OpaqueCallExpr call) => call.Receiver is { Type.Shape: ShapeKind.Tensor };

    private static string CalleeName(OpaqueCallExpr call) => IsTensorMethod(call) ? "Tensor." + call.Method : ShortName(call.Method);

    /// <summary>A property or field read from a value that carries a derivative: no attribute can make it differentiable.</summary>
    private static string MemberFix(OpaqueMemberExpr member) => member.Receiver.Type.Shape == ShapeKind.Tensor
        ? $"the generator does not follow a tensor's derivative through '.{member.Member}'; read the elements through a span local " +
          "('var s = t.Span;'), or compute with Nn ops"
        : $"the generator does not follow a derivative through '.{member.Member}'; compute the value in this method, or pass it " +
          "in as a parameter of its own";

    private static string DefaultFix(string name) =>
        $"mark '{name}' [Differentiable], register a derivative with [CustomPullback], or pass only constants to it";

    private static string ShortName(string method)
    {
        string name = method.Replace("global::", string.Empty);
        int generic = name.IndexOf('<');
        if (generic >= 0) name = name.Substring(0, generic);
        int dot = name.LastIndexOf('.');
        int previous = dot > 0 ? name.LastIndexOf('.', dot - 1) : -1;
        return previous >= 0 ? name.Substring(previous + 1) : name;
    }
}
