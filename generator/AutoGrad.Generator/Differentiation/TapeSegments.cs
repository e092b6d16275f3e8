using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generator.Common;
using AutoGrad.Generator.Model;
using static AutoGrad.Generator.Differentiation.Exprs;

namespace AutoGrad.Generator.Differentiation;

/// <summary>
/// Gives a counted loop's tape traffic a span of its own. When every iteration pushes the same number of values to a
/// tape, and no loop nested in it touches that tape, the forward sweep reserves trips × that many slots before the loop
/// and writes them through a local span and cursor (<c>_tape_double_span[_tape_double_top] = v; _tape_double_top++;</c>);
/// the reverse sweep takes them back as one span and reads it downward.
/// </summary>
/// <remarks>
/// Why: a tape lives across the try/finally that disposes it, so the JIT keeps its fields in stack slots, and each
/// <c>Push</c> carries a growth check; a span and an int that die with the loop stay in registers. Measured on the
/// log-sum-exp gradient (10⁴ values, the emitted method and the Push/Pop one alternating in one process): 12–21%
/// faster; the benchmark harnesses disagree from process to process (bench/NOTES.md).
/// Loops whose trip count is not known before they run keep <c>Push</c>/<c>Pop</c>.
/// </remarks>
internal static class TapeSegments
{
    /// <summary>A tape one loop writes through a span: <see cref="PerTrip"/> values an iteration.</summary>
    internal sealed record Segment(string Tape, string ElementType, int PerTrip, string Span, string Top);

    /// <summary>
    /// The tapes of <paramref name="tapes"/> that one loop can give a span: pushed the same number of times on every
    /// path through <paramref name="forwardBody"/> and popped as many times on every path through
    /// <paramref name="reverseBody"/>, never inside a nested loop or under a condition within an expression, and not
    /// touched by the loop's header (<paramref name="forwardInit"/>, <paramref name="forwardStep"/>): the span is
    /// reserved before the header runs, so a value it pushed would sit above the span when the reverse pops it.
    /// </summary>
    public static List<Segment> Plan(IEnumerable<KeyValuePair<string, string>> tapes, IReadOnlyList<CodeStmt> forwardInit, IReadOnlyList<CodeStmt> forwardBody,
        IReadOnlyList<CodeStmt> forwardStep, IReadOnlyList<CodeStmt> reverseBody, NameAllocator names)
    {
        var segments = new List<Segment>();
        if (forwardBody.Any(ContainsReturn)) return segments;
        foreach (KeyValuePair<string, string> pair in tapes)
        {
            string elementType = pair.Key, tape = pair.Value;
            int? pushes = Count(forwardBody, tape, push: true);
            if (pushes is not > 0) continue;
            if (Count(forwardInit, tape, push: true) != 0 || Count(forwardStep, tape, push: true) != 0) continue;
            if (Count(reverseBody, tape, push: false) != pushes) continue;
            segments.Add(new Segment(tape, elementType, pushes.Value, names.Name(tape + "_span"), names.Name(tape + "_top")));
        }
        return segments;
    }

    /// <summary>
    /// The forward loop in a block of its own, after each segment's span (<paramref name="trips"/> × per-trip slots
    /// reserved on the tape) and cursor, with its pushes written through them.
    /// </summary>
    public static List<CodeStmt> Forward(List<Segment> segments, Expr trips, IEnumerable<CodeStmt> loop)
    {
        var block = new List<CodeStmt>();
        foreach (Segment s in segments)
        {
            // Spelled out, not 'var': a user type named 'var' in scope would be the declared type.
            block.Add(new CodeDeclare("global::System.Span<" + s.ElementType + ">", s.Span, Call(Var(s.Tape, TypeRef.Int), "Reserve", TypeRef.Int, trips, Lit(s.PerTrip, TypeRef.Int))));
            block.Add(new CodeDeclare("int", s.Top, Lit(0, TypeRef.Int)));
        }
        Dictionary<string, Segment> byTape = segments.ToDictionary(s => s.Tape);
        block.AddRange(loop.Select(s => RewritePushes(s, byTape)));
        return new List<CodeStmt> { new CodeBlock(block.ToEquatableArray()) };
    }

    /// <summary>
    /// The reverse loop in a block of its own, after each segment's span (the values the forward loop pushed, popped
    /// off the tape at once) and cursor at its end, with its pops read through them.
    /// </summary>
    public static List<CodeStmt> Reverse(List<Segment> segments, Expr trips, CodeFor loop)
    {
        var block = new List<CodeStmt>();
        foreach (Segment s in segments)
        {
            VariableExpr span = Var(s.Span, TypeRef.Int);
            block.Add(new CodeDeclare("global::System.ReadOnlySpan<" + s.ElementType + ">", s.Span, Call(Var(s.Tape, TypeRef.Int), "PopSpan", TypeRef.Int, trips, Lit(s.PerTrip, TypeRef.Int))));
            block.Add(new CodeDeclare("int", s.Top, new LengthExpr(span)));
        }
        Dictionary<string, Segment> byTape = segments.ToDictionary(s => s.Tape);
        block.Add(loop with { Body = RewritePops(loop.Body, byTape).ToEquatableArray() });
        return new List<CodeStmt> { new CodeBlock(block.ToEquatableArray()) };
    }

    /// <summary>
    /// How many times one pass through <paramref name="code"/> pushes (or pops) <paramref name="tape"/>, the same on
    /// every path; null when paths differ or the tape is used any other way.
    /// </summary>
    private static int? Count(IEnumerable<CodeStmt> code, string tape, bool push)
    {
        int total = 0;
        foreach (CodeStmt s in code)
        {
            int? here = Count(s, tape, push);
            if (here is null) return null;
            total += here.Value;
        }
        return total;
    }

    private static int? Count(CodeStmt s, string tape, bool push)
    {
        switch (s)
        {
            case CodeExpression { Expression: OpaqueCallExpr { Method: "Push", Receiver: VariableExpr r } call } when push && r.Name == tape:
                return call.Arguments.Any(a => Uses(a, tape)) ? null : 1;
            case CodeIf i:
            {
                int? condition = ExpressionPops(i.Condition, tape, push);
                int? then = Count(i.Then, tape, push);
                int? otherwise = Count(i.Else, tape, push);
                return condition is null || then is null || then != otherwise ? null : condition + then;
            }
            case CodeFor or CodeWhile or CodeDoWhile or CodeTryFinally:
                return UsesAnywhere(s, tape) ? null : 0;
            case CodeBlock b:
                return Count(b.Body, tape, push);
            default:
                return UsesAnywhere(s, tape) ? ExpressionPopsOf(s, tape, push) : 0;
        }
    }

    /// <summary>The pops of a simple statement's expressions, or null when they are not all unconditional pops.</summary>
    private static int? ExpressionPopsOf(CodeStmt s, string tape, bool push) => s switch
    {
        CodeDeclare d when d.Init is not null => ExpressionPops(d.Init, tape, push),
        CodeAssign a when !Uses(a.Target, tape) => ExpressionPops(a.Value, tape, push),
        CodeExpression e => ExpressionPops(e.Expression, tape, push),
        _ => null,
    };

    /// <summary>
    /// The number of <c>tape.Pop()</c> calls an expression makes every time it runs (null when one sits in a branch
    /// of <c>?:</c>, <c>&amp;&amp;</c> or <c>||</c>, or the tape is used otherwise); pushes never sit in expressions.
    /// </summary>
    private static int? ExpressionPops(Expr e, string tape, bool push)
    {
        if (!Uses(e, tape)) return 0;
        if (push) return null;
        switch (e)
        {
            case OpaqueCallExpr { Method: "Pop", Receiver: VariableExpr r, Arguments.Count: 0 } when r.Name == tape:
                return 1;
            case ConditionalExpr c:
                return Uses(c.WhenTrue, tape) || Uses(c.WhenFalse, tape) ? null : ExpressionPops(c.Condition, tape, push);
            case BinaryExpr { Op: BinaryOp.And or BinaryOp.Or } b:
                return Uses(b.Right, tape) ? null : ExpressionPops(b.Left, tape, push);
            case VariableExpr:
                return null;
        }
        int total = 0;
        bool ok = true;
        MapChildren(e, child =>
        {
            int? n = ExpressionPops(child, tape, push);
            if (n is null) ok = false;
            else total += n.Value;
            return child;
        });
        return ok ? total : null;
    }

    private static CodeStmt RewritePushes(CodeStmt s, Dictionary<string, Segment> byTape) =>
        s is CodeFor or CodeWhile or CodeDoWhile ? CodeWalker.MapBlocks(s, body => RewritePushList(body, byTape)) : s;

    /// <summary>The loop body with each segment's <c>tape.Push(v)</c> as <c>span[top] = v; top++;</c>.</summary>
    private static List<CodeStmt> RewritePushList(IEnumerable<CodeStmt> code, Dictionary<string, Segment> byTape)
    {
        var output = new List<CodeStmt>();
        foreach (CodeStmt s in code)
        {
            switch (s)
            {
                case CodeExpression { Expression: OpaqueCallExpr { Method: "Push", Receiver: VariableExpr r } call } when byTape.TryGetValue(r.Name, out Segment? seg):
                {
                    VariableExpr top = Var(seg.Top, TypeRef.Int);
                    Expr value = call.Arguments[0];
                    output.Add(new CodeAssign(new ElementExpr(Var(seg.Span, TypeRef.Int), top, value.Type), value, false));
                    output.Add(new CodeIncrement(top, Decrement: false));
                    break;
                }
                case CodeIf or CodeBlock:
                    output.Add(CodeWalker.MapBlocks(s, block => RewritePushList(block, byTape)));
                    break;
                default:
                    output.Add(s);
                    break;
            }
        }
        return output;
    }

    /// <summary>
    /// The reverse body with each segment's pops read from its span: before a statement that pops a tape m times,
    /// <c>top -= m</c>; its pops, in evaluation order, then read <c>span[top + m - 1]</c> … <c>span[top]</c>.
    /// </summary>
    private static List<CodeStmt> RewritePops(IEnumerable<CodeStmt> code, Dictionary<string, Segment> byTape)
    {
        var output = new List<CodeStmt>();
        foreach (CodeStmt s in code)
        {
            switch (s)
            {
                case CodeIf i:
                    output.AddRange(Decrements(i.Condition, byTape, out Expr condition));
                    output.Add(new CodeIf(condition, RewritePops(i.Then, byTape).ToEquatableArray(), RewritePops(i.Else, byTape).ToEquatableArray()));
                    break;
                case CodeBlock:
                    output.Add(CodeWalker.MapBlocks(s, block => RewritePops(block, byTape)));
                    break;
                case CodeDeclare { Init: not null } d:
                    output.AddRange(Decrements(d.Init, byTape, out Expr init));
                    output.Add(d with { Init = init });
                    break;
                case CodeAssign a:
                    output.AddRange(Decrements(a.Value, byTape, out Expr value));
                    output.Add(a with { Value = value });
                    break;
                case CodeExpression e:
                    output.AddRange(Decrements(e.Expression, byTape, out Expr expression));
                    output.Add(new CodeExpression(expression));
                    break;
                default:
                    output.Add(s);
                    break;
            }
        }
        return output;
    }

    private static List<CodeStmt> Decrements(Expr e, Dictionary<string, Segment> byTape, out Expr rewritten)
    {
        var pops = new Dictionary<string, int>();
        // First pass: how many pops of each tape, in evaluation order (MapChildren visits children in that order).
        Rewrite(e, node =>
        {
            if (IsPop(node, byTape, out Segment? seg)) pops[seg!.Tape] = pops.TryGetValue(seg.Tape, out int n) ? n + 1 : 1;
            return node;
        });
        var seen = new Dictionary<string, int>();
        rewritten = Rewrite(e, node =>
        {
            if (!IsPop(node, byTape, out Segment? seg)) return node;
            int index = seen.TryGetValue(seg!.Tape, out int n) ? n : 0;
            seen[seg.Tape] = index + 1;
            VariableExpr top = Var(seg.Top, TypeRef.Int);
            int offset = pops[seg.Tape] - 1 - index;
            return new ElementExpr(Var(seg.Span, TypeRef.Int), offset == 0 ? top : Add(top, Lit(offset, TypeRef.Int)), node.Type);
        });
        var decrements = new List<CodeStmt>();
        foreach (KeyValuePair<string, int> p in pops.OrderBy(p => p.Key, System.StringComparer.Ordinal))
        {
            VariableExpr top = Var(byTape[p.Key].Top, TypeRef.Int);
            decrements.Add(p.Value == 1 ? new CodeIncrement(top, Decrement: true) : new CodeAssign(top, Sub(top, Lit(p.Value, TypeRef.Int)), false));
        }
        return decrements;
    }

    private static bool IsPop(Expr e, Dictionary<string, Segment> byTape, out Segment? segment)
    {
        segment = null;
        return e is OpaqueCallExpr { Method: "Pop", Receiver: VariableExpr r, Arguments.Count: 0 } && byTape.TryGetValue(r.Name, out segment);
    }

    private static bool Uses(Expr? e, string tape)
    {
        if (e is null) return false;
        var names = new HashSet<string>();
        Reads(e, names);
        return names.Contains(tape);
    }

    private static bool UsesAnywhere(CodeStmt s, string tape)
    {
        var names = new HashSet<string>();
        CodeWalker.CollectNames(new[] { s }, names);
        return names.Contains(tape);
    }

    private static bool ContainsReturn(CodeStmt s) => s is CodeReturn || CodeWalker.Blocks(s).Any(block => block.Any(ContainsReturn));
}
