using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generator.Common;
using AutoGrad.Generator.Model;

namespace AutoGrad.Generator.Differentiation;

/// <summary>
/// Folds several <c>adjoint += contribution</c> statements to the same target in one straight-line block into a single
/// <c>+=</c> of their sum. <c>x[i] * x[i]</c> alone produces two contributions to <c>dX[i]</c>; as separate
/// read-modify-writes of one memory location they form a store-to-load chain that costs more than the arithmetic.
/// A pending sum is written out before any statement that reads its target or changes a variable it depends on, under
/// any of their names: <c>names</c> maps each name of a written local array with views, and of its
/// adjoint, to one name for all (<see cref="ViewAliasing"/>).
/// </summary>
internal static class AccumulationCoalescer
{
    public static List<CodeStmt> Coalesce(IEnumerable<CodeStmt> block, IReadOnlyDictionary<string, string> names)
    {
        var output = new List<CodeStmt>();
        var pending = new List<Pending>();
        foreach (CodeStmt s in block)
        {
            if (s is CodeAssign { Accumulate: true } add)
            {
                // A pending sum that reads this target must be written before the target changes, and a pending sum
                // this addition reads must be written before it is read: '_d_x += g' may not pass 'dA[0] += c ? _d_x : 0'.
                string written = names.Root(CodeWalker.TargetName(add.Target));
                var valueReads = new HashSet<string>(Exprs.Reads(add.Value).Select(names.Root));
                Flush(pending, p => !p.Target.Equals(add.Target) &&
                    (p.ValueNames.Any(n => names.Root(n) == written) || valueReads.Contains(names.Root(CodeWalker.TargetName(p.Target)))), output);
                Pending? same = pending.FirstOrDefault(p => p.Target.Equals(add.Target));
                if (same is not null && !Exprs.Reads(add.Value).Contains(CodeWalker.TargetName(add.Target)))
                {
                    same.Contributions.Add(add.Value);
                    same.Names.UnionWith(Exprs.Reads(add.Value));
                    same.ValueNames.UnionWith(Exprs.Reads(add.Value));
                    continue;
                }
                Flush(pending, p => p == same, output);
                pending.Add(new Pending(add.Target, add.Value));
                continue;
            }
            if (s is CodeComment)
            {
                // Keep scalar adjoints under their statement's comment; only memory targets gain from crossing it.
                Flush(pending, p => p.Target is VariableExpr, output);
                foreach (Pending p in pending) p.CrossedStatements = true;
                output.Add(s);
                continue;
            }
            if (s is CodeIf or CodeFor or CodeWhile or CodeDoWhile or CodeBlock or CodeTryFinally or CodeReturn)
            {
                Flush(pending, _ => true, output);
                output.Add(CodeWalker.MapBlocks(s, b => Coalesce(b, names)));
                continue;
            }
            var reads = new HashSet<string>();
            CodeWalker.CollectNames(new[] { s }, reads);
            HashSet<string> writes = CodeWalker.Written(s);
            if (names.Count > 0)
            {
                reads = new HashSet<string>(reads.Select(names.Root));
                writes = new HashSet<string>(writes.Select(names.Root));
            }
            Flush(pending, p => reads.Contains(names.Root(CodeWalker.TargetName(p.Target))) || p.Names.Any(n => writes.Contains(names.Root(n))), output);
            output.Add(s);
        }
        Flush(pending, _ => true, output);
        return output;
    }

    private sealed class Pending
    {
        public Pending(Expr target, Expr first)
        {
            Target = target;
            Contributions.Add(first);
            Names.UnionWith(Exprs.Reads(target));
            Names.UnionWith(Exprs.Reads(first));
            ValueNames.UnionWith(Exprs.Reads(first));
            if (target is ElementExpr element) ValueNames.UnionWith(Exprs.Reads(element.Index));
        }

        public Expr Target { get; }

        public List<Expr> Contributions { get; } = new();

        public HashSet<string> Names { get; } = new();

        /// <summary>What the sum and the target's index read, without the target itself: another element of the
        /// same adjoint array may be added to meanwhile.</summary>
        public HashSet<string> ValueNames { get; } = new();

        public bool CrossedStatements { get; set; }
    }

    private static void Flush(List<Pending> pending, System.Func<Pending, bool> which, List<CodeStmt> output)
    {
        bool explained = false;
        for (int i = 0; i < pending.Count; i++)
        {
            if (!which(pending[i])) continue;
            if (pending[i].CrossedStatements && pending[i].Contributions.Count > 1 && !explained)
            {
                output.Add(new CodeComment("contributions of the statements above to the same elements, written once"));
                explained = true;
            }
            Expr sum = pending[i].Contributions.Aggregate(Exprs.Add);
            output.Add(new CodeAssign(pending[i].Target, sum, Accumulate: true));
            pending.RemoveAt(i--);
        }
    }

}
