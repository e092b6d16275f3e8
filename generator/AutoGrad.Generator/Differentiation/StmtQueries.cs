using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generator.Model;

namespace AutoGrad.Generator.Differentiation;

/// <summary>Walks over statement trees that several analyses share.</summary>
internal static class StmtQueries
{
    /// <summary>Every assignment, in program order, nested statements included.</summary>
    public static List<AssignStmt> Assignments(IEnumerable<Stmt> stmts)
    {
        var list = new List<AssignStmt>();
        Collect(stmts, list);
        return list;
    }

    private static void Collect(IEnumerable<Stmt> stmts, List<AssignStmt> into)
    {
        foreach (Stmt s in stmts)
        {
            switch (s)
            {
                case AssignStmt a:
                    into.Add(a);
                    break;
                case IfStmt i:
                    Collect(i.Then, into);
                    Collect(i.Else, into);
                    break;
                case LoopStmt l:
                    Collect(l.Init, into);
                    Collect(l.Body, into);
                    Collect(l.Step, into);
                    break;
            }
        }
    }

    /// <summary>The variables and buffers a statement (and everything nested in it) may write.</summary>
    public static void Written(Stmt s, HashSet<string> into)
    {
        foreach (AssignStmt a in Assignments(new[] { s })) into.Add(ActivityAnalysis.TargetName(a.Target));
    }

    /// <summary>Every name a statement (and everything nested in it) reads or writes, conditions included.</summary>
    public static void Referenced(Stmt s, HashSet<string> into)
    {
        foreach (Expr e in Expressions(s)) Exprs.Reads(e, into);
    }

    /// <summary>
    /// The expressions a statement (and everything nested in it) is made of: targets, values, conditions and returned
    /// values, in program order (each one whole; <see cref="Exprs.Rewrite"/> walks inside them).
    /// </summary>
    public static IEnumerable<Expr> Expressions(Stmt s)
    {
        switch (s)
        {
            case AssignStmt a:
                yield return a.Target;
                yield return a.Value;
                break;
            case IfStmt i:
                yield return i.Condition;
                foreach (Expr e in i.Then.Concat(i.Else).SelectMany(Expressions)) yield return e;
                break;
            case LoopStmt l:
                if (l.Condition is not null) yield return l.Condition;
                foreach (Expr e in l.Init.Concat(l.Body).Concat(l.Step).SelectMany(Expressions)) yield return e;
                break;
            case ReturnStmt r:
                yield return r.Value;
                break;
        }
    }

    /// <summary>
    /// <c>x = x + f</c>, <c>x = f + x</c> or <c>x = x - f</c> (x a variable or an element) where f does not read x:
    /// the reverse sweep passes x's adjoint through and needs nothing x held.
    /// </summary>
    public static bool IsIncrement(AssignStmt s, out Expr? increment, out bool negated)
    {
        increment = null;
        negated = false;
        if (s.Value is not BinaryExpr { Op: BinaryOp.Add or BinaryOp.Subtract } b) return false;
        string target = ActivityAnalysis.TargetName(s.Target);
        if (b.Left.Equals(s.Target) && !Exprs.Reads(b.Right).Contains(target))
        {
            increment = b.Right;
            negated = b.Op == BinaryOp.Subtract;
            return true;
        }
        if (b.Op == BinaryOp.Add && b.Right.Equals(s.Target) && !Exprs.Reads(b.Left).Contains(target))
        {
            increment = b.Left;
            return true;
        }
        return false;
    }

    /// <inheritdoc cref="IsIncrement(AssignStmt, out Expr?, out bool)"/>
    public static bool IsIncrement(AssignStmt s) => IsIncrement(s, out _, out _);

    /// <summary><c>c = c + k</c> or <c>c = c - k</c> for an integer variable c and a literal k: undone by stepping back.</summary>
    public static bool IsConstantStep(AssignStmt s) =>
        s.Target is VariableExpr v && v.Type.IsIntegral &&
        s.Value is BinaryExpr { Op: BinaryOp.Add or BinaryOp.Subtract, Left: VariableExpr self, Right: LiteralExpr } && self.Name == v.Name;

    /// <summary>How many assignments to the variable <paramref name="name"/> the statements hold.</summary>
    public static int CountAssignments(IEnumerable<Stmt> stmts, string name) =>
        Assignments(stmts).Count(a => a.Target is VariableExpr v && v.Name == name);

    /// <summary>break/continue/return anywhere in the statements (nested loops' own jumps included, conservatively).</summary>
    public static bool HasJump(IEnumerable<Stmt> stmts) => stmts.Any(s => s switch
    {
        BreakStmt or ContinueStmt or ReturnStmt => true,
        IfStmt i => HasJump(i.Then) || HasJump(i.Else),
        LoopStmt l => HasJump(l.Body),
        _ => false,
    });
}
