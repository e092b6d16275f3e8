using System;
using System.IO;
using System.Net;
using System.Text;
using AutoGrad.Health;
using AutoGrad.Reports.Svg;

namespace AutoGrad.Reports;

/// <summary>One self-contained HTML page: summary, per-layer table, advice and the three charts inline.</summary>
public static class HtmlReport
{
    /// <summary>The page as a string.</summary>
    public static string Render(HealthReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
          .Append(WebUtility.HtmlEncode($"{report.Method} gradient health, step {report.Step}"))
          .Append("</title>\n<style>body{font-family:sans-serif;margin:24px;color:#222}table{border-collapse:collapse;font-size:13px}" +
                  "th,td{border:1px solid #ccc;padding:4px 8px;text-align:right}td:first-child,th:first-child{text-align:left}" +
                  ".status{font-weight:bold}li{margin:4px 0}</style>\n</head>\n<body>\n");
        sb.Append("<h1>").Append(WebUtility.HtmlEncode(report.Method)).Append(" — gradient health</h1>\n");
        sb.Append("<p class=\"summary\">").Append(WebUtility.HtmlEncode(report.Summary())).Append("</p>\n");
        if (report.Step < 0)
        {
            // No readings yet: a table of OK rows and "No threshold crossed." would be verdicts on nothing.
            sb.Append("</body>\n</html>\n");
            return sb.ToString();
        }
        AppendTable(sb, report);
        if (report.NonFinite is not null)
        {
            sb.Append("<p class=\"non-finite\"><b>NON-FINITE:</b> ").Append(WebUtility.HtmlEncode(report.NonFinite.Describe())).Append("</p>\n");
        }
        sb.Append("<h2>Advice</h2>\n<ul class=\"advice\">\n");
        if (report.Advice.Count == 0) sb.Append("<li>No threshold crossed.</li>\n");
        foreach (HealthAdvice a in report.Advice)
        {
            sb.Append("<li><b>").Append(WebUtility.HtmlEncode($"{a.Subject} {a.Trigger}")).Append("</b>: ")
              .Append(WebUtility.HtmlEncode(a.Reading)).Append(" <i>(").Append(WebUtility.HtmlEncode(a.Threshold)).Append(")</i> → ")
              .Append(WebUtility.HtmlEncode(a.Suggestion)).Append("</li>\n");
        }
        sb.Append("</ul>\n<h2>Charts</h2>\n");
        sb.Append(HealthCharts.GradientNormsOverSteps(report));
        sb.Append(HealthCharts.GradientFlow(report));
        sb.Append(HealthCharts.GlobalNormOverSteps(report));
        sb.Append("</body>\n</html>\n");
        return sb.ToString();
    }

    /// <summary>Writes the page to <paramref name="path"/>.</summary>
    public static void Write(HealthReport report, string path) => File.WriteAllText(path, Render(report));

    private static void AppendTable(StringBuilder sb, HealthReport report)
    {
        sb.Append("<table class=\"layers\">\n<tr>");
        foreach (string h in ReportColumns.Headers) sb.Append("<th>").Append(WebUtility.HtmlEncode(h)).Append("</th>");
        sb.Append("</tr>\n");
        int statusColumn = ReportColumns.Headers.Length - 2;
        foreach (LayerHealth layer in report.Layers)
        {
            sb.Append("<tr>");
            var cells = ReportColumns.Cells(layer);
            for (int i = 0; i < cells.Count; i++)
            {
                sb.Append(i == statusColumn ? $"<td class=\"status\" style=\"color:{Palette.ForStatus(layer.Status)}\">" : "<td>")
                  .Append(WebUtility.HtmlEncode(cells[i])).Append("</td>");
            }
            sb.Append("</tr>\n");
        }
        sb.Append("</table>\n");
    }
}
