using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generator.Model;

namespace AutoGrad.Generator.Differentiation;

/// <summary>
/// Decides which values a loop iteration can recompute in the reverse sweep instead of storing them on the tape.
/// A local declared at the top level of a loop body (<c>double a = 1 - x[i];</c>) qualifies when it is assigned
/// nowhere else, its right-hand side is cheap (no calls but Abs/Min/Max), and nothing it reads is written later in
/// the same iteration: then re-running the declaration at the start of the reverse iteration reproduces the value
/// exactly, because the state there equals the forward state at the end of that iteration's body.
/// </summary>
internal static class LoopRecomputation
{
    public static List<AssignStmt> Find(LoopStmt loop, IReadOnlyList<Stmt> method)
    {
        var assignmentCounts = new Dictionary<string, int>();
        CountAssignments(method, assignmentCounts);
        var chosen = new List<AssignStmt>();
        var chosenNames = new HashSet<string>();
        var body = loop.Body;
        for (int i = 0; i < body.Count; i++)
        {
            if (body[i] is not AssignStmt { IsDeclaration: true, Target: VariableExpr v } s) continue;
            if (v.Type.Shape != ShapeKind.Scalar || v.Type.IsTensorLike) continue;
            if (assignmentCounts.TryGetValue(v.Name, out int count) && count != 1) continue;
            if (!IsCheap(s.Value)) continue;
            var writtenLater = new HashSet<string>();
            for (int j = i + 1; j < body.Count; j++) Written(body[j], writtenLater);
            if (Exprs.Reads(s.Value).Overlaps(writtenLater)) continue;
            chosen.Add(s);
            chosenNames.Add(v.Name);
        }
        return chosen;
    }

    private static bool IsCheap(Expr e)
    {
        bool cheap = true;
        Exprs.Rewrite(e, node =>
        {
            cheap &= node switch
            {
                MathCallExpr m => m.Function is "Abs" or "Max" or "Min",
                PrimitiveCallExpr or OpaqueCallExpr or OpaqueMemberExpr or AllocationExpr => false,
                _ => true,
            };
            return node;
        });
        return cheap;
    }

    private static void CountAssignments(IEnumerable<Stmt> stmts, Dictionary<string, int> counts)
    {
        foreach (Stmt s in stmts)
        {
            switch (s)
            {
                case AssignStmt { Target: VariableExpr v }:
                    counts[v.Name] = counts.TryGetValue(v.Name, out int c) ? c + 1 : 1;
                    break;
                case IfStmt i:
                    CountAssignments(i.Then, counts);
                    CountAssignments(i.Else, counts);
                    break;
                case LoopStmt l:
                    CountAssignments(l.Init, counts);
                    CountAssignments(l.Body, counts);
                    CountAssignments(l.Step, counts);
                    break;
            }
        }
    }

    /// <summary>Variables and buffers a statement may write.</summary>
    private static void Written(Stmt s, HashSet<string> into)
    {
        switch (s)
        {
            case AssignStmt a:
                into.Add(ActivityAnalysis.TargetName(a.Target));
                break;
            case IfStmt i:
                foreach (Stmt x in i.Then) Written(x, into);
                foreach (Stmt x in i.Else) Written(x, into);
                break;
            case LoopStmt l:
                foreach (Stmt x in l.Init.Concat(l.Body).Concat(l.Step)) Written(x, into);
                break;
        }
    }
}
