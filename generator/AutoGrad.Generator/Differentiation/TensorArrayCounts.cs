using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AutoGrad.Generator.Model;

namespace AutoGrad.Generator.Differentiation;

/// <summary>
/// How many tensors each <c>Tensor[]</c> parameter must hold: the largest constant index the method is sure to read,
/// plus one. After unrolling, <c>for (int l = 0; l &lt; 20; l++) ... w[l]</c> reads <c>w[0]</c> … <c>w[19]</c> in straight-line
/// code, so a shorter array would fail in the middle of the forward sweep; the gradient checks the count first.
/// </summary>
internal static class TensorArrayCounts
{
    /// <param name="body">The method's body after unrolling.</param>
    /// <param name="parameters">The method's parameters.</param>
    /// <returns>One requirement per <c>Tensor[]</c> parameter read at a constant index, in parameter order.</returns>
    public static List<TensorArrayCount> Find(IReadOnlyList<Stmt> body, IEnumerable<ParameterSpec> parameters)
    {
        var written = new HashSet<string>();
        foreach (Stmt s in body) StmtQueries.Written(s, written);
        var arrays = parameters.Where(p => p.Type.Shape == ShapeKind.TensorArray && !written.Contains(p.Name)).Select(p => p.Name).ToList();
        var found = new Dictionary<string, TensorArrayCount>();
        if (arrays.Count == 0) return new List<TensorArrayCount>();
        // Only statements every call runs: the top level up to the first branch or loop (whose body may return or
        // throw), and in them only operands always evaluated (not the arms of ?: or the right side of && and ||).
        foreach (Stmt s in body)
        {
            if (s is not AssignStmt assign) break;
            foreach (Expr e in new[] { assign.Target, assign.Value })
            {
                Expr evaluated = Exprs.Rewrite(e, x => x switch
                {
                    ConditionalExpr c => c.Condition,
                    BinaryExpr { Op: BinaryOp.And or BinaryOp.Or } b => b.Left,
                    _ => x,
                });
                Exprs.Rewrite(evaluated, x =>
                {
                    if (x is ElementExpr { Index: LiteralExpr index } element && arrays.Contains(element.Buffer.Name)
                        && int.TryParse(index.Code, NumberStyles.None, CultureInfo.InvariantCulture, out int i)
                        && (!found.TryGetValue(element.Buffer.Name, out TensorArrayCount? known) || i + 1 > known.Count))
                    {
                        found[element.Buffer.Name] = new TensorArrayCount(element.Buffer.Name, i + 1, s.Source.Line);
                    }
                    return x;
                });
            }
        }
        return arrays.Where(found.ContainsKey).Select(a => found[a]).ToList();
    }
}
