using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generator.Common;
using AutoGrad.Generator.Model;

namespace AutoGrad.Generator.Differentiation;

/// <summary>
/// Sums an adjoint element that an innermost loop adds to on every iteration in a local, and writes it back once:
/// the reverse of a matrix-vector product's inner loop, <c>transformed[j] += icf[lower] * centered[i]</c>, adds to
/// <c>_d_centered[i]</c> for every j, and as a read-modify-write of one memory location per iteration that is a
/// store-to-load chain about three times the addition's latency (the JIT does not keep array elements in registers).
/// The additions happen in the same order from the element's old value, so the sums have the same bits.
/// </summary>
/// <remarks>
/// Only adjoint buffers the gradient allocated itself (<c>privateBuffers</c>: no view of them exists, so
/// nothing else can reach their elements), only when every mention of the buffer in the loop is an addition to that
/// one element, and only when nothing in the loop changes what the index reads. The loop's condition is tested once
/// before the element is read, so a loop that runs no iteration reads nothing (its index may be out of range then).
/// </remarks>
internal static class LoopInvariantAccumulators
{
    public static List<CodeStmt> Hoist(IEnumerable<CodeStmt> block, IReadOnlyCollection<string> privateBuffers, NameAllocator names)
    {
        var output = new List<CodeStmt>();
        foreach (CodeStmt s in block)
        {
            CodeStmt inner = CodeWalker.MapBlocks(s, b => Hoist(b, privateBuffers, names));
            output.AddRange(inner is CodeFor loop && privateBuffers.Count > 0 ? Rewrite(loop, privateBuffers, names) : new[] { inner });
        }
        return output;
    }

    private static IEnumerable<CodeStmt> Rewrite(CodeFor loop, IReadOnlyCollection<string> privateBuffers, NameAllocator names)
    {
        if (loop.Condition is null || !IsInnermost(loop.Body))
        {
            return new[] { loop };
        }
        var accumulators = new List<(ElementExpr Element, VariableExpr Local, ElementExpr Outside)>();
        HashSet<string> written = Written(loop);
        foreach (ElementExpr element in Accumulations(loop.Body).Select(a => (ElementExpr)a.Target).Distinct())
        {
            if (!privateBuffers.Contains(element.Buffer.Name) || accumulators.Any(a => a.Element.Buffer.Name == element.Buffer.Name) ||
                InvariantIndex(element.Index, loop, written) is not { } outside ||
                Mentions(loop, element.Buffer.Name) != Accumulations(loop.Body).Count(a => a.Target.Equals(element)))
            {
                continue;
            }
            accumulators.Add((element, new VariableExpr(names.Name("_sum" + element.Buffer.Name), element.Type), element with { Index = outside }));
        }
        if (accumulators.Count == 0)
        {
            return new[] { loop };
        }

        var guarded = new List<CodeStmt>();
        foreach ((ElementExpr element, VariableExpr local, ElementExpr outside) in accumulators)
        {
            guarded.Add(new CodeComment($"every iteration adds to the same element of {element.Buffer.Name}: summed in {local.Name}, written once"));
            guarded.Add(new CodeDeclare(element.Type.Display, local.Name, outside));
        }
        EquatableArray<CodeStmt> body = Replace(loop.Body, accumulators.Select(a => (a.Element, a.Local)).ToList());
        if (loop.Init is CodeDeclare { Init: { } start } counter && Exprs.IsPure(start))
        {
            // for (int it = trips; it > 0; it--): the guard is the condition on the start value (trips > 0), and the
            // loop keeps its header.
            Expr first = Exprs.Rewrite(loop.Condition, e => e is VariableExpr v && v.Name == counter.Name ? start : e);
            guarded.Add(loop with { Body = body });
            guarded.AddRange(WriteBack(accumulators));
            return new[] { new CodeIf(first, guarded.ToEquatableArray(), EquatableArray<CodeStmt>.Empty) };
        }
        // Otherwise the header's first statement runs before the guard, as it would before the first test: whatever
        // it assigns keeps its value after a loop that runs no iteration.
        guarded.Add(loop with { Init = null, Body = body });
        guarded.AddRange(WriteBack(accumulators));
        var outer = new List<CodeStmt>();
        if (loop.Init is not null) outer.Add(loop.Init);
        outer.Add(new CodeIf(loop.Condition, guarded.ToEquatableArray(), EquatableArray<CodeStmt>.Empty));
        // A loop variable declared without a pure start stays scoped to the loop's statements.
        return loop.Init is CodeDeclare ? new[] { new CodeBlock(outer.ToEquatableArray()) } : outer;
    }

    private static IEnumerable<CodeStmt> WriteBack(List<(ElementExpr Element, VariableExpr Local, ElementExpr Outside)> accumulators) =>
        accumulators.Select(a => (CodeStmt)new CodeAssign(a.Outside, a.Local, Accumulate: false));

    private static bool IsInnermost(EquatableArray<CodeStmt> body) => body.All(s => s switch
    {
        CodeFor or CodeWhile or CodeDoWhile or CodeReturn or CodeTryFinally => false,
        CodeIf i => IsInnermost(i.Then) && IsInnermost(i.Else),
        CodeBlock b => IsInnermost(b.Body),
        _ => true,
    });

    /// <summary>Additions to an element (<c>b[i] += v</c>), in the loop body and the branches and blocks inside it.</summary>
    private static IEnumerable<CodeAssign> Accumulations(EquatableArray<CodeStmt> body)
    {
        foreach (CodeStmt s in body)
        {
            if (s is CodeAssign { Accumulate: true, Target: ElementExpr } a)
            {
                yield return a;
            }
            foreach (EquatableArray<CodeStmt> inner in CodeWalker.Blocks(s))
            {
                foreach (CodeAssign nested in Accumulations(inner)) yield return nested;
            }
        }
    }

    /// <summary>
    /// How many times the loop (its condition, step and body) mentions <paramref name="name"/>, as a variable or as the
    /// buffer of an element, length or view; raw code that contains the name counts as many mentions.
    /// </summary>
    private static int Mentions(CodeFor loop, string name)
    {
        int count = Count(loop.Condition, name);
        if (loop.Step is not null) count += Mentions(new[] { loop.Step }, name);
        return count + Mentions(loop.Body, name);
    }

    private static int Mentions(IEnumerable<CodeStmt> statements, string name)
    {
        int count = 0;
        foreach (CodeStmt s in statements)
        {
            count += s switch
            {
                CodeDeclare d => (d.Name == name ? 1 : 0) + Count(d.Init, name),
                CodeAssign a => Count(a.Target, name) + Count(a.Value, name),
                CodeIncrement i => Count(i.Target, name),
                CodeExpression e => Count(e.Expression, name),
                CodeIf i => Count(i.Condition, name),
                CodeReturn r => Count(r.Value, name),
                _ => 0,
            };
            foreach (EquatableArray<CodeStmt> inner in CodeWalker.Blocks(s)) count += Mentions(inner, name);
        }
        return count;
    }

    private const int Unknown = 1_000;

    private static int Count(Expr? e, string name) => e switch
    {
        null or LiteralExpr => 0,
        VariableExpr v => v.Name == name ? 1 : 0,
        ElementExpr el => (el.Buffer.Name == name ? 1 : 0) + Count(el.Index, name),
        LengthExpr len => len.Buffer.Name == name ? 1 : 0,
        UnaryExpr u => Count(u.Operand, name),
        BinaryExpr b => Count(b.Left, name) + Count(b.Right, name),
        ConditionalExpr c => Count(c.Condition, name) + Count(c.WhenTrue, name) + Count(c.WhenFalse, name),
        CastExpr c => Count(c.Operand, name),
        MathCallExpr m => m.Arguments.Sum(a => Count(a, name)),
        PrimitiveCallExpr p => p.Arguments.Sum(a => Count(a, name)),
        OpaqueCallExpr o => Count(o.Receiver, name) + o.Arguments.Sum(a => Count(a, name)),
        OpaqueMemberExpr om => Count(om.Receiver, name),
        IntListExpr list => list.Elements.Sum(a => Count(a, name)),
        SliceExpr sl => (sl.Buffer.Name == name ? 1 : 0) + Count(sl.Start, name) + Count(sl.Length, name),
        AllocationExpr al => Count(al.Size, name),
        RefExpr r => Count(r.Target, name),
        TensorDataExpr td => td.Tensor.Name == name ? 1 : 0,
        OpaqueValueExpr ov => ov.Code.Contains(name) ? Unknown : 0,
        _ => Unknown,
    };

    /// <summary>Every variable and buffer the loop's step and body may change (see <see cref="CodeWalker.Written"/>).</summary>
    private static HashSet<string> Written(CodeFor loop)
    {
        var written = new HashSet<string>();
        void Walk(IEnumerable<CodeStmt> statements)
        {
            foreach (CodeStmt s in statements)
            {
                written.UnionWith(CodeWalker.Written(s));
                foreach (EquatableArray<CodeStmt> inner in CodeWalker.Blocks(s)) Walk(inner);
            }
        }
        if (loop.Step is not null) Walk(new[] { loop.Step });
        Walk(loop.Body);
        return written;
    }

    /// <summary>
    /// The index as an expression with the same value before the loop, or null: the index itself when nothing in the
    /// loop changes what it reads, or the initializer of the local it names when the loop body declares that local
    /// (an index the reverse sweep computed into a temporary, <c>int _t0 = n - 1;</c>) and assigns it nowhere else.
    /// </summary>
    private static Expr? InvariantIndex(Expr index, CodeFor loop, HashSet<string> written)
    {
        if (Exprs.IsPure(index) && !Exprs.Reads(index).Overlaps(written))
        {
            return index;
        }
        if (index is not VariableExpr local)
        {
            return null;
        }
        List<CodeDeclare> declarations = loop.Body.OfType<CodeDeclare>().Where(d => d.Name == local.Name).ToList();
        return declarations.Count == 1 && declarations[0].Init is { } init &&
            Assignments(loop.Body, local.Name) == 0 && Exprs.IsPure(init) && !Exprs.Reads(init).Overlaps(written)
            ? init
            : null;
    }

    /// <summary>How many statements assign or increment the variable <paramref name="name"/> (declarations aside).</summary>
    private static int Assignments(IEnumerable<CodeStmt> statements, string name) => statements.Sum(s =>
        (s is CodeAssign { Target: VariableExpr a } && a.Name == name || s is CodeIncrement { Target: VariableExpr i } && i.Name == name ? 1 : 0)
        + CodeWalker.Blocks(s).Sum(b => Assignments(b, name)));

    private static EquatableArray<CodeStmt> Replace(EquatableArray<CodeStmt> body, List<(ElementExpr Element, VariableExpr Local)> accumulators)
    {
        var output = new List<CodeStmt>();
        foreach (CodeStmt s in body)
        {
            if (s is CodeAssign { Accumulate: true, Target: ElementExpr target } a && accumulators.FirstOrDefault(x => x.Element.Equals(target)) is { Local: not null } hit)
            {
                output.Add(a with { Target = hit.Local });
                continue;
            }
            output.Add(CodeWalker.MapBlocks(s, b => Replace(b.ToEquatableArray(), accumulators).ToList()));
        }
        return output.ToEquatableArray();
    }
}
