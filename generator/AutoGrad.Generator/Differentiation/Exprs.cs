using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generator.Common;
using AutoGrad.Generator.Model;
using AutoGrad.Generator.Parsing;

namespace AutoGrad.Generator.Differentiation;

/// <summary>Builders for the expressions derivative formulas are made of, with the obvious simplifications.</summary>
internal static class Exprs
{
    public static LiteralExpr Lit(double value, TypeRef type) => LiteralFormatter.Of(value, type);

    public static bool IsLiteral(Expr e, double value) =>
        e is LiteralExpr lit && double.TryParse(lit.Code.TrimEnd('f', 'L'), System.Globalization.NumberStyles.Float,
            System.Globalization.CultureInfo.InvariantCulture, out double v) && v == value;

    public static Expr Mul(Expr a, Expr b)
    {
        if (IsLiteral(a, 1)) return b;
        if (IsLiteral(b, 1)) return a;
        if (a is UnaryExpr { Op: UnaryOp.Negate } na) return Neg(Mul(na.Operand, b));
        if (b is UnaryExpr { Op: UnaryOp.Negate } nb) return Neg(Mul(a, nb.Operand));
        return new BinaryExpr(BinaryOp.Multiply, a, b, a.Type);
    }

    public static Expr Div(Expr a, Expr b) =>
        IsLiteral(b, 1) ? a : new BinaryExpr(BinaryOp.Divide, a, b, a.Type);

    /// <summary>
    /// <c>a + b</c>, or <c>2 · a</c> when b computes the same value as a (the two contributions the product rule makes
    /// for <c>x * x</c>, <c>g·x</c> and <c>x·g</c>): one multiply less, and the same bits, since a value added to itself
    /// rounds exactly as it does doubled.
    /// </summary>
    public static Expr Add(Expr a, Expr b) =>
        IsLiteral(b, 0) ? a : IsLiteral(a, 0) ? b
        : SameValue(a, b) ? new BinaryExpr(BinaryOp.Multiply, LiteralFormatter.Of(2, a.Type), a, a.Type)
        : new BinaryExpr(BinaryOp.Add, a, b, a.Type);

    /// <summary>True when b is a, or a product with a's operands swapped, made only of pure operations.</summary>
    private static bool SameValue(Expr a, Expr b) =>
        a.Type.Equals(b.Type) && IsPure(a) &&
        (a.Equals(b) || a is BinaryExpr { Op: BinaryOp.Multiply } x && b is BinaryExpr { Op: BinaryOp.Multiply } y && x.Left.Equals(y.Right) && x.Right.Equals(y.Left));

    /// <summary>Reads and arithmetic only: evaluating it twice or once gives the same value and does nothing else.</summary>
    public static bool IsPure(Expr e) => e switch
    {
        VariableExpr or LiteralExpr or LengthExpr => true,
        ElementExpr el => IsPure(el.Index),
        UnaryExpr u => IsPure(u.Operand),
        BinaryExpr bin => IsPure(bin.Left) && IsPure(bin.Right),
        CastExpr c => IsPure(c.Operand),
        MathCallExpr m => m.Arguments.All(IsPure),
        _ => false,
    };

    public static Expr Sub(Expr a, Expr b) => IsLiteral(b, 0) ? a : new BinaryExpr(BinaryOp.Subtract, a, b, a.Type);

    public static Expr Neg(Expr a) => a switch
    {
        UnaryExpr { Op: UnaryOp.Negate } n => n.Operand,
        _ => new UnaryExpr(UnaryOp.Negate, a, a.Type),
    };

    public static Expr Not(Expr a) => a switch
    {
        UnaryExpr { Op: UnaryOp.Not } n => n.Operand,
        _ => new UnaryExpr(UnaryOp.Not, a, TypeRef.Bool),
    };

    public static Expr Or(Expr a, Expr b) => new BinaryExpr(BinaryOp.Or, a, b, TypeRef.Bool);

    public static Expr And(Expr a, Expr b) => new BinaryExpr(BinaryOp.And, a, b, TypeRef.Bool);

    public static Expr Compare(BinaryOp op, Expr a, Expr b) => new BinaryExpr(op, a, b, TypeRef.Bool);

    public static Expr Cond(Expr c, Expr a, Expr b) => new ConditionalExpr(c, a, b, a.Type);

    public static Expr Math(string cls, string fn, TypeRef type, params Expr[] args) =>
        new MathCallExpr(cls, fn, args.ToEquatableArray(), type);

    public static Expr Call(Expr receiver, string method, TypeRef type, params Expr[] args) =>
        new OpaqueCallExpr(method, receiver, args.ToEquatableArray(), type, null);

    public static Expr Static(string method, TypeRef type, params Expr[] args) =>
        new OpaqueCallExpr(method, null, args.ToEquatableArray(), type, null);

    public static VariableExpr Var(string name, TypeRef type) => new(name, type);

    public static Expr Cast(Expr e, TypeRef type) => e.Type.Equals(type) ? e : new CastExpr(e, type);

    /// <summary>Every variable an expression reads (buffers count when their elements or length are read).</summary>
    public static void Reads(Expr? e, ISet<string> into)
    {
        switch (e)
        {
            case null:
                return;
            case VariableExpr v:
                into.Add(v.Name);
                return;
            case ElementExpr el:
                into.Add(el.Buffer.Name);
                Reads(el.Index, into);
                return;
            case LengthExpr len:
                into.Add(len.Buffer.Name);
                return;
            case UnaryExpr u:
                Reads(u.Operand, into);
                return;
            case BinaryExpr b:
                Reads(b.Left, into);
                Reads(b.Right, into);
                return;
            case ConditionalExpr c:
                Reads(c.Condition, into);
                Reads(c.WhenTrue, into);
                Reads(c.WhenFalse, into);
                return;
            case CastExpr c:
                Reads(c.Operand, into);
                return;
            case MathCallExpr m:
                foreach (Expr a in m.Arguments) Reads(a, into);
                return;
            case PrimitiveCallExpr p:
                foreach (Expr a in p.Arguments) Reads(a, into);
                return;
            case OpaqueCallExpr o:
                Reads(o.Receiver, into);
                foreach (Expr a in o.Arguments) Reads(a, into);
                return;
            case IntListExpr list:
                foreach (Expr a in list.Elements) Reads(a, into);
                return;
            case OpaqueMemberExpr om:
                Reads(om.Receiver, into);
                return;
            case SliceExpr s:
                into.Add(s.Buffer.Name);
                Reads(s.Start, into);
                Reads(s.Length, into);
                return;
            case AllocationExpr a:
                Reads(a.Size, into);
                return;
            case RefExpr r:
                Reads(r.Target, into);
                return;
            case TensorDataExpr td:
                into.Add(td.Tensor.Name);
                return;
        }
    }

    public static HashSet<string> Reads(Expr? e)
    {
        var set = new HashSet<string>();
        Reads(e, set);
        return set;
    }

    /// <summary>
    /// The memory a call of the framework's view makers views (<c>a.AsSpan()</c>, <c>a.AsMemory()</c>, <c>s.Slice(i)</c>,
    /// <c>MemoryExtensions.AsSpan(a, i)</c>), or null for any other call: a method of the user's that happens to be named
    /// so is no view. Views write nothing; what is done with them is checked where they are used.
    /// </summary>
    public static Expr? Viewed(OpaqueCallExpr call)
    {
        string method = call.Method.Replace("global::", string.Empty);
        int generic = method.IndexOf('<');
        string name = (generic >= 0 ? method.Substring(0, generic) : method).Split('.').Last();
        if (name is not ("AsSpan" or "AsMemory" or "AsReadOnlySpan" or "AsReadOnlyMemory" or "Slice")) return null;
        if (call.Receiver is not null)
        {
            return call.Receiver.Type.IsBuffer || call.Receiver.Type.Display.StartsWith("global::System.Memory<", System.StringComparison.Ordinal)
                ? call.Receiver
                : null;
        }
        return method.StartsWith("System.MemoryExtensions.", System.StringComparison.Ordinal) ? call.Arguments.FirstOrDefault() : null;
    }

    /// <summary>Rewrites every node bottom-up with <paramref name="rewrite"/>.</summary>
    public static Expr Rewrite(Expr e, System.Func<Expr, Expr> rewrite) => rewrite(MapChildren(e, child => Rewrite(child, rewrite)));

    /// <summary><paramref name="e"/> with each direct child replaced by <paramref name="map"/> of it, in evaluation order.</summary>
    public static Expr MapChildren(Expr e, System.Func<Expr, Expr> map) => e switch
    {
        ElementExpr el => el with { Index = map(el.Index) },
        UnaryExpr u => u with { Operand = map(u.Operand) },
        BinaryExpr b => b with { Left = map(b.Left), Right = map(b.Right) },
        ConditionalExpr c => c with { Condition = map(c.Condition), WhenTrue = map(c.WhenTrue), WhenFalse = map(c.WhenFalse) },
        CastExpr c => c with { Operand = map(c.Operand) },
        MathCallExpr m => m with { Arguments = MapAll(m.Arguments, map) },
        PrimitiveCallExpr p => p with { Arguments = MapAll(p.Arguments, map) },
        OpaqueCallExpr o => o with { Receiver = o.Receiver is null ? null : map(o.Receiver), Arguments = MapAll(o.Arguments, map) },
        OpaqueMemberExpr om => om with { Receiver = map(om.Receiver) },
        IntListExpr list => list with { Elements = MapAll(list.Elements, map) },
        SliceExpr s => s with { Start = map(s.Start), Length = s.Length is null ? null : map(s.Length) },
        AllocationExpr a => a with { Size = map(a.Size) },
        _ => e,
    };

    private static EquatableArray<Expr> MapAll(EquatableArray<Expr> items, System.Func<Expr, Expr> map)
    {
        var list = new List<Expr>(items.Count);
        foreach (Expr a in items) list.Add(map(a));
        return list.ToEquatableArray();
    }
}
