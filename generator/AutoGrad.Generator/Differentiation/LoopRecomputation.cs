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
    /// <summary>The declarations of <paramref name="loop"/>'s body that the reverse iteration recomputes.</summary>
    /// <param name="loop">The loop.</param>
    /// <param name="method">The method's statements, to see what else reads the declared names.</param>
    /// <param name="roots">Each name of a written local array with views, mapped to one name for all (<see cref="ViewAliasing"/>).</param>
    public static List<AssignStmt> Find(LoopStmt loop, IReadOnlyList<Stmt> method, IReadOnlyDictionary<string, string> roots)
    {
        var chosen = new List<AssignStmt>();
        var chosenNames = new HashSet<string>();
        var body = loop.Body;
        for (int i = 0; i < body.Count; i++)
        {
            if (body[i] is not AssignStmt { IsDeclaration: true, Target: VariableExpr v } s) continue;
            if (v.Type.Shape != ShapeKind.Scalar || v.Type.IsTensorLike) continue;
            if (StmtQueries.CountAssignments(method, v.Name) != 1) continue;
            if (!IsCheap(s.Value)) continue;
            var writtenLater = new HashSet<string>();
            for (int j = i + 1; j < body.Count; j++) StmtQueries.Written(body[j], writtenLater);
            var writtenRoots = new HashSet<string>(writtenLater.Select(roots.Root));
            if (Exprs.Reads(s.Value).Any(r => writtenRoots.Contains(roots.Root(r)))) continue;
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
}
