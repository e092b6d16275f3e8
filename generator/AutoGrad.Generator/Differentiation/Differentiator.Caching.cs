using System.Collections.Generic;
using AutoGrad.Generator.Model;
using static AutoGrad.Generator.Differentiation.Exprs;

namespace AutoGrad.Generator.Differentiation;

internal sealed partial class Differentiator
{
    /// <summary>
    /// Keeps the results of transcendental calls whose derivative is their own result (<c>Exp</c>, <c>Tanh</c>,
    /// <c>Sqrt</c>, ...), so the reverse sweep reuses the forward value instead of calling the function again: in a
    /// hoisted local when <see cref="RunsOnceBeforeItsReverse"/>, on the tape in other loops. A push and a pop cost a
    /// few cycles; an <c>Exp</c> costs tens.
    /// </summary>
    /// <returns>The statement's value with the kept calls replaced by the locals that hold them.</returns>
    private Expr KeepCallResults(AssignStmt s, int loopDepth, List<CodeStmt> forward, List<CodeStmt> reverse, Dictionary<Expr, Expr> memo)
    {
        var calls = new List<MathCallExpr>();
        CollectKeptCalls(s.Value, calls);
        if (calls.Count == 0) return s.Value;
        bool once = RunsOnceBeforeItsReverse(loopDepth);
        var kept = new Dictionary<Expr, Expr>();
        var pops = new List<CodeStmt>();
        foreach (MathCallExpr call in calls)
        {
            if (once)
            {
                VariableExpr local = Hoist("_kept", call.Type);
                forward.Add(new CodeAssign(local, call, false));
                kept[call] = local;
                memo[call] = local;
                continue;
            }
            var pushed = Var(_names.Numbered("_kept"), call.Type);
            var tape = Var(Tape(call.Type), call.Type);
            forward.Add(new CodeDeclare(call.Type.Display, pushed.Name, call));
            forward.Add(new CodeExpression(Exprs.Call(tape, "Push", TypeRef.Int, pushed)));
            kept[call] = pushed;
            var popped = Var(_names.Numbered("_kept"), call.Type);
            // Pushed in order, so popped in reverse order, before the statement's own restore.
            pops.Insert(0, new CodeDeclare(call.Type.Display, popped.Name, Exprs.Call(tape, "Pop", call.Type)));
            memo[call] = popped;
        }
        reverse.AddRange(pops);
        return Rewrite(s.Value, node => kept.TryGetValue(node, out Expr? local) ? local : node);
    }

    /// <summary>
    /// True when a statement at this loop depth runs at most once between its forward code and its reverse: outside
    /// loops, or directly in a joint loop's body, whose reverse runs in the same iteration. Then a local can carry a
    /// value from one to the other; deeper in loops it takes the tape.
    /// </summary>
    private bool RunsOnceBeforeItsReverse(int loopDepth) => loopDepth == 0 || _jointLoop is not null && loopDepth == 1;

    /// <summary>Active calls that are always evaluated (not in a branch of <c>?:</c>), outermost first, each once.</summary>
    private void CollectKeptCalls(Expr e, List<MathCallExpr> into)
    {
        switch (e)
        {
            case MathCallExpr m when MathDerivatives.DerivativeIsResult(m.Function) && _activity.IsActive(m):
                if (!into.Contains(m)) into.Add(m);
                return;
            case MathCallExpr m:
                foreach (Expr a in m.Arguments) CollectKeptCalls(a, into);
                return;
            case UnaryExpr u:
                CollectKeptCalls(u.Operand, into);
                return;
            case BinaryExpr { Op: BinaryOp.Add or BinaryOp.Subtract or BinaryOp.Multiply or BinaryOp.Divide } b:
                CollectKeptCalls(b.Left, into);
                CollectKeptCalls(b.Right, into);
                return;
            case CastExpr c:
                CollectKeptCalls(c.Operand, into);
                return;
            case ConditionalExpr c:
                CollectKeptCalls(c.Condition, into);
                return;
        }
    }
}
