using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using AutoGrad.Generator.Common;
using AutoGrad.Generator.Model;

namespace AutoGrad.Generator.Differentiation;

/// <summary>
/// Unrolls <c>for</c> loops whose trip count is a small compile-time constant: the copies become straight-line
/// code, which needs no tape in the reverse sweep, and keeps per-layer names such as <c>w[3]</c> for probes.
/// </summary>
internal static class LoopUnroller
{
    /// <summary>Loops with more iterations than this stay loops.</summary>
    public const int MaxTripCount = 32;

    /// <summary>
    /// The same for a loop whose body computes tensors: a stack of layers. Rolled, its layers would share one probe
    /// site per name and the monitor would read them as the time steps of a recurrence (a 40-layer sigmoid stack got
    /// "use LSTM or GRU cells"); each copy is a few statements that call ops.
    /// </summary>
    public const int MaxLayerTripCount = 256;

    /// <summary>Bound on statements produced by unrolling one loop nest, to keep generated code readable.</summary>
    public const int MaxUnrolledStatements = 1024;

    public static EquatableArray<Stmt> Unroll(EquatableArray<Stmt> body) => UnrollBlock(body).ToEquatableArray();

    private static List<Stmt> UnrollBlock(IEnumerable<Stmt> stmts)
    {
        var output = new List<Stmt>();
        foreach (Stmt s in stmts)
        {
            switch (s)
            {
                case IfStmt i:
                    output.Add(i with { Then = UnrollBlock(i.Then).ToEquatableArray(), Else = UnrollBlock(i.Else).ToEquatableArray() });
                    break;
                case LoopStmt loop:
                {
                    var inner = loop with { Body = UnrollBlock(loop.Body).ToEquatableArray() };
                    if (TryUnroll(inner, out List<Stmt>? copies)) output.AddRange(copies!);
                    else output.Add(inner);
                    break;
                }
                default:
                    output.Add(s);
                    break;
            }
        }
        return output;
    }

    private static bool TryUnroll(LoopStmt loop, out List<Stmt>? copies)
    {
        copies = null;
        if (loop.Kind != LoopKind.For || loop.Init.Count != 1 || loop.Step.Count != 1) return false;
        if (loop.Init[0] is not AssignStmt { Target: VariableExpr counter, Value: LiteralExpr start } init || !counter.Type.IsIntegral) return false;
        if (!TryInt(start, out long first)) return false;
        if (loop.Step[0] is not AssignStmt { Target: VariableExpr stepTarget, Value: BinaryExpr { Left: VariableExpr stepVar, Right: LiteralExpr stepLit } step }
            || stepTarget.Name != counter.Name || stepVar.Name != counter.Name || !TryInt(stepLit, out long stride)
            || step.Op is not (BinaryOp.Add or BinaryOp.Subtract))
        {
            return false;
        }
        if (step.Op == BinaryOp.Subtract) stride = -stride;
        if (stride == 0) return false;
        if (loop.Condition is not BinaryExpr { Left: VariableExpr condVar, Right: LiteralExpr boundLit } cond || condVar.Name != counter.Name || !TryInt(boundLit, out long bound))
        {
            return false;
        }
        if (StmtQueries.CountAssignments(loop.Body, counter.Name) > 0 || StmtQueries.HasJump(loop.Body)) return false;
        int limit = StmtQueries.Assignments(loop.Body).Any(a => a.Target.Type.IsTensorLike) ? MaxLayerTripCount : MaxTripCount;

        // Every value the counter takes, and the one that ends the loop, must lie in its type's range: a counter
        // that would wrap (uint i -= 2 past 0, i += 4294967295U) or overflow (int i++ at int.MaxValue) runs
        // differently at run time (on, or throwing in a checked project), so such a loop stays a loop.
        if (Suffix(counter.Type.Display) is null || IntegralRanges.Of(counter.Type.Display) is not { } range) return false;
        // (This loop steps in long, so a value outside long, which a ulong counter can reach, also stops it.)
        System.Numerics.BigInteger lowest = System.Numerics.BigInteger.Max(range.Min, long.MinValue);
        System.Numerics.BigInteger highest = System.Numerics.BigInteger.Min(range.Max, long.MaxValue);
        if (first < lowest || first > highest) return false;
        var values = new List<long>();
        for (long v = first; Compare(cond.Op, v, bound) == true; v += stride)
        {
            values.Add(v);
            if (values.Count > limit) return false;
            System.Numerics.BigInteger next = (System.Numerics.BigInteger)v + stride;
            if (next < lowest || next > highest) return false;
        }
        if (values.Count == 0 || values.Count * Size(loop.Body) > MaxUnrolledStatements) return false;

        copies = new List<Stmt>();
        foreach (long v in values)
        {
            string text = v.ToString(CultureInfo.InvariantCulture);
            // The counter's own type, suffix included: '0U - 1' must be uint arithmetic as 'i - 1' is, not int.
            var literal = new LiteralExpr(text + Suffix(counter.Type.Display), counter.Type);
            copies.AddRange(WithoutDeadBranches(loop.Body.Select(s => Substitute(s, counter.Name, literal, $"{counter.Name} = {text}"))));
        }
        if (!init.IsDeclaration)
        {
            // The counter outlives the loop: leave it where the loop would have.
            long final = values[values.Count - 1] + stride;
            copies.Add(new AssignStmt(counter, new LiteralExpr(final.ToString(CultureInfo.InvariantCulture) + Suffix(counter.Type.Display), counter.Type), false, loop.Source));
        }
        return true;
    }

    /// <summary>A counter literal's suffix, or null for a counter type the unroller leaves alone (the narrow ones,
    /// which C# promotes to int in the counter's own arithmetic).</summary>
    private static string? Suffix(string type) => type switch
    {
        "int" => string.Empty,
        "uint" => "U",
        "long" => "L",
        "ulong" => "UL",
        _ => null,
    };

    private static bool TryInt(LiteralExpr lit, out long value) =>
        long.TryParse(lit.Code.TrimEnd('L', 'U', 'l', 'u'), NumberStyles.Integer, CultureInfo.InvariantCulture, out value);

    private static int Size(IEnumerable<Stmt> stmts) => stmts.Sum(s => s switch
    {
        IfStmt i => 1 + Size(i.Then) + Size(i.Else),
        LoopStmt l => 1 + Size(l.Body) + Size(l.Init) + Size(l.Step),
        _ => 1,
    });

    /// <summary>
    /// A copy's branches whose condition the counter decided (<c>if (l &gt; 0)</c> with l = 0) replaced by the branch
    /// taken: the other holds code the primal never runs in this iteration, which, with the counter a constant, may
    /// not even compile (<c>a[l - 1]</c> is <c>a[-1]</c>, <c>7 / (l - 1)</c> a division by constant zero).
    /// </summary>
    private static List<Stmt> WithoutDeadBranches(IEnumerable<Stmt> stmts)
    {
        var output = new List<Stmt>();
        foreach (Stmt s in stmts)
        {
            switch (s)
            {
                case IfStmt { Condition: LiteralExpr { Code: "true" or "false" } decided } i:
                    output.AddRange(WithoutDeadBranches(decided.Code == "true" ? i.Then : i.Else));
                    break;
                case IfStmt i:
                    output.Add(i with { Then = WithoutDeadBranches(i.Then).ToEquatableArray(), Else = WithoutDeadBranches(i.Else).ToEquatableArray() });
                    break;
                case LoopStmt l:
                    output.Add(l with { Body = WithoutDeadBranches(l.Body).ToEquatableArray() });
                    break;
                default:
                    output.Add(s);
                    break;
            }
        }
        return output;
    }

    private static Stmt Substitute(Stmt s, string name, LiteralExpr value, string note)
    {
        Expr Sub(Expr e) => Exprs.Rewrite(e, node => node switch
        {
            VariableExpr v when v.Name == name => value,
            BinaryExpr b => Fold(b),
            UnaryExpr { Op: UnaryOp.Not, Operand: LiteralExpr { Code: "true" or "false" } operand } =>
                new LiteralExpr(operand.Code == "true" ? "false" : "true", TypeRef.Bool),
            // An op's error messages name its arguments as written; each copy names its own layer ('w[3]', not 'w[l]').
            PrimitiveCallExpr p => p with { ArgumentText = p.ArgumentText.Select(t => WithCounter(t, name, value.Code.TrimEnd('U', 'L'))).ToEquatableArray() },
            // A ?: the counter decides is its arm: C# evaluates only that one, which may hold 7 / 0 in the other.
            ConditionalExpr { Condition: LiteralExpr { Code: "true" or "false" } decided } c => decided.Code == "true" ? c.WhenTrue : c.WhenFalse,
            _ => node,
        });
        EquatableArray<Stmt> Block(EquatableArray<Stmt> b) => b.Select(x => Substitute(x, name, value, note)).ToEquatableArray();
        SourceInfo src = s.Source with { Text = s.Source.Text + "  [" + note + "]" };
        return s switch
        {
            AssignStmt a => new AssignStmt(Sub(a.Target), Sub(a.Value), a.IsDeclaration, src),
            IfStmt i => new IfStmt(Sub(i.Condition), Block(i.Then), Block(i.Else), src),
            LoopStmt l => new LoopStmt(l.Kind, Block(l.Init), l.Condition is null ? null : Sub(l.Condition), Block(l.Step), Block(l.Body), src),
            ReturnStmt r => new ReturnStmt(Sub(r.Value), src),
            _ => s,
        };
    }

    /// <summary>
    /// An argument's source text with the loop counter replaced by its value in this copy, and an index of two
    /// constants folded: <c>w[l + 1]</c> with l = 3 reads <c>w[4]</c>.
    /// </summary>
    private static string WithCounter(string text, string counter, string value)
    {
        string replaced = Regex.Replace(text, @"(?<![\w@.])@?" + Regex.Escape(counter) + @"\b", value);
        // An index of constants only ('1 * 2 + 0', '1 - -1') folds to its value; anything else stays as written.
        return Regex.Replace(replaced, @"\[([-+*\d\s()]+)\]", m =>
            new ConstantIndex(m.Groups[1].Value).TryEvaluate(out long folded)
                ? "[" + folded.ToString(CultureInfo.InvariantCulture) + "]"
                : m.Value);
    }

    /// <summary>Evaluates + − * and parentheses over integer literals, for the text of an unrolled index.</summary>
    private struct ConstantIndex(string text)
    {
        private int _at;

        public bool TryEvaluate(out long value)
        {
            _at = 0;
            return Sum(out value) && Skip() == text.Length;
        }

        private bool Sum(out long value)
        {
            if (!Product(out value)) return false;
            while (Skip() < text.Length && text[_at] is '+' or '-')
            {
                char op = text[_at++];
                if (!Product(out long right)) return false;
                value = op == '+' ? value + right : value - right;
            }
            return true;
        }

        private bool Product(out long value)
        {
            if (!Unary(out value)) return false;
            while (Skip() < text.Length && text[_at] == '*')
            {
                _at++;
                if (!Unary(out long right)) return false;
                value *= right;
            }
            return true;
        }

        private bool Unary(out long value)
        {
            value = 0;
            if (Skip() >= text.Length) return false;
            if (text[_at] == '-')
            {
                _at++;
                if (!Unary(out long operand)) return false;
                value = -operand;
                return true;
            }
            if (text[_at] == '(')
            {
                _at++;
                if (!Sum(out value) || Skip() >= text.Length || text[_at] != ')') return false;
                _at++;
                return true;
            }
            int start = _at;
            while (_at < text.Length && char.IsDigit(text[_at])) _at++;
            return _at > start && long.TryParse(text.Substring(start, _at - start), NumberStyles.None, CultureInfo.InvariantCulture, out value);
        }

        private int Skip()
        {
            while (_at < text.Length && text[_at] == ' ') _at++;
            return _at;
        }
    }

    /// <summary>
    /// Folds integer arithmetic on two literals, so <c>w[l + 1]</c> becomes <c>w[4]</c>, when the result fits an
    /// <c>int</c>; comparisons of two literals fold to <c>true</c> or <c>false</c>, and <c>&amp;&amp;</c>/<c>||</c> whose
    /// left side is decided fold as C# short-circuits.
    /// </summary>
    private static Expr Fold(BinaryExpr b)
    {
        if (b is { Op: BinaryOp.And or BinaryOp.Or, Left: LiteralExpr { Code: "true" or "false" } left })
        {
            // Short-circuit as C# does: the right side is not evaluated when the left decides.
            bool decides = (left.Code == "true") == (b.Op == BinaryOp.Or);
            return decides ? left : b.Right;
        }
        if (b.Type == TypeRef.Bool && b.Left is LiteralExpr cl && b.Right is LiteralExpr cr && cl.Type.IsIntegral && cr.Type.IsIntegral &&
            TryInt(cl, out long a) && TryInt(cr, out long c) && Compare(b.Op, a, c) is bool compared)
        {
            return new LiteralExpr(compared ? "true" : "false", TypeRef.Bool);
        }
        if (!b.Type.IsIntegral || b.Left is not LiteralExpr l || b.Right is not LiteralExpr r || !TryInt(l, out long x) || !TryInt(r, out long y))
        {
            return b;
        }
        long? folded = b.Op switch
        {
            BinaryOp.Add => x + y,
            BinaryOp.Subtract => x - y,
            BinaryOp.Multiply => x * y,
            // int.MinValue / -1 and % -1 throw at run time: left for the printer to keep at run time.
            BinaryOp.Divide when y != 0 && !(x == int.MinValue && y == -1) => x / y,
            BinaryOp.Modulo when y != 0 && !(x == int.MinValue && y == -1) => x % y,
            _ => null,
        };
        // A result outside int (i * 1500000000 with i = 2, int.MinValue / -1) stays unfolded: the printer has it
        // computed at run time, where it wraps or throws as in the primal (checked projects throw).
        return folded is null || b.Type.Display != "int" || folded.Value < int.MinValue || folded.Value > int.MaxValue
            ? b
            : new LiteralExpr(folded.Value.ToString(CultureInfo.InvariantCulture), b.Type);
    }

    private static bool? Compare(BinaryOp op, long a, long b) => op switch
    {
        BinaryOp.Less => a < b,
        BinaryOp.LessOrEqual => a <= b,
        BinaryOp.Greater => a > b,
        BinaryOp.GreaterOrEqual => a >= b,
        BinaryOp.Equal => a == b,
        BinaryOp.NotEqual => a != b,
        _ => null,
    };
}
