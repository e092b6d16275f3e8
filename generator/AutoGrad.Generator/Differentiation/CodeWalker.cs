using System.Collections.Generic;
using AutoGrad.Generator.Common;
using AutoGrad.Generator.Model;

namespace AutoGrad.Generator.Differentiation;

/// <summary>Finds the identifiers generated code uses, so only locals that are needed get declared.</summary>
internal static class CodeWalker
{
    /// <param name="code">The statements.</param>
    /// <param name="into">Receives the names.</param>
    /// <param name="assignedVariables">False to leave out a plain variable that is only assigned to (<c>v = e</c>,
    /// <c>v += e</c>): the names then are those whose values are read.</param>
    /// <param name="declaredVariables">False to leave out a declared name unless something reads it.</param>
    public static void CollectNames(IEnumerable<CodeStmt> code, HashSet<string> into, bool assignedVariables = true, bool declaredVariables = true)
    {
        foreach (CodeStmt s in code)
        {
            switch (s)
            {
                case CodeDeclare d:
                    if (declaredVariables) into.Add(d.Name);
                    Exprs.Reads(d.Init, into);
                    break;
                case CodeAssign a:
                    if (assignedVariables || a.Target is not VariableExpr) Exprs.Reads(a.Target, into);
                    Exprs.Reads(a.Value, into);
                    break;
                case CodeIncrement inc:
                    Exprs.Reads(inc.Target, into);
                    break;
                case CodeExpression e:
                    Exprs.Reads(e.Expression, into);
                    break;
                case CodeIf i:
                    Exprs.Reads(i.Condition, into);
                    CollectNames(i.Then, into, assignedVariables, declaredVariables);
                    CollectNames(i.Else, into, assignedVariables, declaredVariables);
                    break;
                case CodeFor f:
                    if (f.Init is not null) CollectNames(new[] { f.Init }, into, assignedVariables, declaredVariables);
                    Exprs.Reads(f.Condition, into);
                    if (f.Step is not null) CollectNames(new[] { f.Step }, into, assignedVariables, declaredVariables);
                    CollectNames(f.Body, into, assignedVariables, declaredVariables);
                    break;
                case CodeWhile w:
                    Exprs.Reads(w.Condition, into);
                    CollectNames(w.Body, into, assignedVariables, declaredVariables);
                    break;
                case CodeDoWhile dw:
                    CollectNames(dw.Body, into, assignedVariables, declaredVariables);
                    Exprs.Reads(dw.Condition, into);
                    break;
                case CodeBlock b:
                    CollectNames(b.Body, into, assignedVariables, declaredVariables);
                    break;
                case CodeReturn r:
                    Exprs.Reads(r.Value, into);
                    break;
                case CodeTryFinally t:
                    CollectNames(t.Body, into, assignedVariables, declaredVariables);
                    CollectNames(t.Finally, into, assignedVariables, declaredVariables);
                    break;
            }
        }
    }

    /// <summary>The variable or buffer an assignment target writes (an element's buffer, a member's receiver).</summary>
    public static string TargetName(Expr target) => target switch
    {
        VariableExpr v => v.Name,
        ElementExpr e => e.Buffer.Name,
        OpaqueMemberExpr m => TargetName(m.Receiver),
        _ => string.Empty,
    };

    /// <summary>
    /// The names one statement may write, not counting the blocks it holds: its target, its declaration, and for a call
    /// whatever it gets by ref and every buffer it is handed (pullbacks write into the gradient buffers they are given).
    /// </summary>
    public static HashSet<string> Written(CodeStmt s)
    {
        var names = new HashSet<string>();
        switch (s)
        {
            case CodeAssign a:
                names.Add(TargetName(a.Target));
                break;
            case CodeDeclare d:
                names.Add(d.Name);
                break;
            case CodeIncrement i:
                names.Add(TargetName(i.Target));
                break;
            case CodeExpression e:
                Exprs.Reads(e.Expression, names);
                break;
        }
        return names;
    }

    /// <summary>The blocks a statement holds directly (branches, loop bodies, try and finally).</summary>
    public static IEnumerable<EquatableArray<CodeStmt>> Blocks(CodeStmt s) => s switch
    {
        CodeIf i => new[] { i.Then, i.Else },
        CodeFor f => new[] { f.Body },
        CodeWhile w => new[] { w.Body },
        CodeDoWhile d => new[] { d.Body },
        CodeBlock b => new[] { b.Body },
        CodeTryFinally t => new[] { t.Body, t.Finally },
        _ => System.Array.Empty<EquatableArray<CodeStmt>>(),
    };

    /// <summary>The statement with each block it holds directly replaced by <paramref name="map"/> of that block.</summary>
    public static CodeStmt MapBlocks(CodeStmt s, System.Func<IEnumerable<CodeStmt>, List<CodeStmt>> map) => s switch
    {
        CodeIf i => i with { Then = map(i.Then).ToEquatableArray(), Else = map(i.Else).ToEquatableArray() },
        CodeFor f => f with { Body = map(f.Body).ToEquatableArray() },
        CodeWhile w => w with { Body = map(w.Body).ToEquatableArray() },
        CodeDoWhile d => d with { Body = map(d.Body).ToEquatableArray() },
        CodeBlock b => b with { Body = map(b.Body).ToEquatableArray() },
        CodeTryFinally t => t with { Body = map(t.Body).ToEquatableArray(), Finally = map(t.Finally).ToEquatableArray() },
        _ => s,
    };
}
