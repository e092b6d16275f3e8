using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generator.Common;
using AutoGrad.Generator.Model;

namespace AutoGrad.Generator.Differentiation;

/// <summary>
/// Assignments whose value nothing reads: overwritten, in the same block, before any statement reads the variable
/// (<c>y = x * c; y = x * 2;</c>). Activity analysis works per variable, so such a store would still get a reverse
/// step, adding <c>0 · ∂</c> to its inputs' adjoints: NaN when the partial is not finite (<c>c</c> a NaN the primal
/// never used, <c>Math.Acos</c> outside its domain). The reverse sweep skips them, as it does inactive statements.
/// </summary>
internal static class DeadStores
{
    /// <param name="body">The method's body after unrolling and lowering.</param>
    /// <param name="aliased">Names of local arrays with views: their elements are left alone.</param>
    /// <returns>The dead assignments, by reference.</returns>
    public static HashSet<Stmt> Find(IReadOnlyList<Stmt> body, IReadOnlyDictionary<string, string> aliased)
    {
        var dead = new HashSet<Stmt>(ReferenceComparer<Stmt>.Instance);
        Visit(body, aliased, dead);
        if (dead.Count > 0) AddWhatOnlyTheDeadRead(body, dead);
        return dead;
    }

    /// <summary>
    /// A value assigned once and read only by dead statements is dead too: the op temporaries of
    /// <c>s = Nn.Sum(Nn.Mul(h, c)); s = ...;</c>, whose pullbacks would otherwise still add <c>0 · c</c> to h's gradient.
    /// </summary>
    private static void AddWhatOnlyTheDeadRead(IReadOnlyList<Stmt> body, HashSet<Stmt> dead)
    {
        List<Stmt> all = body.SelectMany(s => new[] { s }.Concat(Nested(s))).ToList();
        bool changed = true;
        while (changed)
        {
            changed = false;
            foreach (AssignStmt a in all.OfType<AssignStmt>())
            {
                if (dead.Contains(a) || a.Target is not VariableExpr v || StmtQueries.CountAssignments(body, v.Name) != 1) continue;
                List<Stmt> readers = all.Where(s => OwnReads(s).Contains(v.Name)).ToList();
                if (readers.Count > 0 && readers.All(dead.Contains))
                {
                    dead.Add(a);
                    changed = true;
                }
            }
        }
    }

    /// <summary>What a statement itself reads, its nested statements' reads excepted.</summary>
    private static HashSet<string> OwnReads(Stmt s)
    {
        var reads = new HashSet<string>();
        switch (s)
        {
            case AssignStmt a:
                Exprs.Reads(a.Value, reads);
                if (a.Target is ElementExpr e) Exprs.Reads(e.Index, reads);
                break;
            case IfStmt i:
                Exprs.Reads(i.Condition, reads);
                break;
            case LoopStmt l:
                Exprs.Reads(l.Condition, reads);
                break;
            case ReturnStmt r:
                Exprs.Reads(r.Value, reads);
                break;
        }
        return reads;
    }

    private static void Visit(IReadOnlyList<Stmt> block, IReadOnlyDictionary<string, string> aliased, HashSet<Stmt> dead)
    {
        for (int i = 0; i < block.Count; i++)
        {
            switch (block[i])
            {
                case AssignStmt a when Tracked(a.Target, aliased) is string name && IsOverwrittenUnread(block, i, a.Target, name):
                    dead.Add(a);
                    break;
                case IfStmt s:
                    Visit(s.Then, aliased, dead);
                    Visit(s.Else, aliased, dead);
                    break;
                case LoopStmt l:
                    Visit(l.Body, aliased, dead);
                    break;
            }
        }
    }

    /// <summary>The variable or buffer a store is tracked under: a real scalar, or a constant element of an unaliased buffer.</summary>
    private static string? Tracked(Expr target, IReadOnlyDictionary<string, string> aliased) => target switch
    {
        VariableExpr { Type.IsRealScalar: true } v => v.Name,
        ElementExpr { Index: LiteralExpr, Type.IsRealElement: true } e when !aliased.ContainsKey(e.Buffer.Name) => e.Buffer.Name,
        _ => null,
    };

    private static bool IsOverwrittenUnread(IReadOnlyList<Stmt> block, int at, Expr target, string name)
    {
        for (int j = at + 1; j < block.Count; j++)
        {
            Stmt s = block[j];
            // A jump may skip the overwrite; a return reads what it returns (and ends the method).
            if (StmtQueries.HasJump(new[] { s }) || ReadsOf(s).Contains(name)) return false;
            if (s is AssignStmt b && b.Target.Equals(target)) return true;
        }
        // The end of the block: what follows it (the rest of the method, the next iteration) may read the value.
        return false;
    }

    /// <summary>The names a statement reads, its assignment targets excepted (an element target's index is read).</summary>
    private static HashSet<string> ReadsOf(Stmt s)
    {
        var reads = new HashSet<string>();
        foreach (Stmt inner in new[] { s }.Concat(Nested(s))) reads.UnionWith(OwnReads(inner));
        return reads;
    }

    private static IEnumerable<Stmt> Nested(Stmt s) => s switch
    {
        IfStmt i => i.Then.Concat(i.Else).SelectMany(x => new[] { x }.Concat(Nested(x))),
        LoopStmt l => l.Init.Concat(l.Step).Concat(l.Body).SelectMany(x => new[] { x }.Concat(Nested(x))),
        _ => Enumerable.Empty<Stmt>(),
    };
}
