using AutoGrad.Health;
using AutoGrad.Probes;

namespace AutoGrad.Samples.Reporting;

/// <summary>Where a report says things went wrong, in a few words: the op and line that produced the first NaN/∞,
/// or else the first probe site (in forward order, parameters before the layer outputs that share their line) the
/// monitor called EXPLODING, and its line.</summary>
public static class AlarmLocation
{
    /// <summary>"Linear[4] at ExplodingNets.cs:20 made the first NaN/∞", "wh at ExplodingNets.cs:32 (in a
    /// recurrence)", or "-" when nothing was flagged.</summary>
    public static string Describe(HealthReport? report)
    {
        if (report is null) return "-";
        if (report.NonFinite is { } origin)
        {
            string what = !origin.ReportedByOp ? "first held a NaN/∞ gradient"
                : origin.IsCulprit ? "made the first NaN/∞" : "passed on a NaN/∞";
            return $"{origin.Site.Name} at {HealthFormat.Location(origin.Site.File, origin.Site.Line)} {what}";
        }
        return FirstExploding(report, ProbeKind.Parameter) ?? FirstExploding(report, ProbeKind.LayerOutput) ?? "-";
    }

    private static string? FirstExploding(HealthReport report, ProbeKind kind)
    {
        foreach (SiteHealth site in report.Sites)
        {
            if (site.Site.Kind == kind && site.Status >= HealthStatus.Exploding)
            {
                string what = kind == ProbeKind.LayerOutput ? $"∂L/∂{site.Site.Name}" : site.Site.Name;
                // The layer's flag, not the site's: a layer sits in a recurrence when any of its sites does.
                bool inRecurrence = site.Site.InRecurrence || InRecurrence(report, site.Site.Depth);
                string recurrence = inRecurrence ? " (in a recurrence)" : "";
                return $"{what} at {HealthFormat.Location(site.Site.File, site.Site.Line)}{recurrence}";
            }
        }
        return null;
    }

    private static bool InRecurrence(HealthReport report, int depth)
    {
        foreach (LayerHealth layer in report.Layers)
        {
            if (layer.Depth == depth) return layer.InRecurrence;
        }
        return false;
    }
}
