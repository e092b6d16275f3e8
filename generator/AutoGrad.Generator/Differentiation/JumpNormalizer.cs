using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generator.Common;
using AutoGrad.Generator.Model;

namespace AutoGrad.Generator.Differentiation;

/// <summary>
/// Rewrites break, continue and early return into flags and guards, so the reverse sweep only has to reverse
/// structured code (sequences, branches, loops). The method's value ends up in one result variable.
/// </summary>
internal sealed class JumpNormalizer
{
    private readonly NameAllocator _names;
    private readonly TypeRef _returnType;
    private VariableExpr? _returnFlag;

    private JumpNormalizer(NameAllocator names, TypeRef returnType)
    {
        _names = names;
        _returnType = returnType;
        Result = new VariableExpr(names.Name("_result"), returnType);
    }

    /// <summary>The variable that holds the method's value.</summary>
    public VariableExpr Result { get; }

    /// <summary>Generated flags and the result, to be declared with the other locals.</summary>
    public List<LocalSpec> Locals { get; } = new();

    public static (EquatableArray<Stmt> Body, JumpNormalizer Normalizer) Normalize(EquatableArray<Stmt> body, TypeRef returnType, NameAllocator names)
    {
        var normalizer = new JumpNormalizer(names, returnType);
        normalizer.Locals.Add(new LocalSpec(normalizer.Result.Name, returnType));
        List<Stmt> output = normalizer.Block(body.ToList(), loop: null, nested: false);
        return (output.ToEquatableArray(), normalizer);
    }

    private sealed class LoopContext
    {
        public VariableExpr? Break;
        public VariableExpr? Continue;
    }

    private VariableExpr Flag(string preferred)
    {
        var v = new VariableExpr(_names.Name(preferred), TypeRef.Bool);
        Locals.Add(new LocalSpec(v.Name, TypeRef.Bool));
        return v;
    }

    private VariableExpr ReturnFlag => _returnFlag ??= Flag("_returned");

    private static AssignStmt Set(VariableExpr flag, bool value, SourceInfo source) =>
        new(flag, new LiteralExpr(value ? "true" : "false", TypeRef.Bool), false, source);

    private List<Stmt> Block(List<Stmt> stmts, LoopContext? loop, bool nested)
    {
        var output = new List<Stmt>();
        for (int i = 0; i < stmts.Count; i++)
        {
            Stmt s = stmts[i];
            switch (s)
            {
                case ReturnStmt r:
                    output.Add(new AssignStmt(Result, r.Value, false, r.Source));
                    if (nested || loop is not null) output.Add(Set(ReturnFlag, true, r.Source));
                    return output; // anything after a jump is unreachable
                case BreakStmt b:
                    output.Add(Set(loop!.Break ??= Flag("_break"), true, b.Source));
                    return output;
                case ContinueStmt c:
                    output.Add(Set(loop!.Continue ??= Flag("_continue"), true, c.Source));
                    return output;
                case IfStmt ifs:
                {
                    var then = Block(ifs.Then.ToList(), loop, nested: true);
                    var @else = Block(ifs.Else.ToList(), loop, nested: true);
                    output.Add(ifs with { Then = then.ToEquatableArray(), Else = @else.ToEquatableArray() });
                    if (Guard(stmts, i, ifs, loop, nested, output)) return output;
                    break;
                }
                case LoopStmt l:
                {
                    output.AddRange(Loop(l));
                    if (Guard(stmts, i, l, loop, nested, output)) return output;
                    break;
                }
                default:
                    output.Add(s);
                    break;
            }
        }
        return output;
    }

    /// <summary>
    /// If <paramref name="s"/> may jump, wraps the statements after it in <c>if (!flags) { ... }</c>.
    /// Returns true when it did (the caller stops: the rest is inside the guard).
    /// </summary>
    private bool Guard(List<Stmt> stmts, int index, Stmt s, LoopContext? loop, bool nested, List<Stmt> output)
    {
        if (index == stmts.Count - 1) return false;
        Expr? condition = null;
        if (ContainsReturn(s)) condition = ReturnFlag;
        if (loop is not null && ContainsOwnJump(s, breaks: true) && loop.Break is not null) condition = Or(condition, loop.Break);
        if (loop is not null && ContainsOwnJump(s, breaks: false) && loop.Continue is not null) condition = Or(condition, loop.Continue);
        if (condition is null) return false;
        var rest = Block(stmts.Skip(index + 1).ToList(), loop, nested: true);
        if (rest.Count > 0)
        {
            output.Add(new IfStmt(Exprs.Not(condition), rest.ToEquatableArray(), EquatableArray<Stmt>.Empty, SourceInfo.Generated));
        }
        return true;
    }

    private static Expr Or(Expr? a, Expr b) => a is null ? b : Exprs.Or(a, b);

    private IEnumerable<Stmt> Loop(LoopStmt l)
    {
        var ctx = new LoopContext();
        List<Stmt> body = Block(l.Body.ToList(), ctx, nested: true);
        bool mayReturn = l.Body.Any(ContainsReturn);
        var prologue = new List<Stmt>();
        if (ctx.Continue is not null) body.Insert(0, Set(ctx.Continue, false, SourceInfo.Generated));
        if (ctx.Break is not null) prologue.Add(Set(ctx.Break, false, SourceInfo.Generated));

        Expr? stop = mayReturn ? ReturnFlag : null;
        if (ctx.Break is not null) stop = Or(stop, ctx.Break);
        Expr? condition = l.Condition;
        EquatableArray<Stmt> step = l.Step;
        if (stop is not null)
        {
            condition = condition is null ? Exprs.Not(stop) : Exprs.And(Exprs.Not(stop), condition);
            if (step.Count > 0)
            {
                // A for loop's step runs after continue but not after break or return.
                step = EquatableArray.Of<Stmt>(new IfStmt(Exprs.Not(stop), step, EquatableArray<Stmt>.Empty, SourceInfo.Generated));
            }
        }
        foreach (Stmt p in prologue) yield return p;
        yield return l with { Condition = condition, Step = step, Body = body.ToEquatableArray() };
    }

    private static bool ContainsReturn(Stmt s) => s switch
    {
        ReturnStmt => true,
        IfStmt i => i.Then.Any(ContainsReturn) || i.Else.Any(ContainsReturn),
        LoopStmt l => l.Body.Any(ContainsReturn),
        // Normalized statements carry the flag assignment instead of the return.
        _ => false,
    };

    /// <summary>break (or continue) that belongs to the current loop: not inside a nested loop.</summary>
    private static bool ContainsOwnJump(Stmt s, bool breaks) => s switch
    {
        BreakStmt => breaks,
        ContinueStmt => !breaks,
        IfStmt i => i.Then.Any(x => ContainsOwnJump(x, breaks)) || i.Else.Any(x => ContainsOwnJump(x, breaks)),
        _ => false,
    };
}
