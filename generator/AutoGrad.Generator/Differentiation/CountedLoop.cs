using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AutoGrad.Generator.Model;
using static AutoGrad.Generator.Differentiation.Exprs;

namespace AutoGrad.Generator.Differentiation;

/// <summary>
/// A <c>for (int c = a; c &lt; b; c += k)</c> loop whose counter, start and bound the body leaves alone. Its reverse
/// sweep needs no tape: the trip count follows from <c>a</c>, <c>b</c> and <c>k</c>, and the counter's final value
/// from the trip count, so nothing is pushed per loop execution (which matters for inner loops).
/// </summary>
internal sealed record CountedLoop(VariableExpr Counter, Expr Start, BinaryOp Comparison, Expr Bound, long Stride)
{
    /// <param name="loop">The loop.</param>
    /// <param name="method">The method's body, to check the counter is assigned only by the header.</param>
    /// <param name="roots">The method's view roots (<see cref="ViewAliasing.Roots"/>): a write through a view of a local
    /// array is a write of the array ('v[0] = lim[0] + 0.5' moves a bound read as 'lim[0]').</param>
    public static CountedLoop? Match(LoopStmt loop, IReadOnlyList<Stmt> method, IReadOnlyDictionary<string, string> roots)
    {
        if (loop.Kind != LoopKind.For || loop.Init.Count != 1 || loop.Step.Count != 1) return null;
        if (loop.Init[0] is not AssignStmt { Target: VariableExpr c, Value: var start, IsDeclaration: true } || c.Type.Display != "int") return null;
        if (loop.Step[0] is not AssignStmt { Target: VariableExpr s, Value: BinaryExpr { Op: BinaryOp.Add or BinaryOp.Subtract, Left: VariableExpr self, Right: LiteralExpr literal } step }
            || s.Name != c.Name || self.Name != c.Name
            || !long.TryParse(literal.Code, NumberStyles.Integer, CultureInfo.InvariantCulture, out long k) || k <= 0)
        {
            return null;
        }
        long stride = step.Op == BinaryOp.Add ? k : -k;
        // A stride above 1 can step the counter past int's range before it reaches the bound, and C# wraps it
        // (i += 2147483647 from 5 to 10 runs 7 times): unless the bound keeps it in range, the loop counts its trips.
        if (k > 1 && !StaysInRange(loop.Condition, stride)) return null;
        if (loop.Condition is not BinaryExpr { Left: VariableExpr cv, Right: var bound } condition || cv.Name != c.Name) return null;
        bool upward = condition.Op is BinaryOp.Less or BinaryOp.LessOrEqual;
        bool downward = condition.Op is BinaryOp.Greater or BinaryOp.GreaterOrEqual;
        if (!(upward && stride > 0 || downward && stride < 0)) return null;

        var written = new HashSet<string>();
        foreach (Stmt b in loop.Body) StmtQueries.Written(b, written);
        if (written.Contains(c.Name)) return null;
        foreach (Stmt b in loop.Step) StmtQueries.Written(b, written);
        roots.AddAliases(written);
        if (Reads(start).Overlaps(written) || Reads(bound).Overlaps(written)) return null;
        if (Reads(start).Contains(c.Name) || Reads(bound).Contains(c.Name)) return null;
        if (StmtQueries.CountAssignments(method, c.Name) != 2) return null;
        return new CountedLoop(c, start, condition.Op, bound, stride);
    }

    /// <summary>
    /// True when the condition's bound is a literal from which one more stride cannot leave int's range: the last
    /// counter value is at most b − 1 for '&lt;' (b for '&lt;='), and the step after it must fit (downward alike).
    /// </summary>
    private static bool StaysInRange(Expr? condition, long stride)
    {
        if (condition is not BinaryExpr { Right: LiteralExpr bound } c ||
            !long.TryParse(bound.Code, NumberStyles.Integer, CultureInfo.InvariantCulture, out long b))
        {
            return false;
        }
        long last = c.Op switch { BinaryOp.Less => b - 1, BinaryOp.Greater => b + 1, _ => b };
        return stride > 0 ? last + stride <= int.MaxValue : last + stride >= int.MinValue;
    }

    /// <summary>
    /// The number of iterations, from the loop-entry values of start and bound. In long arithmetic when int could
    /// overflow: a stride above 1 (<c>i += 2147483647</c> gave -1 trips), or neither end a literal (<c>b - a</c> for
    /// a negative a); a loop from a literal by ±1 keeps the plain form.
    /// </summary>
    public Expr TripCount()
    {
        TypeRef i = TypeRef.Int;
        long k = System.Math.Abs(Stride);
        bool wide = k > 1 || (Start is not LiteralExpr && Bound is not LiteralExpr);
        TypeRef t = wide ? Long : i;
        Expr span = Stride > 0 ? Sub(Cast(Bound, t), Cast(Start, t)) : Sub(Cast(Start, t), Cast(Bound, t));
        Expr trips = Comparison is BinaryOp.Less or BinaryOp.Greater
            ? Div(Add(span, Lit(k - 1, t)), Lit(k, t))
            : Add(Div(span, Lit(k, t)), Lit(1, t));
        Expr enters = new BinaryExpr(Comparison, Start, Bound, TypeRef.Bool);
        return Cond(enters, Cast(trips, i), Lit(0, i));
    }

    private static readonly TypeRef Long = new(ShapeKind.Scalar, ScalarKind.Int, "long");

    /// <summary>The counter's value after the last iteration.</summary>
    public Expr Final(Expr trips) => Add(Start, Mul(trips, Lit(Stride, TypeRef.Int)));
}
