using System.Linq;
using System.Numerics;
using AutoGrad.Generator.Common;
using AutoGrad.Generator.Model;
using Microsoft.CodeAnalysis.CSharp;

namespace AutoGrad.Generator.Emission;

/// <summary>Prints <see cref="Expr"/> as C#, with exactly the parentheses precedence requires.</summary>
internal static class ExpressionPrinter
{
    private const int Conditional = 4, LogicalOr = 5, LogicalAnd = 6, BitOr = 7, BitXor = 8, BitAnd = 9,
        Equality = 10, Relational = 11, Shift = 12, Additive = 13, Multiplicative = 14, Unary = 15, Primary = 16;

    public static string Print(Expr e) => Print(e, 0);

    public static string Identifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None
            ? "@" + name
            : name;

    private static string Print(Expr e, int minimum)
    {
        (string text, int precedence) = PrintCore(e);
        return precedence < minimum ? "(" + text + ")" : text;
    }

    private static (string Text, int Precedence) PrintCore(Expr e)
    {
        switch (e)
        {
            case LiteralExpr l:
                return (l.Code, l.Code.StartsWith("-", System.StringComparison.Ordinal) ? Unary : Primary);
            case VariableExpr v:
                return (Identifier(v.Name), Primary);
            case ElementExpr el:
                return (Print(el.Buffer, Primary) + "[" + Print(el.Index) + "]", Primary);
            case LengthExpr len:
                return (Print(len.Buffer, Primary) + ".Length", Primary);
            case UnaryExpr u:
            {
                string op = u.Op switch { UnaryOp.Negate => "-", UnaryOp.Plus => "+", UnaryOp.Not => "!", _ => "~" };
                string operand = OnlyAtRunTime(u) ? AtRunTime(u.Operand) : Print(u.Operand, Unary);
                // "- -x" must not become "--x".
                if ((op == "-" || op == "+") && operand.StartsWith(op, System.StringComparison.Ordinal)) operand = "(" + operand + ")";
                return (op + operand, Unary);
            }
            case BinaryExpr b:
            {
                (string op, int precedence) = Operator(b.Op);
                string left = OnlyAtRunTime(b) ? AtRunTime(b.Left) : Print(b.Left, precedence);
                return (left + " " + op + " " + Print(b.Right, precedence + 1), precedence);
            }
            case ConditionalExpr c:
                return (Print(c.Condition, Conditional + 1) + " ? " + Print(c.WhenTrue, Conditional) + " : " + Print(c.WhenFalse, Conditional), Conditional);
            case CastExpr c:
                return ("(" + c.Type.Display + ")" + (OnlyAtRunTime(c) ? AtRunTime(c.Operand) : Print(c.Operand, Primary)), Unary);
            case MathCallExpr m:
                return ("global::System." + m.Class + "." + m.Function + Arguments(m.Arguments), Primary);
            case PrimitiveCallExpr p:
                return (p.Callee.ContainingType + "." + Identifier(p.Callee.Name) + Arguments(p.Arguments), Primary);
            case OpaqueCallExpr o:
                return ((o.Receiver is null ? string.Empty : Print(o.Receiver, Primary) + ".") + o.Method + Arguments(o.Arguments), Primary);
            case OpaqueMemberExpr om:
                return (Print(om.Receiver, Primary) + "." + om.Member, Primary);
            case OpaqueValueExpr ov:
                return (ov.Code, Primary);
            case IntListExpr list:
                return ("[" + string.Join(", ", list.Elements.Select(e => Print(e))) + "]", Primary);
            case SliceExpr s:
            {
                string args = Print(s.Start) + (s.Length is null ? string.Empty : ", " + Print(s.Length));
                return s.Buffer.Type.Shape == ShapeKind.Array
                    ? ("global::System.MemoryExtensions.AsSpan(" + Print(s.Buffer) + ", " + args + ")", Primary)
                    : (Print(s.Buffer, Primary) + ".Slice(" + args + ")", Primary);
            }
            case AllocationExpr a:
                return ((a.Kind == AllocationKind.StackAlloc ? "stackalloc " : "new ") + a.Type.ElementDisplay + "[" + Print(a.Size) + "]", Primary);
            case TensorDataExpr td:
                return (Print(td.Tensor, Primary) + ".Span", Primary);
            case RefExpr r:
                return ("ref " + Print(r.Target), Primary);
            default:
                return (e.ToString(), Primary);
        }
    }

    /// <summary>
    /// Integral arithmetic or a conversion to an integral type made of literals only, which C# would evaluate at compile
    /// time with results the primal never sees: an unrolled loop's counter makes <c>(short)(32766 + i)</c> the constant
    /// <c>(short)32768</c> (refused, or wrapped under <c>unchecked</c> where a checked project's primal throws),
    /// <c>(int)(i * 2e10)</c> a constant the compiler folds to 0 (the run-time conversion saturates), and
    /// <c>7 / (i - 1)</c> a division by constant zero (refused, though the primal only throws if it runs). Such an
    /// expression's first operand goes through <see cref="AtRunTime"/>, so it is computed as the primal computes it.
    /// Values that fit stay constants.
    /// </summary>
    private static bool OnlyAtRunTime(Expr e)
    {
        if (IntegralRanges.Of(e.Type.Display) is not { } range) return false;
        switch (e)
        {
            case CastExpr c when IsConstant(c.Operand):
                return !(Value(c.Operand) is BigInteger v && range.Holds(v));
            case BinaryExpr { Op: BinaryOp.Add or BinaryOp.Subtract or BinaryOp.Multiply or BinaryOp.ShiftLeft } b when IsConstant(b):
                return !(Value(b) is BigInteger v2 && range.Holds(v2));
            case UnaryExpr { Op: UnaryOp.Negate } u when IsConstant(u.Operand):
                return !(-Value(u.Operand) is BigInteger negated && range.Holds(negated));
            case BinaryExpr { Op: BinaryOp.Divide or BinaryOp.Modulo } b when IsConstant(b):
                BigInteger? divisor = Value(b.Right), dividend = Value(b.Left);
                return divisor is null || divisor == 0 || divisor == -1 && dividend == range.Min;
            default:
                return false;
        }
    }

    private static string AtRunTime(Expr operand) => "global::AutoGrad.Internal.Unrolled.AtRunTime(" + Print(operand) + ")";

    private static bool IsConstant(Expr e) => e switch
    {
        LiteralExpr => true,
        UnaryExpr u => IsConstant(u.Operand),
        BinaryExpr b => IsConstant(b.Left) && IsConstant(b.Right),
        CastExpr c => IsConstant(c.Operand),
        _ => false,
    };

    /// <summary>The exact value of integer literals under + − * and integral casts that fit, or null.</summary>
    private static BigInteger? Value(Expr e)
    {
        switch (e)
        {
            case LiteralExpr l when BigInteger.TryParse(l.Code.TrimEnd('L', 'U', 'l', 'u'), System.Globalization.NumberStyles.AllowLeadingSign,
                System.Globalization.CultureInfo.InvariantCulture, out BigInteger literal):
                return literal;
            case UnaryExpr { Op: UnaryOp.Negate } u:
                return -Value(u.Operand);
            case CastExpr c when IntegralRanges.Of(c.Type.Display) is { } range:
                return Value(c.Operand) is BigInteger v && range.Holds(v) ? v : null;
            case BinaryExpr { Op: BinaryOp.Add } b:
                return Value(b.Left) + Value(b.Right);
            case BinaryExpr { Op: BinaryOp.Subtract } b:
                return Value(b.Left) - Value(b.Right);
            case BinaryExpr { Op: BinaryOp.Multiply } b:
                return Value(b.Left) * Value(b.Right);
            default:
                return null;
        }
    }

    private static string Arguments(System.Collections.Generic.IEnumerable<Expr> args) =>
        "(" + string.Join(", ", args.Select(a => Print(a))) + ")";

    private static (string Op, int Precedence) Operator(BinaryOp op) => op switch
    {
        BinaryOp.Add => ("+", Additive),
        BinaryOp.Subtract => ("-", Additive),
        BinaryOp.Multiply => ("*", Multiplicative),
        BinaryOp.Divide => ("/", Multiplicative),
        BinaryOp.Modulo => ("%", Multiplicative),
        BinaryOp.Less => ("<", Relational),
        BinaryOp.LessOrEqual => ("<=", Relational),
        BinaryOp.Greater => (">", Relational),
        BinaryOp.GreaterOrEqual => (">=", Relational),
        BinaryOp.Equal => ("==", Equality),
        BinaryOp.NotEqual => ("!=", Equality),
        BinaryOp.And => ("&&", LogicalAnd),
        BinaryOp.Or => ("||", LogicalOr),
        BinaryOp.BitwiseAnd => ("&", BitAnd),
        BinaryOp.BitwiseOr => ("|", BitOr),
        BinaryOp.BitwiseXor => ("^", BitXor),
        BinaryOp.ShiftLeft => ("<<", Shift),
        BinaryOp.UnsignedShiftRight => (">>>", Shift),
        _ => (">>", Shift),
    };
}
