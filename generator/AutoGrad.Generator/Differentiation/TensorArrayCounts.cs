using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AutoGrad.Generator.Model;

namespace AutoGrad.Generator.Differentiation;

/// <summary>
/// How many tensors each <c>Tensor[]</c> parameter must hold: the largest index the method is sure to read, plus one.
/// After unrolling, <c>for (int l = 0; l &lt; 20; l++) ... w[l]</c> reads <c>w[0]</c> … <c>w[19]</c> in straight-line
/// code, so a shorter array would fail in the middle of the forward sweep; the gradient checks the count first. A loop
/// left rolled (its bound above the unrolling limit) counts too when its start, bound and step are constants and
/// nothing in it leaves early: its body's reads at the counter reach the counter's last value.
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
        Dictionary<string, string> roots = ViewAliasing.Roots(body);
        // Only statements every call runs: the top level up to the first statement that may not let the rest run (a
        // return, or a branch or loop holding one), and in them only operands always evaluated (not the arms of ?: or
        // the right side of && and ||, not the body of an if or of a loop that may run no iteration). A branch or a loop
        // without a jump runs to its end, so the scan goes on after it: a head read after a recurrence is counted.
        System.Func<Expr, int?> constant = x => x is LiteralExpr index && int.TryParse(index.Code, NumberStyles.None, CultureInfo.InvariantCulture, out int i) ? i : null;
        foreach (Stmt s in body)
        {
            if (s is AssignStmt assign)
            {
                Note(assign, constant);
            }
            else if (s is LoopStmt loop && LastCounterValue(loop, body, roots) is (string counter, int last))
            {
                foreach (Stmt inner in loop.Body)
                {
                    if (inner is not AssignStmt innerAssign) break;
                    Note(innerAssign, x => AtCounter(x, counter, last));
                }
            }
            else if (s is IfStmt branch && !StmtQueries.HasJump(new[] { s }))
            {
                NoteExpressions(new[] { branch.Condition }, branch.Source.Line, constant);
            }
            else if (s is LoopStmt other && !StmtQueries.HasJump(other.Body))
            {
                foreach (Stmt init in other.Init)
                {
                    if (init is not AssignStmt initAssign) break;
                    Note(initAssign, constant);
                }
                // A while or for loop tests its condition at least once; a do loop runs its body first, but its body
                // is not counted anyway.
                if (other.Condition is not null) NoteExpressions(new[] { other.Condition }, other.Source.Line, constant);
            }
            else
            {
                break;
            }
        }
        return arrays.Where(found.ContainsKey).Select(a => found[a]).ToList();

        void Note(AssignStmt assign, System.Func<Expr, int?> indexValue) =>
            NoteExpressions(new[] { assign.Target, assign.Value }, assign.Source.Line, indexValue);

        void NoteExpressions(Expr[] expressions, int line, System.Func<Expr, int?> indexValue)
        {
            foreach (Expr e in expressions)
            {
                Expr evaluated = Exprs.Rewrite(e, x => x switch
                {
                    ConditionalExpr c => c.Condition,
                    BinaryExpr { Op: BinaryOp.And or BinaryOp.Or } b => b.Left,
                    _ => x,
                });
                Exprs.Rewrite(evaluated, x =>
                {
                    if (x is ElementExpr element && arrays.Contains(element.Buffer.Name) && indexValue(element.Index) is int i and >= 0
                        && (!found.TryGetValue(element.Buffer.Name, out TensorArrayCount? known) || i + 1 > known.Count))
                    {
                        found[element.Buffer.Name] = new TensorArrayCount(element.Buffer.Name, i + 1, line);
                    }
                    return x;
                });
            }
        }
    }

    /// <summary>The largest value of an index that is the counter, or the counter plus or minus a constant (w[l + 1]).</summary>
    private static int? AtCounter(Expr index, string counter, int last) => index switch
    {
        VariableExpr v when v.Name == counter => last,
        BinaryExpr { Op: BinaryOp.Add or BinaryOp.Subtract, Left: VariableExpr v, Right: LiteralExpr c } b when v.Name == counter &&
            int.TryParse(c.Code, NumberStyles.None, CultureInfo.InvariantCulture, out int k) =>
            (int)System.Math.Min(int.MaxValue, (long)last + (b.Op == BinaryOp.Add ? k : -k)),
        _ => null,
    };

    /// <summary>
    /// The counter and its largest value when <paramref name="loop"/> counts from a constant to a constant by a constant
    /// step, runs at least once, and has no break, continue or return (so every iteration runs its whole body);
    /// otherwise null.
    /// </summary>
    private static (string Counter, int Last)? LastCounterValue(LoopStmt loop, IReadOnlyList<Stmt> method, IReadOnlyDictionary<string, string> roots)
    {
        if (StmtQueries.HasJump(loop.Body) || CountedLoop.Match(loop, method, roots) is not { } counted) return null;
        if (counted.Start is not LiteralExpr startLiteral || counted.Bound is not LiteralExpr boundLiteral
            || !long.TryParse(startLiteral.Code, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long start)
            || !long.TryParse(boundLiteral.Code, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long bound))
        {
            return null;
        }
        long stride = counted.Stride, last = counted.Comparison switch
        {
            BinaryOp.Less => bound - 1,
            BinaryOp.LessOrEqual => bound,
            BinaryOp.Greater => bound + 1,
            _ => bound,
        };
        if ((last - start) * System.Math.Sign(stride) < 0) return null; // the loop never runs
        long trips = (last - start) / stride + 1;
        long largest = System.Math.Max(start, start + (trips - 1) * stride);
        return largest <= int.MaxValue ? (counted.Counter.Name, (int)largest) : null;
    }
}
