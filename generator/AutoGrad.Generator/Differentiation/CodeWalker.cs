using System.Collections.Generic;
using AutoGrad.Generator.Model;

namespace AutoGrad.Generator.Differentiation;

/// <summary>Finds the identifiers generated code uses, so only locals that are needed get declared.</summary>
internal static class CodeWalker
{
    public static void CollectNames(IEnumerable<CodeStmt> code, HashSet<string> into)
    {
        foreach (CodeStmt s in code)
        {
            switch (s)
            {
                case CodeDeclare d:
                    into.Add(d.Name);
                    Exprs.Reads(d.Init, into);
                    break;
                case CodeAssign a:
                    Exprs.Reads(a.Target, into);
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
                    CollectNames(i.Then, into);
                    CollectNames(i.Else, into);
                    break;
                case CodeFor f:
                    if (f.Init is not null) CollectNames(new[] { f.Init }, into);
                    Exprs.Reads(f.Condition, into);
                    if (f.Step is not null) CollectNames(new[] { f.Step }, into);
                    CollectNames(f.Body, into);
                    break;
                case CodeWhile w:
                    Exprs.Reads(w.Condition, into);
                    CollectNames(w.Body, into);
                    break;
                case CodeDoWhile dw:
                    CollectNames(dw.Body, into);
                    Exprs.Reads(dw.Condition, into);
                    break;
                case CodeBlock b:
                    CollectNames(b.Body, into);
                    break;
                case CodeReturn r:
                    Exprs.Reads(r.Value, into);
                    break;
                case CodeTryFinally t:
                    CollectNames(t.Body, into);
                    CollectNames(t.Finally, into);
                    break;
            }
        }
    }
}
