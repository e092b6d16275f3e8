using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generator.Common;
using AutoGrad.Generator.Model;
using static AutoGrad.Generator.Differentiation.Exprs;

namespace AutoGrad.Generator.Differentiation;

/// <summary>
/// Where the reverse sweep reads which variables (to evaluate partial derivatives, index adjoints, restore elements
/// and recompute loop locals). A statement that overwrites <c>x</c> must save the old value only if some reverse read
/// of <c>x</c> belongs to a statement that runs before it in forward order — earlier in the program, or in a loop the
/// two share. So <c>s = s + f</c> never saves <c>s</c>, and a sum read only after its loop saves nothing inside it.
/// </summary>
internal sealed class ReverseReads
{
    private readonly Dictionary<Stmt, (int Position, int[] Loops)> _places = new(ReferenceComparer<Stmt>.Instance);
    private readonly Dictionary<string, List<(int Position, int[] Loops)>> _readers = new();
    private readonly Dictionary<Stmt, (IReadOnlyList<Stmt> Block, int Index)> _parents = new(ReferenceComparer<Stmt>.Instance);
    private readonly Dictionary<int, (LoopStmt Loop, int End)> _loops = new();
    private readonly HashSet<Stmt> _freeIncrements = new(ReferenceComparer<Stmt>.Instance);

    /// <summary>True when any statement's reverse reads the variable.</summary>
    public bool Contains(string variable) => _readers.ContainsKey(variable);

    /// <summary>True when overwriting <paramref name="variable"/> at <paramref name="writer"/> must save its old value.</summary>
    public bool MustSave(string variable, Stmt writer)
    {
        if (!_readers.TryGetValue(variable, out var readers)) return false;
        if (_freeIncrements.Contains(writer)) return false;
        if (!_places.TryGetValue(writer, out var place)) return true; // not numbered (generated): be safe
        foreach ((int position, int[] loops) in readers)
        {
            if (position <= place.Position || loops.Intersect(place.Loops).Any()) return true;
        }
        return false;
    }

    public static ReverseReads Compute(IReadOnlyList<Stmt> body, ActivityAnalysis activity)
    {
        var result = new ReverseReads();
        var assignments = new List<AssignStmt>();
        var recomputed = new List<(AssignStmt Local, LoopStmt Loop)>();
        int next = 0;
        result.Number(body, new List<int>(), ref next, assignments, recomputed, body);

        int before;
        do
        {
            before = result.Count;
            foreach (AssignStmt s in assignments)
            {
                string target = ActivityAnalysis.TargetName(s.Target);
                var place = result._places[s];
                bool active = s.Target.Type.IsRealElement && !s.Target.Type.IsBuffer && activity.IsActive(target);
                var reads = new HashSet<string>();
                if (active)
                {
                    Partials(s.Value, activity, reads);
                    if (s.Target is ElementExpr e) Exprs.Reads(e.Index, reads);
                }
                if (s.Value is PrimitiveCallExpr { IsTensorOp: true } op && activity.IsActive(target))
                {
                    foreach (Expr a in op.Arguments) Exprs.Reads(a, reads);
                }
                if (s.Target is ElementExpr element && result.MustSave(element.Buffer.Name, s))
                {
                    // Restoring an overwritten element needs its index.
                    Exprs.Reads(element.Index, reads);
                }
                foreach (string r in reads) result.Add(r, place);
            }
            foreach ((AssignStmt local, LoopStmt loop) in recomputed)
            {
                // Recomputed at the start of each reverse iteration of its loop.
                if (!result.Contains(((VariableExpr)local.Target).Name)) continue;
                var place = result._places[loop];
                var loops = place.Loops.Concat(new[] { place.Position }).ToArray();
                foreach (string r in Exprs.Reads(local.Value)) result.Add(r, (place.Position, loops));
            }
        }
        while (result.Count != before);
        foreach (AssignStmt s in assignments) result.ClassifyIncrement(s);
        return result;
    }

    /// <summary>
    /// An accumulation <c>x += f</c> inside loops needs no save when nothing reads <c>x</c> in reverse from the last
    /// plain write before those loops (<c>x = 0</c>, saved as usual) to the end of the loops, and the loops write
    /// <c>x</c> only by accumulating: the one restore at that write undoes them all.
    /// </summary>
    private void ClassifyIncrement(AssignStmt s)
    {
        if (s.Target is not VariableExpr x || !IsIncrement(s, x.Name) || !_readers.TryGetValue(x.Name, out var readers)) return;
        (int _, int[] loops) = _places[s];
        for (int k = loops.Length - 1; k >= 0; k--)
        {
            (LoopStmt loop, int end) = _loops[loops[k]];
            int start = loops[k];
            if (StmtQueries.Assignments(new[] { loop }).Any(a => a.Target is VariableExpr v && v.Name == x.Name && !IsIncrement(a, x.Name))) return;
            if (readers.Any(r => r.Position >= start && r.Position <= end)) return;
            (IReadOnlyList<Stmt> block, int index) = _parents[loop];
            for (int i = index - 1; i >= 0; i--)
            {
                var written = new HashSet<string>();
                StmtQueries.Written(block[i], written);
                if (!written.Contains(x.Name)) continue;
                if (block[i] is AssignStmt w && w.Target is VariableExpr && !IsIncrement(w, x.Name) &&
                    !readers.Any(r => r.Position > _places[w].Position && r.Position <= end))
                {
                    _freeIncrements.Add(s);
                }
                return;
            }
            if (loops.Length > 0 && k == 0 && !readers.Any(r => r.Position <= end))
            {
                // Reached the method's top level with no earlier write: x holds its entry value, which no reverse read needs.
                _freeIncrements.Add(s);
                return;
            }
        }
    }

    private static bool IsIncrement(AssignStmt s, string name) =>
        s.Value is BinaryExpr { Op: BinaryOp.Add or BinaryOp.Subtract } b &&
        (b.Left is VariableExpr l && l.Name == name && !Reads(b.Right).Contains(name) ||
         b.Op == BinaryOp.Add && b.Right is VariableExpr r && r.Name == name && !Reads(b.Left).Contains(name));

    private int Count => _readers.Sum(r => r.Value.Count);

    private void Add(string variable, (int Position, int[] Loops) place)
    {
        if (!_readers.TryGetValue(variable, out var list)) _readers[variable] = list = new List<(int, int[])>();
        if (!list.Any(p => p.Item1 == place.Position)) list.Add(place);
    }

    private void Number(IEnumerable<Stmt> stmts, List<int> loops, ref int next, List<AssignStmt> assignments,
        List<(AssignStmt, LoopStmt)> recomputed, IReadOnlyList<Stmt> method)
    {
        IReadOnlyList<Stmt> block = stmts as IReadOnlyList<Stmt> ?? stmts.ToList();
        for (int index = 0; index < block.Count; index++)
        {
            Stmt s = block[index];
            int position = next++;
            _places[s] = (position, loops.ToArray());
            _parents[s] = (block, index);
            switch (s)
            {
                case AssignStmt a:
                    assignments.Add(a);
                    break;
                case IfStmt i:
                    Number(i.Then, loops, ref next, assignments, recomputed, method);
                    Number(i.Else, loops, ref next, assignments, recomputed, method);
                    break;
                case LoopStmt l:
                    Number(l.Init, loops, ref next, assignments, recomputed, method);
                    var inner = new List<int>(loops) { position };
                    Number(l.Body, inner, ref next, assignments, recomputed, method);
                    Number(l.Step, inner, ref next, assignments, recomputed, method);
                    _loops[position] = (l, next - 1);
                    foreach (AssignStmt local in LoopRecomputation.Find(l, method)) recomputed.Add((local, l));
                    if (CountedLoop.Match(l, method) is { } counted)
                    {
                        // The reverse sweep re-evaluates the header to count iterations.
                        foreach (string r in Reads(counted.Start).Concat(Reads(counted.Bound))) Add(r, (position, loops.ToArray()));
                    }
                    break;
            }
        }
    }

    /// <summary>What backpropagating through <paramref name="e"/> reads; mirrors Differentiator.Backprop.</summary>
    private static void Partials(Expr e, ActivityAnalysis activity, HashSet<string> into)
    {
        if (!activity.IsActive(e)) return;
        switch (e)
        {
            case ElementExpr el:
                Exprs.Reads(el.Index, into);
                break;
            case UnaryExpr u:
                Partials(u.Operand, activity, into);
                break;
            case CastExpr c:
                Partials(c.Operand, activity, into);
                break;
            case BinaryExpr { Op: BinaryOp.Add or BinaryOp.Subtract } b:
                Partials(b.Left, activity, into);
                Partials(b.Right, activity, into);
                break;
            case BinaryExpr { Op: BinaryOp.Multiply } b:
                if (activity.IsActive(b.Left)) Exprs.Reads(b.Right, into);
                if (activity.IsActive(b.Right)) Exprs.Reads(b.Left, into);
                Partials(b.Left, activity, into);
                Partials(b.Right, activity, into);
                break;
            case BinaryExpr b:
                Exprs.Reads(b.Left, into);
                Exprs.Reads(b.Right, into);
                Partials(b.Left, activity, into);
                Partials(b.Right, activity, into);
                break;
            case ConditionalExpr c:
                Exprs.Reads(c.Condition, into);
                Partials(c.WhenTrue, activity, into);
                Partials(c.WhenFalse, activity, into);
                break;
            case MathCallExpr m:
                foreach (Expr a in m.Arguments)
                {
                    Exprs.Reads(a, into);
                    Partials(a, activity, into);
                }
                break;
            case PrimitiveCallExpr p:
                foreach (Expr a in p.Arguments)
                {
                    Exprs.Reads(a, into);
                    Partials(a, activity, into);
                }
                break;
        }
    }
}
