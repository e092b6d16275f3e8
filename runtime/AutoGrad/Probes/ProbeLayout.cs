using System;
using System.Collections.Generic;

namespace AutoGrad.Probes;

/// <summary>
/// The constant probe table of one differentiable method, emitted by the generator as
/// <c>{Method}ProbeLayout</c>. Sites are listed in forward (depth) order.
/// </summary>
public sealed class ProbeLayout
{
    /// <summary>Creates a layout. Called by generated code.</summary>
    /// <param name="method">The differentiable method, e.g. <c>Mlp.Loss</c>.</param>
    /// <param name="sites">The probe sites in forward order.</param>
    public ProbeLayout(string method, ProbeSite[] sites)
    {
        Method = method;
        Sites = sites ?? throw new ArgumentNullException(nameof(sites));
    }

    /// <summary>The differentiable method this layout belongs to.</summary>
    public string Method { get; }

    /// <summary>The sites, in forward order.</summary>
    public IReadOnlyList<ProbeSite> Sites { get; }

    /// <summary>The number of sites.</summary>
    public int Count => Sites.Count;

    /// <summary>
    /// True when <paramref name="other"/> is this layout or one built for the same method site for site (same names and
    /// kinds, in order): readings made for one are readings of the other.
    /// </summary>
    internal bool SameSitesAs(ProbeLayout other)
    {
        if (ReferenceEquals(this, other)) return true;
        if (other.Method != Method || other.Count != Count) return false;
        for (int i = 0; i < Count; i++)
        {
            if (other.Sites[i].Name != Sites[i].Name || other.Sites[i].Kind != Sites[i].Kind) return false;
        }
        return true;
    }

    /// <summary>The index of the site with this name and kind, or -1.</summary>
    public int IndexOf(string name, ProbeKind kind)
    {
        for (int i = 0; i < Sites.Count; i++)
        {
            if (Sites[i].Kind == kind && Sites[i].Name == name)
            {
                return i;
            }
        }
        return -1;
    }
}
