using System.IO;
using System.Text;
using AutoGrad.Health;
using AutoGrad.Reports;

namespace AutoGrad.Samples.Reporting;

/// <summary>Writes a run's SVG charts and HTML page into a folder named after the run.</summary>
public static class ReportFiles
{
    /// <summary>Writes <c>gradient-norms.svg</c>, <c>gradient-flow.svg</c>, <c>global-norm.svg</c> and
    /// <c>report.html</c> under <paramref name="outputDirectory"/>/<c>slug(name)</c>; returns that folder.</summary>
    public static string Write(HealthReport report, string outputDirectory, string runName)
    {
        string folder = Path.Combine(outputDirectory, Slug(runName));
        HealthCharts.WriteAll(report, folder);
        HtmlReport.Write(report, Path.Combine(folder, "report.html"));
        return folder;
    }

    /// <summary>"ReLU + He" → "relu-he": lower-case letters and digits, other runs of characters become one dash.</summary>
    public static string Slug(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (char c in name.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c)) sb.Append(c);
            else if (sb.Length > 0 && sb[^1] != '-') sb.Append('-');
        }
        return sb.ToString().Trim('-');
    }
}
