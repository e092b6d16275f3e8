using System.Collections.Generic;
using System.Globalization;
using System.Text;
using AutoGrad.Health;
using AutoGrad.Probes;

namespace InspectGenerated;

/// <summary>A probe layout with one call's readings, as table rows (console) or Markdown (file).</summary>
public static class LayoutMarkdown
{
    /// <summary>Column headers.</summary>
    public static readonly string[] Headers = ["#", "site", "kind", "depth", "line", "recurrence", "‖g‖", "max |g|"];

    /// <summary>One row per site, in the layout's (forward) order.</summary>
    public static IEnumerable<string[]> Rows(GradientProbes probes)
    {
        ProbeLayout layout = probes.Layout;
        for (int i = 0; i < layout.Count; i++)
        {
            ProbeSite s = layout.Sites[i];
            // An activation site counts saturated or dead units; it holds no gradient norm.
            bool read = probes.Count(i) > 0 && s.Kind != ProbeKind.Activation;
            yield return
            [
                i.ToString(CultureInfo.InvariantCulture), s.Name, s.Kind.ToString(), s.Depth.ToString(CultureInfo.InvariantCulture),
                HealthFormat.Location(s.File, s.Line), s.InRecurrence ? "yes" : "no",
                read ? HealthFormat.Number(probes.L2(i)) : "-", read ? HealthFormat.Number(probes.MaxAbs(i)) : "-",
            ];
        }
    }

    /// <summary>A table cell: a '|' in the text ("max |g|") would end the cell.</summary>
    private static string Cell(string text) => text.Replace("|", "\\|", System.StringComparison.Ordinal);

    /// <summary>The layout as a Markdown table under a heading naming the method.</summary>
    public static string Render(GradientProbes probes)
    {
        var sb = new StringBuilder();
        sb.Append("# Probe layout of ").Append(probes.Layout.Method).Append("\n\n");
        sb.Append("| ").Append(string.Join(" | ", System.Linq.Enumerable.Select(Headers, Cell))).Append(" |\n");
        sb.Append('|').Append(string.Concat(System.Linq.Enumerable.Repeat("---|", Headers.Length))).Append('\n');
        foreach (string[] row in Rows(probes)) sb.Append("| ").Append(string.Join(" | ", System.Linq.Enumerable.Select(row, Cell))).Append(" |\n");
        return sb.ToString();
    }
}
