using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generator.Common;
using AutoGrad.Generator.Model;
using static AutoGrad.Generator.Differentiation.Exprs;

namespace AutoGrad.Generator.Differentiation;

internal sealed partial class Differentiator
{
    /// <summary>
    /// Propagates the adjoint <paramref name="seed"/> of expression <paramref name="e"/> to the variables it reads,
    /// appending <c>+=</c> statements. Values the partials need are recomputed from the (restored) state into
    /// temporaries, once per statement (<paramref name="memo"/>).
    /// </summary>
    private void Backprop(Expr e, Expr seed, List<CodeStmt> code, Dictionary<Expr, Expr> memo)
    {
        if (!_activity.IsActive(e)) return;
        switch (e)
        {
            case VariableExpr v:
                code.Add(new CodeAssign(AdjointVariable(v), Cast(seed, v.Type), Accumulate: true));
                break;
            case ElementExpr el:
                code.Add(new CodeAssign(new ElementExpr(AdjointVariable(el.Buffer), Value(el.Index, code, memo), el.Type), Cast(seed, el.Type), Accumulate: true));
                break;
            case UnaryExpr { Op: UnaryOp.Negate } u:
                Backprop(u.Operand, Neg(seed), code, memo);
                break;
            case UnaryExpr u:
                Backprop(u.Operand, seed, code, memo);
                break;
            case CastExpr c:
                Backprop(c.Operand, Cast(seed, c.Operand.Type), code, memo);
                break;
            case BinaryExpr b:
                Binary(b, seed, code, memo);
                break;
            case ConditionalExpr c:
            {
                var whenTrue = new List<CodeStmt>();
                var whenFalse = new List<CodeStmt>();
                Backprop(c.WhenTrue, seed, whenTrue, new Dictionary<Expr, Expr>(memo));
                Backprop(c.WhenFalse, seed, whenFalse, new Dictionary<Expr, Expr>(memo));
                code.Add(new CodeIf(Value(c.Condition, code, memo), whenTrue.ToEquatableArray(), whenFalse.ToEquatableArray()));
                break;
            }
            case MathCallExpr m:
                MathCall(m, seed, code, memo);
                break;
            case PrimitiveCallExpr p:
                PrimitiveCall(p, seed, code, memo);
                break;
        }
    }

    private void Binary(BinaryExpr b, Expr seed, List<CodeStmt> code, Dictionary<Expr, Expr> memo)
    {
        bool left = _activity.IsActive(b.Left), right = _activity.IsActive(b.Right);
        switch (b.Op)
        {
            case BinaryOp.Add:
            case BinaryOp.Subtract:
            {
                Expr s = left && right ? Bind(seed, code) : seed;
                Backprop(b.Left, s, code, memo);
                Backprop(b.Right, b.Op == BinaryOp.Subtract ? Neg(s) : s, code, memo);
                break;
            }
            case BinaryOp.Multiply:
            {
                Expr s = left && right ? Bind(seed, code) : seed;
                if (left) Backprop(b.Left, Mul(s, Value(b.Right, code, memo)), code, memo);
                if (right) Backprop(b.Right, Mul(Value(b.Left, code, memo), s), code, memo);
                break;
            }
            case BinaryOp.Divide:
            {
                // d(l/r) = dl / r - (l/r) dr / r
                Expr s = Bind(seed, code);
                Expr r = Value(b.Right, code, memo);
                if (left) Backprop(b.Left, Div(s, r), code, memo);
                if (right) Backprop(b.Right, Neg(Div(Mul(s, Value(b, code, memo)), r)), code, memo);
                break;
            }
        }
    }

    private void MathCall(MathCallExpr m, Expr seed, List<CodeStmt> code, Dictionary<Expr, Expr> memo)
    {
        if (MathDerivatives.IsZeroGradient(m.Function)) return;
        Expr s = Bind(seed, code);
        // A kept result is all such a derivative reads: the arguments need not be recomputed.
        bool kept = MathDerivatives.DerivativeIsResult(m.Function) && memo.ContainsKey(m);
        var args = kept ? m.Arguments.ToList() : m.Arguments.Select(a => Value(a, code, memo)).ToList();
        foreach ((int index, Expr adjoint) in MathDerivatives.Pullback(m.Class, m.Function, args,
                     () => Value(m, code, memo), s, i => _activity.IsActive(m.Arguments[i]), m.Type))
        {
            Backprop(m.Arguments[index], adjoint, code, memo);
        }
    }

    /// <summary>
    /// A call to a method with a pullback ([Differentiable] or [CustomPullback]): call the pullback with the
    /// argument values, the incoming adjoint and one gradient slot per differentiable parameter.
    /// </summary>
    private void PrimitiveCall(PrimitiveCallExpr p, Expr seed, List<CodeStmt> code, Dictionary<Expr, Expr> memo)
    {
        CalleeSpec callee = p.Callee;
        var arguments = new List<Expr>();
        for (int i = 0; i < callee.Parameters.Count; i++)
        {
            Expr a = p.Arguments[i];
            arguments.Add(a.Type.Shape == ShapeKind.Scalar ? Value(a, code, memo) : a);
        }
        if (callee.PullbackTakesResult) arguments.Add(Value(p, code, memo));
        arguments.Add(Cast(seed, callee.ReturnType));

        var after = new List<(Expr Argument, VariableExpr Gradient)>();
        var pooled = new List<(VariableExpr Pool, string Element)>();
        for (int i = 0; i < callee.Parameters.Count; i++)
        {
            CalleeParameterSpec parameter = callee.Parameters[i];
            if (!parameter.IsDifferentiable) continue;
            Expr a = p.Arguments[i];
            bool active = _activity.IsActive(a);
            if (parameter.Type.IsRealScalar)
            {
                if (active && a is VariableExpr v && v.Type.Equals(parameter.Type))
                {
                    arguments.Add(new RefExpr(AdjointVariable(v)));
                }
                else
                {
                    VariableExpr g = Temp("_g", parameter.Type, Lit(0, parameter.Type), code);
                    arguments.Add(new RefExpr(g));
                    if (active) after.Add((a, g));
                }
            }
            else if (parameter.Type.IsRealBuffer)
            {
                if (active && a is VariableExpr v)
                {
                    arguments.Add(AdjointVariable(v));
                }
                else if (active && a is SliceExpr slice)
                {
                    arguments.Add(slice with { Buffer = AdjointVariable(slice.Buffer), Type = TypeRef.SpanOf(slice.Type.Element) });
                }
                else if (active)
                {
                    Report(DiagnosticDescriptors.UnsupportedExpression, null, $"{callee.Name}(...)",
                        $"pass an array or span variable as '{parameter.Name}', where a gradient must flow: 'var ws = w.Span;' first for a tensor's elements, or a.AsSpan(start, length)");
                    return;
                }
                else
                {
                    // The callee insists on a gradient buffer we do not need: lend it pooled scratch.
                    string element = parameter.Type.ElementKeyword;
                    Expr length = a is VariableExpr bv ? new LengthExpr(bv) : new OpaqueMemberExpr(a, "Length", TypeRef.Int);
                    VariableExpr pool = Temp("_scratch", new TypeRef(ShapeKind.Array, parameter.Type.Element, element + "[]"),
                        Static("global::System.Buffers.ArrayPool<" + element + ">.Shared.Rent", TypeRef.Int, length), code);
                    arguments.Add(Static("global::System.MemoryExtensions.AsSpan", TypeRef.SpanOf(parameter.Type.Element), pool, Lit(0, TypeRef.Int), length));
                    pooled.Add((pool, element));
                }
            }
        }
        code.Add(new CodeExpression(Static(callee.ContainingType + "." + callee.Pullback, TypeRef.Int, arguments.ToArray())));
        foreach ((VariableExpr pool, string element) in pooled)
        {
            code.Add(new CodeExpression(Static("global::System.Buffers.ArrayPool<" + element + ">.Shared.Return", TypeRef.Int, pool)));
        }
        foreach ((Expr argument, VariableExpr gradient) in after)
        {
            Backprop(argument, gradient, code, memo);
        }
    }

    /// <summary>The value of <paramref name="e"/> in the reverse sweep: the expression itself when it is cheap to
    /// read, otherwise a temporary that recomputes it once.</summary>
    private Expr Value(Expr e, List<CodeStmt> code, Dictionary<Expr, Expr> memo)
    {
        switch (e)
        {
            case LiteralExpr or VariableExpr or LengthExpr or OpaqueValueExpr:
                return e;
            case ElementExpr { Index: LiteralExpr or VariableExpr }:
                return e;
            case CastExpr { Operand: LiteralExpr or VariableExpr }:
                return e;
        }
        if (memo.TryGetValue(e, out Expr? known)) return known;
        Expr shallow = e switch
        {
            ElementExpr el => el with { Index = Value(el.Index, code, memo) },
            UnaryExpr u => u with { Operand = Value(u.Operand, code, memo) },
            // The right side of && and || runs only when the left one lets it (j < w.Length && w[j] < 0): computed
            // ahead into a temporary it would index past the end or divide by zero where the method does not.
            BinaryExpr { Op: BinaryOp.And or BinaryOp.Or } b => b with { Left = Value(b.Left, code, memo) },
            BinaryExpr b => b with { Left = Value(b.Left, code, memo), Right = Value(b.Right, code, memo) },
            CastExpr c => c with { Operand = Value(c.Operand, code, memo) },
            MathCallExpr m => m with { Arguments = m.Arguments.Select(a => Value(a, code, memo)).ToEquatableArray() },
            PrimitiveCallExpr p => p with { Arguments = p.Arguments.Select(a => a.Type.Shape == ShapeKind.Scalar ? Value(a, code, memo) : a).ToEquatableArray() },
            _ => e,
        };
        VariableExpr temp = Temp("_t", e.Type, shallow, code);
        memo[e] = temp;
        return temp;
    }

    /// <summary>A seed used more than once is computed once into a temporary.</summary>
    private Expr Bind(Expr seed, List<CodeStmt> code) =>
        seed is VariableExpr or LiteralExpr ? seed : Temp("_g", seed.Type, seed, code);

    private VariableExpr Temp(string prefix, TypeRef type, Expr init, List<CodeStmt> code)
    {
        var v = Var(_names.Numbered(prefix), type);
        code.Add(new CodeDeclare(type.Display, v.Name, init));
        return v;
    }
}
