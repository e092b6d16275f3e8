using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generator.Common;
using AutoGrad.Generator.Model;
using static AutoGrad.Generator.Differentiation.Exprs;

namespace AutoGrad.Generator.Differentiation;

/// <summary>
/// Decides whether a loop outside other loops can run each iteration's reverse sweep right after the iteration's forward sweep,
/// instead of reversing the whole loop after the method's forward sweep. That needs no tape for the loop's iterations
/// and reads each iteration's values while they are still in registers or cache: for a sum of per-element terms
/// (Rosenbrock, a squared error, a mixture's log-likelihood over points) it halves the passes over memory.
/// </summary>
/// <remarks>
/// Sound when the iterations exchange nothing that carries a derivative except <em>accumulators</em> (<c>s += f</c>,
/// <c>s</c> read nowhere else in the loop), whose adjoint is the same in every iteration and, when everything after
/// the loop is linear in them (<c>return s;</c>, <c>return c + s / n;</c>), known before the loop starts. Everything
/// else the loop writes must be private to an iteration: scalars declared inside the loop (C# scoping makes each
/// iteration assign them before use), and local arrays whose every element an iteration rewrites before it reads any.
/// Inactive variables the loop carries must need no restore, since a restore would undo the forward sweep; counters
/// stepped by a constant in the header or at the end of the body are stepped after the iteration's reverse sweep.
/// </remarks>
internal static class JointLoop
{
    /// <summary>An accumulator of the loop and the expression of its adjoint, evaluated before the loop.</summary>
    public sealed record Accumulator(VariableExpr Variable, Expr AdjointAhead);

    /// <summary>
    /// How to run a loop jointly: its accumulators, and how many statements at the end of its body only step counters
    /// (<c>i++;</c>, or <c>if (!_break) i++;</c> where a <c>break</c> moved the step into the body). Those run after
    /// the iteration's reverse sweep, which reads the counters' values from before the step.
    /// </summary>
    public sealed record Plan(List<Accumulator> Accumulators, int TrailingSteps);

    /// <summary>
    /// How to run <paramref name="loop"/>, outside any other loop, jointly; null when it cannot.
    /// <paramref name="after"/> holds the statements that run after it, in order;
    /// <paramref name="roots"/> maps each name of a written local array with views to the array (<see cref="ViewAliasing"/>):
    /// a write through a view after the loop is a write of every name of the array.
    /// </summary>
    public static Plan? Decide(LoopStmt loop, List<Stmt> after, ActivityAnalysis activity, ReverseReads reverseReads,
        IReadOnlyDictionary<string, string> roots, VariableExpr result, VariableExpr dResult)
    {
        int trailing = TrailingSteps(loop);
        // Steps run forward only, after the iteration's reverse sweep: the header's step, and the trailing ones.
        var trailingWrites = new HashSet<AssignStmt>(StmtQueries.Assignments(loop.Body.Skip(loop.Body.Count - trailing)), ReferenceComparer<AssignStmt>.Instance);
        List<AssignStmt> stepAssignments = StmtQueries.Assignments(loop.Step);
        var stepWrites = new HashSet<AssignStmt>(stepAssignments, ReferenceComparer<AssignStmt>.Instance);
        var stepped = new HashSet<string>(trailingWrites.Select(a => ActivityAnalysis.TargetName(a.Target)));
        if (StmtQueries.Assignments(loop.Body.Take(loop.Body.Count - trailing)).Any(a => stepped.Contains(ActivityAnalysis.TargetName(a.Target)))) return null;
        if (ReadAfterReverseChanges(loop, trailing, reverseReads)) return null;

        var writtenAfter = new HashSet<string>();
        foreach (Stmt s in after) StmtQueries.Written(s, writtenAfter);
        roots.AddAliases(writtenAfter);
        var referencedAfter = new HashSet<string>();
        foreach (Stmt s in after) StmtQueries.Referenced(s, referencedAfter);
        roots.AddAliases(referencedAfter);

        // Declared inside an iteration (the counter declared in the header is not: it carries from one to the next).
        var iterationLocal = new HashSet<string>();
        foreach (AssignStmt a in StmtQueries.Assignments(loop.Body))
        {
            if (a is { IsDeclaration: true, Target: VariableExpr v }) iterationLocal.Add(v.Name);
        }

        var referenced = new HashSet<string>();
        StmtQueries.Referenced(loop, referenced);
        var writtenByLoop = new HashSet<string>();
        StmtQueries.Written(loop, writtenByLoop);
        roots.AddAliases(writtenByLoop);
        List<AssignStmt> bodyWrites = StmtQueries.Assignments(loop.Body);
        var candidates = new Dictionary<string, VariableExpr>();
        foreach (AssignStmt a in bodyWrites.Concat(stepAssignments))
        {
            string name = ActivityAnalysis.TargetName(a.Target);
            if (a.Target.Type.IsTensorLike || a.Value is PrimitiveCallExpr { IsTensorOp: true }) return null;
            if (a.Target is ElementExpr element)
            {
                if (!IsIterationLocalArray(element.Buffer.Name, loop.Body, reverseReads, roots) || referencedAfter.Contains(element.Buffer.Name)) return null;
                continue;
            }
            if (iterationLocal.Contains(name)) continue;
            bool active = a.Target.Type.IsRealElement && activity.IsActive(name);
            if (active)
            {
                if (stepWrites.Contains(a) || !StmtQueries.IsIncrement(a)) return null;
                // An accumulator whose old value another statement's reverse reads (an earlier loop's 's = s * x + 1')
                // is saved before each addition and restored by the iteration's reverse sweep, which would undo the
                // forward sweep's sum.
                if (reverseReads.MustSave(name, a, loop)) return null;
                candidates[name] = (VariableExpr)a.Target;
            }
            else if (reverseReads.MustSave(name, a, loop) && !((stepWrites.Contains(a) || trailingWrites.Contains(a)) && StmtQueries.IsConstantStep(a)))
            {
                // The restore would run in the middle of the forward sweep.
                return null;
            }
        }

        var accumulators = new List<Accumulator>();
        foreach (VariableExpr acc in candidates.Values.OrderBy(v => v.Name, System.StringComparer.Ordinal))
        {
            // Read by the loop only where it adds to itself, so no iteration's derivative depends on its value.
            if (bodyWrites.Any(a => ActivityAnalysis.TargetName(a.Target) != acc.Name && ReadsName(a, acc.Name)) ||
                bodyWrites.Any(a => ActivityAnalysis.TargetName(a.Target) == acc.Name && !StmtQueries.IsIncrement(a)) ||
                ConditionsRead(loop, acc.Name))
            {
                return null;
            }
            Expr? ahead = AdjointAhead(acc, after, writtenAfter, writtenByLoop, result, dResult, depth: 0);
            if (ahead is null) return null;
            accumulators.Add(new Accumulator(acc, Cast(ahead, acc.Type)));
        }

        // The loop's reverse adds to the adjoints of what it reads, ahead of the reverse sweep: a later write's reverse
        // would zero them (an overwrite) or pass them on to what the write read ('x += a' adds dX to dA, which must
        // hold only what x's new value contributes). An accumulator may be added to later (a regularizer's loop):
        // the loop reads it only to add to it, so no contribution of the loop is in its adjoint.
        foreach (string name in referenced)
        {
            if (writtenAfter.Contains(name) && activity.IsActive(name) && !iterationLocal.Contains(name) &&
                StmtQueries.Assignments(after).Any(a => roots.Root(ActivityAnalysis.TargetName(a.Target)) == roots.Root(name) &&
                    (!StmtQueries.IsIncrement(a) || !candidates.ContainsKey(name))))
            {
                return null;
            }
        }
        return new Plan(accumulators, trailing);
    }

    /// <summary>
    /// True when the code that runs after each iteration's reverse sweep (the trailing steps and their conditions, the
    /// header's step, the loop condition) reads a value that reverse sweep may have changed back: a variable the
    /// iteration saves and restores (<c>t = Math.Sin(t) * 2; ... if (t &gt; 0.5) j++;</c> tested the restored t), an
    /// element of an array (restored elements), or anything a loop nested in the body writes (its reverse steps its
    /// counters back). The forward sweep would then take another path than the primal does.
    /// </summary>
    private static bool ReadAfterReverseChanges(LoopStmt loop, int trailing, ReverseReads reverseReads)
    {
        var readAfter = new HashSet<string>();
        if (loop.Condition is not null) Exprs.Reads(loop.Condition, readAfter);
        foreach (Stmt s in loop.Step.Concat(loop.Body.Skip(loop.Body.Count - trailing))) StmtQueries.Referenced(s, readAfter);
        List<Stmt> own = loop.Body.Take(loop.Body.Count - trailing).ToList();
        var writtenByNestedLoops = new HashSet<string>();
        foreach (Stmt s in own) NestedLoopWrites(s, writtenByNestedLoops);
        if (writtenByNestedLoops.Overlaps(readAfter)) return true;
        return StmtQueries.Assignments(own).Any(a =>
            readAfter.Contains(ActivityAnalysis.TargetName(a.Target)) &&
            (a.Target is ElementExpr || reverseReads.MustSave(ActivityAnalysis.TargetName(a.Target), a, loop)));
    }

    private static void NestedLoopWrites(Stmt s, HashSet<string> into)
    {
        switch (s)
        {
            case LoopStmt l:
                StmtQueries.Written(l, into);
                break;
            case IfStmt i:
                foreach (Stmt t in i.Then.Concat(i.Else)) NestedLoopWrites(t, into);
                break;
        }
    }

    /// <summary>How many statements at the end of the body only step integer counters by constants.</summary>
    private static int TrailingSteps(LoopStmt loop)
    {
        int count = 0;
        for (int i = loop.Body.Count - 1; i >= 0 && IsStep(loop.Body[i]); i--) count++;
        return count;
    }

    private static bool IsStep(Stmt s) => s switch
    {
        AssignStmt a => StmtQueries.IsConstantStep(a),
        IfStmt { Else.Count: 0 } i => i.Then.Count > 0 && i.Then.All(IsStep) && i.Condition.Type.Display == "bool" && IsPlain(i.Condition),
        _ => false,
    };

    /// <summary>A condition made of variables, literals and operators: nothing to compute twice or to differentiate.</summary>
    private static bool IsPlain(Expr e) => e switch
    {
        VariableExpr or LiteralExpr => true,
        UnaryExpr u => IsPlain(u.Operand),
        BinaryExpr b => IsPlain(b.Left) && IsPlain(b.Right),
        _ => false,
    };

    private static bool ReadsName(AssignStmt a, string name)
    {
        var reads = new HashSet<string>();
        Exprs.Reads(a.Value, reads);
        if (a.Target is ElementExpr e) Exprs.Reads(e.Index, reads);
        return reads.Contains(name);
    }

    private static bool ConditionsRead(Stmt s, string name) => s switch
    {
        IfStmt i => Reads(i.Condition).Contains(name) || i.Then.Concat(i.Else).Any(t => ConditionsRead(t, name)),
        LoopStmt l => Reads(l.Condition).Contains(name) || l.Init.Concat(l.Body).Concat(l.Step).Any(t => ConditionsRead(t, name)),
        _ => false,
    };

    /// <summary>
    /// True when, in each execution of <paramref name="block"/>, the first statement that touches the local array (under
    /// any of its names) rewrites all of it (or is a loop each of whose iterations does), so no element an iteration reads comes from
    /// an earlier one.
    /// </summary>
    private static bool IsIterationLocalArray(string buffer, IReadOnlyList<Stmt> block, ReverseReads reverseReads, IReadOnlyDictionary<string, string> roots)
    {
        for (int i = 0; i < block.Count; i++)
        {
            var touched = new HashSet<string>();
            StmtQueries.Referenced(block[i], touched);
            roots.AddAliases(touched);
            if (!touched.Contains(buffer)) continue;
            if (block[i] is not LoopStmt inner) return false;
            if (reverseReads.RewritesLocalArray(inner, buffer)) return true;
            // Private to each iteration of the inner loop, and nothing after it (which could see a stale array when
            // the inner loop runs no iteration) touches it.
            for (int j = i + 1; j < block.Count; j++)
            {
                var later = new HashSet<string>();
                StmtQueries.Referenced(block[j], later);
                roots.AddAliases(later);
                if (later.Contains(buffer)) return false;
            }
            return IsIterationLocalArray(buffer, inner.Body, reverseReads, roots);
        }
        return false;
    }

    /// <summary>
    /// The adjoint of <paramref name="v"/> right after the loop, as an expression of values known before the loop: the
    /// statements after it must use <paramref name="v"/> only linearly, with coefficients the loop does not change,
    /// in straight-line assignments whose targets have such adjoints too; the method's result has <c>dResult</c>.
    /// </summary>
    private static Expr? AdjointAhead(VariableExpr v, List<Stmt> after, HashSet<string> writtenAfter, HashSet<string> writtenByLoop,
        VariableExpr result, VariableExpr dResult, int depth)
    {
        if (v.Name == result.Name) return dResult;
        if (depth > 8) return null;
        Expr sum = Lit(0, v.Type);
        for (int i = 0; i < after.Count; i++)
        {
            var touched = new HashSet<string>();
            StmtQueries.Referenced(after[i], touched);
            if (!touched.Contains(v.Name)) continue;
            // Only added to here (another loop of terms, a penalty): the adjoint passes through unchanged.
            if (OnlyAddsTo(after[i], v.Name)) continue;
            if (after[i] is not AssignStmt { Target: VariableExpr target } a || target.Name == v.Name || !a.Target.Type.IsRealElement) return null;
            Expr? coefficient = LinearCoefficient(a.Value, v);
            if (coefficient is null) return null;
            var needs = Reads(coefficient);
            if (needs.Overlaps(writtenAfter) || needs.Overlaps(writtenByLoop)) return null;
            Expr? targetAdjoint = AdjointAhead(target, after.Skip(i + 1).ToList(), writtenAfter, writtenByLoop, result, dResult, depth + 1);
            if (targetAdjoint is null) return null;
            sum = Add(sum, Mul(coefficient, Cast(targetAdjoint, v.Type)));
        }
        return sum;
    }

    /// <summary>
    /// True when every use of <paramref name="name"/> in <paramref name="s"/> is <c>name += f</c> with f not reading it:
    /// no condition, index or other value reads it.
    /// </summary>
    private static bool OnlyAddsTo(Stmt s, string name)
    {
        if (ConditionsRead(s, name)) return false;
        foreach (AssignStmt a in StmtQueries.Assignments(new[] { s }))
        {
            bool target = a.Target is VariableExpr v && v.Name == name;
            if (target ? !StmtQueries.IsIncrement(a) : ReadsName(a, name)) return false;
        }
        return true;
    }

    /// <summary>∂e/∂v when e is linear in v with a coefficient that does not read v; null otherwise.</summary>
    private static Expr? LinearCoefficient(Expr e, VariableExpr v)
    {
        if (!Reads(e).Contains(v.Name)) return Lit(0, v.Type);
        switch (e)
        {
            case VariableExpr:
                return Lit(1, v.Type);
            case UnaryExpr { Op: UnaryOp.Negate } u:
                return LinearCoefficient(u.Operand, v) is { } c ? Neg(c) : null;
            case BinaryExpr { Op: BinaryOp.Add or BinaryOp.Subtract } b:
            {
                Expr? l = LinearCoefficient(b.Left, v), r = LinearCoefficient(b.Right, v);
                if (l is null || r is null) return null;
                return b.Op == BinaryOp.Add ? Add(l, r) : IsLiteral(r, 0) ? l : Sub(l, r);
            }
            case BinaryExpr { Op: BinaryOp.Multiply } b when !Reads(b.Left).Contains(v.Name):
                return LinearCoefficient(b.Right, v) is { } cr ? Mul(Cast(b.Left, v.Type), cr) : null;
            case BinaryExpr { Op: BinaryOp.Multiply } b when !Reads(b.Right).Contains(v.Name):
                return LinearCoefficient(b.Left, v) is { } cl ? Mul(cl, Cast(b.Right, v.Type)) : null;
            case BinaryExpr { Op: BinaryOp.Divide } b when !Reads(b.Right).Contains(v.Name):
                return LinearCoefficient(b.Left, v) is { } cd ? Div(cd, Cast(b.Right, v.Type)) : null;
            case CastExpr cast when cast.Type.IsRealScalar:
                return LinearCoefficient(cast.Operand, v);
            default:
                return null;
        }
    }
}
