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
                    output.Add(l with { Init = Block(l.Init).ToEquatableArray(), Step = Block(l.Step).ToEquatableArray(), Body = Block(l.Body).ToEquatableArray() });
                    break;
                default:
                    output.Add(s);
                    break;
            }
        }
        return output;
    }

    /// <summary>Moves tensor-op calls out of <paramref name="e"/> into statements; returns what replaces it.</summary>
    private Expr Extract(Expr e, SourceInfo source, List<Stmt> output, bool top)
    {
        return Exprs.Rewrite(e, node =>
        {
            if (node is not PrimitiveCallExpr { IsTensorOp: true } call) return node;
            string name = _names.Name("_op" + (_next++).ToString(CultureInfo.InvariantCulture));
            var temp = new VariableExpr(name, call.Type);
            Temporaries.Add(new LocalSpec(name, call.Type));
            OpResults.Add(name);
            output.Add(new AssignStmt(temp, call, IsDeclaration: true, source));
            return temp;
        });
    }
}
