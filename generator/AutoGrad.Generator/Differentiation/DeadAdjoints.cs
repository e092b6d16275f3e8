using System;
using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generator.Common;
using AutoGrad.Generator.Model;

namespace AutoGrad.Generator.Differentiation;

/// <summary>
/// Removes writes to scalar adjoints that nothing reads: after a joint loop has used its own copy of an accumulator's
/// adjoint, the reverse sweep's <c>_d_s += dResult;</c> for the same variable reaches no one, and a reader of the
/// generated code should not have to work that out. A comment left with no code under it goes too.
/// </summary>
internal static class DeadAdjoints
{
    public static List<CodeStmt> Remove(List<CodeStmt> code, ISet<string> scalarAdjoints)
    {
        while (true)
        {
            var read = new HashSet<string>();
            CodeWalker.CollectNames(code, read, assignedVariables: false, declaredVariables: false);
            var dead = new HashSet<string>(scalarAdjoints.Where(a => !read.Contains(a)));
            CollectUnreadTemporaries(code, read, dead);
            List<CodeStmt> pruned = Prune(code, dead);
            if (pruned.SequenceEqual(code)) return code;
            code = pruned;
        }
    }

    private static bool Writes(CodeStmt s, HashSet<string> dead) =>
        s is CodeAssign { Target: VariableExpr v } && dead.Contains(v.Name) ||
        // A temporary of the reverse sweep (_g…, _t…) that lost its last reader, computed without calls.
        s is CodeDeclare { Name: var name, Init: { } init } && (name.StartsWith("_g", StringComparison.Ordinal) || name.StartsWith("_t", StringComparison.Ordinal)) &&
            dead.Contains(name) && IsPure(init);

    private static bool IsPure(Expr e)
    {
        bool pure = true;
        Exprs.Rewrite(e, node =>
        {
            pure &= node is not (OpaqueCallExpr or OpaqueMemberExpr or PrimitiveCallExpr or AllocationExpr or RefExpr);
            return node;
        });
        return pure;
    }

    private static List<CodeStmt> Prune(IEnumerable<CodeStmt> code, HashSet<string> dead)
    {
        var output = new List<CodeStmt>();
        // The last statement comment, and whether everything after it so far was pruned: then it lost its code.
        int comment = -1;
        bool kept = false, pruned = false;
        foreach (CodeStmt s in code)
        {
            if (Writes(s, dead))
            {
                pruned = true;
                continue;
            }
            if (s is CodeComment c && c.Text.StartsWith("line ", StringComparison.Ordinal))
            {
                DropOrphan(output, comment, kept, pruned);
                comment = output.Count;
                kept = pruned = false;
                output.Add(s);
                continue;
            }
            // The method's return and blank lines belong to no statement.
            kept |= s is not (CodeReturn or CodeBlank);
            output.Add(CodeWalker.MapBlocks(s, block => Prune(block, dead)));
        }
        DropOrphan(output, comment, kept, pruned);
        return output;
    }

    private static void CollectUnreadTemporaries(IEnumerable<CodeStmt> code, HashSet<string> read, HashSet<string> dead)
    {
        foreach (CodeStmt s in code)
        {
            if (s is CodeDeclare d && !read.Contains(d.Name)) dead.Add(d.Name);
            foreach (EquatableArray<CodeStmt> block in CodeWalker.Blocks(s)) CollectUnreadTemporaries(block, read, dead);
        }
    }

    private static void DropOrphan(List<CodeStmt> output, int comment, bool kept, bool pruned)
    {
        if (comment >= 0 && pruned && !kept) output.RemoveAt(comment);
    }
}
