using AutoGrad.Probes;

namespace AutoGrad.Health;

/// <summary>
/// Where the first NaN/∞ of a step came from. When generated code reported it
/// (<see cref="GradientProbes.NoteNonFinite"/>), <see cref="Site"/> is the first op in forward order whose output
/// was non-finite, and <see cref="IsCulprit"/> says whether its inputs were finite (the op made it) or not (it only
/// passed it on). Otherwise it is the site nearest the output whose gradient held NaN/∞: the backward pass runs from the
/// output, so that is where it first produced one.
/// </summary>
/// <param name="Site">The site, with its source file and line.</param>
/// <param name="Index">The site's index in the layout.</param>
/// <param name="ReportedByOp">True when an op reported it in the forward pass.</param>
/// <param name="IsCulprit">True when the op's inputs were finite.</param>
public sealed record NonFiniteOrigin(ProbeSite Site, int Index, bool ReportedByOp, bool IsCulprit)
{
    /// <summary>One sentence for the report.</summary>
    public string Describe()
    {
        string where = $"{Site.Name} ({HealthFormat.Location(Site.File, Site.Line)})";
        if (!ReportedByOp)
        {
            return $"no op reported a non-finite forward value; the gradient nearest the output holding NaN/∞ is {where}, so the backward pass produced it there (an overflowing derivative, say) and passed it toward the input";
        }
        return IsCulprit
            ? $"the first non-finite value was produced by {where}: its inputs were finite, so this op is the culprit"
            : $"the first non-finite value was seen at {where}, but its inputs were already non-finite: it propagated it (check the data and the weights feeding it)";
    }
}
