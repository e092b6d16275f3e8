using System.Collections.Generic;
using AutoGrad.Generator.Model;

namespace AutoGrad.Generator.Differentiation;

/// <summary>
/// The variables whose values the reverse sweep reads (to evaluate partial derivatives and to index adjoints).
/// Only these need their overwritten values saved: <c>s = s + f</c> never saves <c>s</c>, <c>h = h * w</c> does.
/// </summary>
internal static class ReverseReads
{
    public static HashSet<string> Compute(IReadOnlyList<Stmt> body, ActivityAnalysis activity)
    {
        var reads = new HashSet<string>();
        var assignments = new List<AssignStmt>();
        Collect(body, assignments);
        // Locals a loop recomputes in its reverse iterations: what they read must then hold forward values too.
        var recomputed = new List<AssignStmt>();
        CollectLoops(body, body, recomputed);
        int before;
        do
        {
            before = reads.Count;
            foreach (AssignStmt s in assignments)
            {
                string target = ActivityAnalysis.TargetName(s.Target);
                bool active = s.Target.Type.IsRealElement && !s.Target.Type.IsBuffer && activity.IsActive(target);
                if (active)
                {
                    Partials(s.Value, activity, reads);
                    if (s.Target is ElementExpr e) Exprs.Reads(e.Index, reads);
                }
                if (s.Target is ElementExpr element && reads.Contains(element.Buffer.Name))
                {
                    // Restoring an overwritten element needs its index.
                    Exprs.Reads(element.Index, reads);
                }
            }
            foreach (AssignStmt r in recomputed)
            {
                if (reads.Contains(((VariableExpr)r.Target).Name)) Exprs.Reads(r.Value, reads);
            }
        }
        while (reads.Count != before);
        return reads;
    }

    private static void CollectLoops(IEnumerable<Stmt> stmts, IReadOnlyList<Stmt> method, List<AssignStmt> into)
    {
        foreach (Stmt s in stmts)
        {
            switch (s)
            {
                case IfStmt i:
                    CollectLoops(i.Then, method, into);
                    CollectLoops(i.Else, method, into);
                    break;
                case LoopStmt l:
                    into.AddRange(LoopRecomputation.Find(l, method));
                    CollectLoops(l.Body, method, into);
                    break;
            }
        }
    }

    private static void Collect(IEnumerable<Stmt> stmts, List<AssignStmt> into)
    {
        foreach (Stmt s in stmts)
        {
            switch (s)
            {
                case AssignStmt a:
                    into.Add(a);
                    break;
                case IfStmt i:
                    Collect(i.Then, into);
                    Collect(i.Else, into);
                    break;
                case LoopStmt l:
                    Collect(l.Init, into);
                    Collect(l.Body, into);
                    Collect(l.Step, into);
                    break;
            }
        }
    }

    /// <summary>What backpropagating through <paramref name="e"/> reads; mirrors Differentiator.Backprop.</summary>
    private static void Partials(Expr e, ActivityAnalysis activity, HashSet<string> into)
    {
        if (!activity.IsActive(e)) return;
        switch (e)
        {
            case ElementExpr el:
                Exprs.Reads(el.Index, into);
                break;
            case UnaryExpr u:
                Partials(u.Operand, activity, into);
                break;
            case CastExpr c:
                Partials(c.Operand, activity, into);
                break;
            case BinaryExpr { Op: BinaryOp.Add or BinaryOp.Subtract } b:
                Partials(b.Left, activity, into);
                Partials(b.Right, activity, into);
                break;
            case BinaryExpr { Op: BinaryOp.Multiply } b:
                if (activity.IsActive(b.Left)) Exprs.Reads(b.Right, into);
                if (activity.IsActive(b.Right)) Exprs.Reads(b.Left, into);
                Partials(b.Left, activity, into);
                Partials(b.Right, activity, into);
                break;
            case BinaryExpr b:
                Exprs.Reads(b.Left, into);
                Exprs.Reads(b.Right, into);
                Partials(b.Left, activity, into);
                Partials(b.Right, activity, into);
                break;
            case ConditionalExpr c:
                Exprs.Reads(c.Condition, into);
                Partials(c.WhenTrue, activity, into);
                Partials(c.WhenFalse, activity, into);
                break;
            case MathCallExpr m:
                foreach (Expr a in m.Arguments)
                {
                    Exprs.Reads(a, into);
                    Partials(a, activity, into);
                }
                break;
            case PrimitiveCallExpr p:
                foreach (Expr a in p.Arguments)
                {
                    Exprs.Reads(a, into);
                    Partials(a, activity, into);
                }
                break;
        }
    }
}
