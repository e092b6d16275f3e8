using System.Collections.Generic;
using AutoGrad.Generator.Common;
using AutoGrad.Generator.Differentiation;
using AutoGrad.Generator.Model;
using static AutoGrad.Generator.Emission.ExpressionPrinter;

namespace AutoGrad.Generator.Emission;

/// <summary>Prints the adjoint program's statements.</summary>
internal static class StatementPrinter
{
    public static void Write(SourceWriter w, IEnumerable<CodeStmt> code)
    {
        foreach (CodeStmt s in code) Write(w, s);
    }

    private static void Write(SourceWriter w, CodeStmt s)
    {
        switch (s)
        {
            case CodeComment c:
                w.WriteLine("// " + c.Text);
                break;
            case CodeBlank:
                w.WriteLine();
                break;
            case CodeIf i:
                WriteIf(w, i);
                break;
            case CodeFor f:
                w.WriteLine("for (" + (f.Init is null ? string.Empty : Inline(f.Init)) + "; " +
                            (f.Condition is null ? string.Empty : Print(f.Condition)) + "; " +
                            (f.Step is null ? string.Empty : Inline(f.Step)) + ")");
                Block(w, f.Body);
                break;
            case CodeWhile wh:
                w.WriteLine("while (" + Print(wh.Condition) + ")");
                Block(w, wh.Body);
                break;
            case CodeDoWhile dw:
                w.WriteLine("do");
                Block(w, dw.Body, "while (" + Print(dw.Condition) + ");");
                break;
            case CodeBlock b:
                Block(w, b.Body);
                break;
            case CodeReturn r:
                w.WriteLine("return " + Print(r.Value) + ";");
                break;
            case CodeTryFinally t:
                w.WriteLine("try");
                Block(w, t.Body);
                w.WriteLine("finally");
                Block(w, t.Finally);
                break;
            default:
                w.WriteLine(Inline(s) + ";");
                break;
        }
    }

    private static void WriteIf(SourceWriter w, CodeIf i)
    {
        if (i.Then.IsEmpty)
        {
            if (i.Else.IsEmpty) return;
            i = new CodeIf(Exprs.Not(i.Condition), i.Else, EquatableArray<CodeStmt>.Empty);
        }
        w.WriteLine("if (" + Print(i.Condition) + ")");
        Block(w, i.Then);
        if (!i.Else.IsEmpty)
        {
            if (i.Else.Count == 1 && i.Else[0] is CodeIf nested && !nested.Then.IsEmpty)
            {
                w.WriteLine("else if (" + Print(nested.Condition) + ")");
                Block(w, nested.Then);
                if (!nested.Else.IsEmpty)
                {
                    w.WriteLine("else");
                    Block(w, nested.Else);
                }
                return;
            }
            w.WriteLine("else");
            Block(w, i.Else);
        }
    }

    private static void Block(SourceWriter w, IEnumerable<CodeStmt> body, string? closingSuffix = null)
    {
        w.OpenBrace();
        Write(w, body);
        if (closingSuffix is null)
        {
            w.CloseBrace();
        }
        else
        {
            w.CloseBrace(" " + closingSuffix);
        }
    }

    /// <summary>A simple statement without its semicolon (also used inside for headers).</summary>
    private static string Inline(CodeStmt s) => s switch
    {
        CodeDeclare d => d.Init is null ? d.Type + " " + Identifier(d.Name) : d.Type + " " + Identifier(d.Name) + " = " + Print(d.Init),
        CodeAssign { Accumulate: true } a => Print(a.Target) + " += " + Print(a.Value),
        CodeAssign a => Assignment(a.Target, a.Value),
        CodeIncrement inc => Print(inc.Target) + (inc.Decrement ? "--" : "++"),
        CodeExpression e => Print(e.Expression),
        _ => s.ToString(),
    };

    /// <summary>Prints <c>x = x + e</c> as <c>x += e</c> and <c>i = i + 1</c> as <c>i++</c>, as a person would write it.</summary>
    private static string Assignment(Expr target, Expr value)
    {
        if (value is BinaryExpr { Op: BinaryOp.Add or BinaryOp.Subtract or BinaryOp.Multiply or BinaryOp.Divide } b && b.Left.Equals(target))
        {
            if (target.Type.IsIntegral && b.Right is LiteralExpr { Code: "1" } && b.Op is BinaryOp.Add or BinaryOp.Subtract)
            {
                return Print(target) + (b.Op == BinaryOp.Add ? "++" : "--");
            }
            string op = b.Op switch { BinaryOp.Add => "+=", BinaryOp.Subtract => "-=", BinaryOp.Multiply => "*=", _ => "/=" };
            return Print(target) + " " + op + " " + Print(b.Right);
        }
        return Print(target) + " = " + Print(value);
    }
}
