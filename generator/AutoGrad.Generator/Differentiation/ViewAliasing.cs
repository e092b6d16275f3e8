using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generator.Model;

namespace AutoGrad.Generator.Differentiation;

/// <summary>
/// A view declared on a local array (<c>var v = a.AsSpan(1, 2);</c>, <c>a.Slice(...)</c>, or a view of a view) holds
/// some of the array's elements under another name. The analyses that order the reverse sweep tell values apart by
/// name: which overwritten elements to save (<see cref="ReverseReads"/>), which loop locals may be recomputed
/// (<see cref="LoopRecomputation"/>), which adjoint additions may be merged and moved (<see cref="AccumulationCoalescer"/>).
/// For a local array whose elements are written, they take every name of it as the array's own, so that <c>v[0] = ...</c>
/// counts as a write of <c>a</c>, and a reverse read of <c>a[1]</c> as a read of <c>v</c>. Conservative: a write through
/// one name is taken to touch every element under any name. Views of parameters are left alone (parameters are never
/// written, AG0017, and adjoint additions commute).
/// </summary>
internal static class ViewAliasing
{
    /// <summary>Every name of a written local array that has views (the array's included), mapped to the array's name.</summary>
    public static Dictionary<string, string> Roots(IReadOnlyList<Stmt> body)
    {
        List<AssignStmt> assignments = StmtQueries.Assignments(body);
        var root = new Dictionary<string, string>();
        var viewed = new HashSet<string>();
        foreach (AssignStmt s in assignments)
        {
            if (!s.IsDeclaration || s.Target is not VariableExpr { Type.IsBuffer: true } v) continue;
            if (s.Value is AllocationExpr)
            {
                root[v.Name] = v.Name;
                continue;
            }
            string? source = s.Value switch
            {
                SliceExpr slice => slice.Buffer.Name,
                VariableExpr other when other.Type.IsBuffer => other.Name,
                // A view of an int or bool array ('var v = lim.AsSpan();') stays a call; a write through it still moves
                // what the array holds (a loop bound read as 'lim[1]').
                OpaqueCallExpr call when Exprs.Viewed(call) is VariableExpr array => array.Name,
                _ => null,
            };
            if (source is not null && root.TryGetValue(source, out string? r))
            {
                root[v.Name] = r;
                viewed.Add(r);
            }
        }
        var written = new HashSet<string>();
        foreach (AssignStmt a in assignments)
        {
            if (a.Target is ElementExpr { Buffer: var target } && root.TryGetValue(target.Name, out string? r)) written.Add(r);
        }
        return root.Where(m => viewed.Contains(m.Value) && written.Contains(m.Value)).ToDictionary(m => m.Key, m => m.Value);
    }

    /// <summary>The name that stands for every name of <paramref name="name"/>'s array.</summary>
    public static string Root(this IReadOnlyDictionary<string, string> roots, string name) =>
        roots.TryGetValue(name, out string? root) ? root : name;

    /// <summary>Adds to <paramref name="names"/> every other name of the arrays it names.</summary>
    public static void AddAliases(this IReadOnlyDictionary<string, string> roots, HashSet<string> names)
    {
        var arrays = new HashSet<string>(names.Where(roots.ContainsKey).Select(n => roots[n]));
        foreach (KeyValuePair<string, string> member in roots)
        {
            if (arrays.Contains(member.Value)) names.Add(member.Key);
        }
    }
}
