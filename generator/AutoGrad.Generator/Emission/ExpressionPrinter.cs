using System.Linq;
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
                string operand = Print(u.Operand, Unary);
                // "- -x" must not become "--x".
                if ((op == "-" || op == "+") && operand.StartsWith(op, System.StringComparison.Ordinal)) operand = "(" + operand + ")";
                return (op + operand, Unary);
            }
            case BinaryExpr b:
            {
                (string op, int precedence) = Operator(b.Op);
                return (Print(b.Left, precedence) + " " + op + " " + Print(b.Right, precedence + 1), precedence);
            }
            case ConditionalExpr c:
                return (Print(c.Condition, Conditional + 1) + " ? " + Print(c.WhenTrue, Conditional) + " : " + Print(c.WhenFalse, Conditional), Conditional);
            case CastExpr c:
                return ("(" + c.Type.Display + ")" + Print(c.Operand, Primary), Unary);
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
                return ((a.Kind == AllocationKind.StackAlloc ? "stackalloc " : "new ") + a.Type.ElementKeyword + "[" + Print(a.Size) + "]", Primary);
            case TensorDataExpr td:
                return (Print(td.Tensor, Primary) + ".Span", Primary);
            case RefExpr r:
                return ("ref " + Print(r.Target), Primary);
            default:
                return (e.ToString(), Primary);
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
        _ => (">>", Shift),
    };
}
