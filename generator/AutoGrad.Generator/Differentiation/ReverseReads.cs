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

    /// <summary>Local arrays that nothing aliases, with the size they were allocated with (its variables never reassigned).</summary>
    private readonly Dictionary<string, Expr> _allocations = new();
    private IReadOnlyList<Stmt> _method = System.Array.Empty<Stmt>();

    /// <summary>Each name of a written local array with views, mapped to one name for all (<see cref="ViewAliasing"/>).</summary>
    private IReadOnlyDictionary<string, string> _roots = new Dictionary<string, string>();

    /// <summary>True when any statement's reverse reads the variable.</summary>
    public bool Contains(string variable) => _readers.ContainsKey(_roots.Root(variable));

    /// <summary>True when overwriting <paramref name="variable"/> at <paramref name="writer"/> must save its old value.</summary>
    public bool MustSave(string variable, Stmt writer) => MustSave(variable, writer, jointLoop: null);

    /// <summary>
    /// <see cref="MustSave(string, Stmt)"/> when <paramref name="jointLoop"/> runs each iteration's reverse sweep right
    /// after its forward sweep (<see cref="JointLoop"/>): a later iteration of that loop can no longer overwrite a
    /// value before the reverse sweep reads it, so sharing that loop is no reason to save.
    /// </summary>
    public bool MustSave(string variable, Stmt writer, LoopStmt? jointLoop)
    {
        if (!_readers.TryGetValue(_roots.Root(variable), out var readers)) return false;
        if (_freeIncrements.Contains(writer)) return false;
        if (!_places.TryGetValue(writer, out var place)) return true; // not numbered (generated): be safe
        int joint = jointLoop is not null && _places.TryGetValue(jointLoop, out var j) ? j.Position : -1;
        foreach ((int position, int[] loops) in readers)
        {
            if (position <= place.Position || loops.Intersect(place.Loops).Any(l => l != joint)) return true;
        }
        return false;
    }

    /// <summary>
    /// True when <paramref name="buffer"/> is a local array nothing aliases and <paramref name="loop"/> is
    /// <c>for (int i = 0; i &lt; size; i++) { ... buffer[i] = e; ... }</c>: every element written once, none read first.
    /// </summary>
    public bool RewritesLocalArray(LoopStmt loop, string buffer) =>
        _allocations.TryGetValue(buffer, out Expr? size) && WritesEveryElement(loop, buffer, size);

    public static ReverseReads Compute(IReadOnlyList<Stmt> body, ActivityAnalysis activity, IReadOnlyDictionary<string, string> roots)
    {
        var result = new ReverseReads { _roots = roots };
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
                if (s.Target.Type.IsTensorLike && s.Value is VariableExpr or ElementExpr && activity.IsActive(target))
                {
                    // 'g = h': the reverse sweep adds g's adjoint into h's, shaped like h as it was then, so a later
                    // 'h = Nn.Concat(g, g)' must restore h before that (it had the later value's shape).
                    Exprs.Reads(s.Value, reads);
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
        result._method = body;
        result.FindAllocations(assignments);
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
        if (s.Target is ElementExpr element)
        {
            ClassifyElementIncrement(s, element);
            return;
        }
        if (s.Target is not VariableExpr x || !StmtQueries.IsIncrement(s) || !_readers.TryGetValue(x.Name, out var readers)) return;
        (int _, int[] loops) = _places[s];
        for (int k = loops.Length - 1; k >= 0; k--)
        {
            (LoopStmt loop, int end) = _loops[loops[k]];
            int start = loops[k];
            if (StmtQueries.Assignments(new[] { loop }).Any(a => a.Target is VariableExpr v && v.Name == x.Name && !StmtQueries.IsIncrement(a))) return;
            if (readers.Any(r => r.Position >= start && r.Position <= end)) return;
            (IReadOnlyList<Stmt> block, int index) = _parents[loop];
            for (int i = index - 1; i >= 0; i--)
            {
                var written = new HashSet<string>();
                StmtQueries.Written(block[i], written);
                if (!written.Contains(x.Name)) continue;
                if (block[i] is AssignStmt w && w.Target is VariableExpr && !StmtQueries.IsIncrement(w) &&
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

    /// <summary>
    /// <c>b[j] += f</c> inside loops, after a loop that writes every element of the local array <c>b</c>
    /// (<c>for (int i = 0; i &lt; n; i++) b[i] = ...;</c> with <c>b = new double[n]</c>): that loop saves each element
    /// before overwriting it, so its restores undo the accumulations too, and they need no save of their own.
    /// </summary>
    private void ClassifyElementIncrement(AssignStmt s, ElementExpr element)
    {
        string b = element.Buffer.Name;
        if (!StmtQueries.IsIncrement(s) || !_readers.TryGetValue(b, out var readers) || !_allocations.TryGetValue(b, out Expr? size)) return;
        (int _, int[] loops) = _places[s];
        for (int k = loops.Length - 1; k >= 0; k--)
        {
            (LoopStmt loop, int end) = _loops[loops[k]];
            int start = loops[k];
            if (StmtQueries.Assignments(new[] { loop }).Any(a => a.Target is ElementExpr e && e.Buffer.Name == b && !StmtQueries.IsIncrement(a))) return;
            if (readers.Any(r => r.Position >= start && r.Position <= end)) return;
            (IReadOnlyList<Stmt> block, int index) = _parents[loop];
            for (int i = index - 1; i >= 0; i--)
            {
                var written = new HashSet<string>();
                StmtQueries.Written(block[i], written);
                if (!written.Contains(b)) continue;
                if (block[i] is LoopStmt cover && WritesEveryElement(cover, b, size) &&
                    !readers.Any(r => r.Position > _places[cover].Position && r.Position <= end))
                {
                    _freeIncrements.Add(s);
                }
                return;
            }
        }
    }

    /// <summary>
    /// <c>for (int i = 0; i &lt; size; i++) { ... b[i] = e; ... }</c> where <c>size</c> is the expression <c>b</c> was
    /// allocated with (unchanged since) or <c>b.Length</c>, and this is the loop's only write to <c>b</c>.
    /// </summary>
    private bool WritesEveryElement(LoopStmt loop, string buffer, Expr size)
    {
        if (CountedLoop.Match(loop, _method, _roots) is not { Start: LiteralExpr { Code: "0" }, Stride: 1, Comparison: BinaryOp.Less } counted) return false;
        bool boundIsSize = counted.Bound.Equals(size) || counted.Bound is LengthExpr len && len.Buffer.Name == buffer;
        if (!boundIsSize) return false;
        var writes = StmtQueries.Assignments(new[] { loop }).Where(a => a.Target is ElementExpr e && e.Buffer.Name == buffer).ToList();
        return writes.Count == 1 && loop.Body.Contains(writes[0]) &&
               writes[0].Target is ElementExpr { Index: VariableExpr index } && index.Name == counted.Counter.Name &&
               !Reads(writes[0].Value).Contains(buffer);
    }

    private int Count => _readers.Sum(r => r.Value.Count);

    private void FindAllocations(List<AssignStmt> assignments)
    {
        var aliased = new HashSet<string>();
        foreach (AssignStmt a in assignments)
        {
            if (a.Value is SliceExpr slice) aliased.Add(slice.Buffer.Name);
            if (a.Target is VariableExpr { Type.IsBuffer: true } && a.Value is VariableExpr other) aliased.Add(other.Name);
        }
        foreach (AssignStmt a in assignments)
        {
            if (a is not { IsDeclaration: true, Target: VariableExpr v, Value: AllocationExpr allocation } || aliased.Contains(v.Name)) continue;
            if (v.Type.Shape == ShapeKind.Span || aliased.Contains(v.Name)) continue;
            bool stableSize = Reads(allocation.Size).All(n => StmtQueries.CountAssignments(_method, n) <= 1);
            if (stableSize) _allocations[v.Name] = allocation.Size;
        }
    }

    private void Add(string variable, (int Position, int[] Loops) place)
    {
        variable = _roots.Root(variable);
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
                    foreach (AssignStmt local in LoopRecomputation.Find(l, method, _roots)) recomputed.Add((local, l));
                    if (CountedLoop.Match(l, method, _roots) is { } counted)
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
