using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AutoGrad.Generator.Common;
using AutoGrad.Generator.Model;

namespace AutoGrad.Generator.Differentiation;

/// <summary>
/// Three-address form for tensor ops: every call of a tensor op becomes its own statement assigning a fresh
/// temporary (<c>_op3 = Nn.Linear(x, w1, b1)</c>), innermost first, so each op call site gets its own output slot,
/// saved state and adjoint in the workspace.
/// </summary>
internal sealed class TensorLowering
{
    private readonly NameAllocator _names;
    private int _next;

    private TensorLowering(NameAllocator names) => _names = names;

    /// <summary>The temporaries created, to be declared as locals.</summary>
    public List<LocalSpec> Temporaries { get; } = new();

    /// <summary>Names of the temporaries that hold an op's result (each is read exactly once).</summary>
    public HashSet<string> OpResults { get; } = new();

    /// <summary>The temporaries a lowered <c>?:</c>, <c>&amp;&amp;</c> or <c>||</c> sets: no variable of the user's, so no probe site.</summary>
    public HashSet<string> GuardTemporaries { get; } = new();

    /// <summary>
    /// Loop conditions that call a tensor op, which this form cannot lower (the op would have to run before every test
    /// of the condition); the differentiator reports them. As a plain call the op allocated on every call and named the
    /// generated file in its errors.
    /// </summary>
    public List<SourceInfo> OpsInLoopConditions { get; } = new();

    public static (EquatableArray<Stmt> Body, TensorLowering Lowering) Lower(EquatableArray<Stmt> body, NameAllocator names)
    {
        var lowering = new TensorLowering(names);
        return (lowering.Block(body).ToEquatableArray(), lowering);
    }

    private List<Stmt> Block(IEnumerable<Stmt> stmts)
    {
        var output = new List<Stmt>();
        foreach (Stmt s in stmts)
        {
            switch (s)
            {
                case AssignStmt a:
                {
                    Expr value = Extract(a.Value, a.Source, output, top: true);
                    Expr target = a.Target is ElementExpr e ? e with { Index = Extract(e.Index, a.Source, output, top: false) } : a.Target;
                    output.Add(a with { Target = target, Value = value });
                    break;
                }
                case IfStmt i:
                    // An op in the condition runs once, before the branch: into its own slot, like any other op (as a
                    // plain call it would allocate its output and call site on every call).
                    Expr condition = Extract(i.Condition, i.Source, output, top: false);
                    output.Add(i with { Condition = condition, Then = Block(i.Then).ToEquatableArray(), Else = Block(i.Else).ToEquatableArray() });
                    break;
                case LoopStmt l:
                    if (l.Condition is not null && HasTensorOp(l.Condition)) OpsInLoopConditions.Add(l.Source);
                    output.Add(l with { Init = Block(l.Init).ToEquatableArray(), Step = Block(l.Step).ToEquatableArray(), Body = Block(l.Body).ToEquatableArray() });
                    break;
                default:
                    output.Add(s);
                    break;
            }
        }
        return output;
    }

    /// <summary>
    /// Moves tensor-op calls out of <paramref name="e"/> into statements, in the order the expression evaluates them
    /// (operands left to right, an op's arguments before it); returns what replaces it. A <c>?:</c> whose arms, or an
    /// <c>&amp;&amp;</c> / <c>||</c> whose right side, call a tensor op becomes an if statement that sets a temporary:
    /// hoisted before the statement like other ops, the op ran whatever the condition said (the gradient threw where
    /// the method did not: <c>a.Dim(1) == b.Dim(0) ? Nn.Sum(Nn.MatMul(a, b)) : ...</c>, <c>i &lt; xs.Length &amp;&amp;
    /// Nn.Sum(xs[i]) &gt; 0</c>).
    /// </summary>
    private Expr Extract(Expr e, SourceInfo source, List<Stmt> output, bool top)
    {
        switch (e)
        {
            case ConditionalExpr c when HasTensorOp(c.WhenTrue) || HasTensorOp(c.WhenFalse):
            {
                Expr condition = Extract(c.Condition, source, output, top: false);
                VariableExpr result = Temporary("_choice", c.Type);
                output.Add(new IfStmt(condition, Arm(c.WhenTrue, result, source), Arm(c.WhenFalse, result, source), source));
                return result;
            }
            case BinaryExpr { Op: BinaryOp.And or BinaryOp.Or } b when HasTensorOp(b.Right):
            {
                // x && y: y only when x; x || y: y only when not x. The temporary holds x until then.
                VariableExpr result = Temporary("_guard", b.Type);
                output.Add(new AssignStmt(result, Extract(b.Left, source, output, top: false), IsDeclaration: true, source));
                Expr runsRight = b.Op == BinaryOp.And ? result : Exprs.Not(result);
                output.Add(new IfStmt(runsRight, Arm(b.Right, result, source), EquatableArray<Stmt>.Empty, source));
                return result;
            }
            case PrimitiveCallExpr { IsTensorOp: true }:
            {
                Expr call = Exprs.MapChildren(e, child => Extract(child, source, output, top: false));
                string name = _names.Name("_op" + (_next++).ToString(CultureInfo.InvariantCulture));
                var temp = new VariableExpr(name, call.Type);
                Temporaries.Add(new LocalSpec(name, call.Type));
                OpResults.Add(name);
                output.Add(new AssignStmt(temp, call, IsDeclaration: true, source));
                return temp;
            }
            default:
                return Exprs.MapChildren(e, child => Extract(child, source, output, top: false));
        }
    }

    /// <summary>The statements of one guarded operand: its ops, then <paramref name="result"/> = its value.</summary>
    private EquatableArray<Stmt> Arm(Expr operand, VariableExpr result, SourceInfo source)
    {
        var arm = new List<Stmt>();
        Expr value = Extract(operand, source, arm, top: false);
        arm.Add(new AssignStmt(result, value, IsDeclaration: false, source));
        return arm.ToEquatableArray();
    }

    private VariableExpr Temporary(string prefix, TypeRef type)
    {
        string name = _names.Name(prefix + (_next++).ToString(CultureInfo.InvariantCulture));
        Temporaries.Add(new LocalSpec(name, type));
        GuardTemporaries.Add(name);
        return new VariableExpr(name, type);
    }

    private static bool HasTensorOp(Expr e)
    {
        bool found = false;
        Exprs.Rewrite(e, node =>
        {
            found |= node is PrimitiveCallExpr { IsTensorOp: true };
            return node;
        });
        return found;
    }
}
