using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generator.Model;

namespace AutoGrad.Generator.Differentiation;

/// <summary>
/// Chains of fused layers: ops whose forward keeps a feature-major copy of its output for the next layer, so that the
/// next product reads both operands in place (<see cref="FindChains"/>).
/// </summary>
internal sealed partial class Differentiator
{
    /// <summary>Op results whose feature-major copy is kept, with the workspace field that holds it.</summary>
    private readonly Dictionary<string, string> _transposedResults = new();

    /// <summary>
    /// The ops of fused-layer chains (<see cref="FindChains"/>), each with the op whose output it reads as its first
    /// argument when that op keeps a feature-major copy (else null).
    /// </summary>
    private Dictionary<string, string?> _chain = new();

    /// <summary>
    /// Chains of ops whose ForwardInto can keep a feature-major copy of its output (a fused layer's): at the top
    /// level of the method, an op whose first argument holds another such op's output, and that op. Their outputs are
    /// never written after they are made (op outputs are immutable unless a tensor's span is taken or a tensor is
    /// handed to an unknown method, and then there are no chains), so the copy stays valid for the step.
    /// </summary>
    private Dictionary<string, string?> FindChains(IEnumerable<Stmt> body)
    {
        var chain = new Dictionary<string, string?>();
        if (!NothingWritesTensors(body)) return chain;
        var holds = new Dictionary<string, string>(); // tensor variable → the op output it holds
        var consumers = new Dictionary<string, string?>();
        var producers = new HashSet<string>();
        foreach (Stmt st in body)
        {
            if (st is not AssignStmt { Target: VariableExpr target } a)
            {
                var written = new HashSet<string>();
                StmtQueries.Written(st, written);
                foreach (string w in written) holds.Remove(w);
                continue;
            }
            if (a.Value is PrimitiveCallExpr { Callee: { IntoKeepsTransposed: true, StateType: null } } call &&
                call.Type.Shape == ShapeKind.Tensor && _opResults.Contains(target.Name) && call.Arguments.Count > 0)
            {
                string? source = call.Arguments[0] is VariableExpr x
                    ? holds.TryGetValue(x.Name, out string? held) ? held : _opResults.Contains(x.Name) ? x.Name : null
                    : null;
                consumers[target.Name] = source;
                if (source is not null && consumers.ContainsKey(source)) producers.Add(source);
            }
            if (a.Value is VariableExpr from && from.Type.Shape == ShapeKind.Tensor)
            {
                holds[target.Name] = holds.TryGetValue(from.Name, out string? held) ? held : from.Name;
            }
            else
            {
                holds.Remove(target.Name);
            }
        }
        foreach (KeyValuePair<string, string?> c in consumers)
        {
            bool readsCopy = c.Value is not null && producers.Contains(c.Value);
            if (readsCopy || producers.Contains(c.Key)) chain[c.Key] = readsCopy ? c.Value : null;
        }
        return chain;
    }

    /// <summary>True when no statement reads a tensor's span or passes a tensor to an opaque call.</summary>
    private static bool NothingWritesTensors(IEnumerable<Stmt> body)
    {
        bool found = false;
        Expr Check(Expr e)
        {
            found |= e is TensorDataExpr ||
                e is OpaqueCallExpr o && (o.Arguments.Any(a => a.Type.IsTensorLike) || o.Receiver is { Type.IsTensorLike: true });
            return e;
        }
        foreach (Expr e in body.SelectMany(StmtQueries.Expressions)) Exprs.Rewrite(e, Check);
        return !found;
    }
}
