using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;
using Xunit.Sdk;

namespace AutoGrad.Generator.Tests.Infrastructure;

/// <summary>
/// Compares generated source with an expected file committed under Snapshots/Expected. On a mismatch it writes
/// <c>{name}.received.cs</c> beside the expected file and fails with a unified diff. To accept new output, run
/// <c>dotnet test tests/AutoGrad.Generator.Tests -p:UpdateSnapshots=true</c> and review the change in git.
/// </summary>
internal static class Snapshot
{
    private static string Metadata(string key) =>
        typeof(Snapshot).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value ?? string.Empty;

    private static bool Update =>
        Metadata("UpdateSnapshots") == "true" || Environment.GetEnvironmentVariable("AUTOGRAD_UPDATE_SNAPSHOTS") == "1";

    public static void Match(string name, string actual)
    {
        string directory = Metadata("SnapshotDirectory");
        string expectedPath = Path.Combine(directory, name + ".g.cs");
        string receivedPath = Path.Combine(directory, name + ".received.cs");
        actual = Normalize(actual);
        if (Update)
        {
            File.WriteAllText(expectedPath, actual);
            if (File.Exists(receivedPath)) File.Delete(receivedPath);
            return;
        }
        string expected = File.Exists(expectedPath) ? Normalize(File.ReadAllText(expectedPath)) : string.Empty;
        if (expected == actual)
        {
            if (File.Exists(receivedPath)) File.Delete(receivedPath);
            return;
        }
        File.WriteAllText(receivedPath, actual);
        throw new XunitException(
            $"Generated source for '{name}' differs from {expectedPath}.{Environment.NewLine}" +
            $"Received output written to {receivedPath}. If the change is intended, run " +
            $"'dotnet test tests/AutoGrad.Generator.Tests -p:UpdateSnapshots=true'.{Environment.NewLine}{UnifiedDiff(expected, actual)}");
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n").TrimStart('\uFEFF');

    /// <summary>A unified diff with three lines of context, built from DiffPlex's line model.</summary>
    public static string UnifiedDiff(string expected, string actual)
    {
        DiffPaneModel diff = new InlineDiffBuilder(new DiffPlex.Differ()).BuildDiffModel(expected, actual, ignoreWhitespace: false);
        var lines = diff.Lines;
        var output = new StringBuilder("--- expected\n+++ received\n");
        const int context = 3;
        for (int i = 0; i < lines.Count; i++)
        {
            if (lines[i].Type == ChangeType.Unchanged) continue;
            int start = Math.Max(0, i - context);
            int end = i;
            while (end < lines.Count && (lines[end].Type != ChangeType.Unchanged || Enumerable.Range(end, Math.Min(context * 2, lines.Count - end)).Any(j => lines[j].Type != ChangeType.Unchanged)))
            {
                end++;
            }
            end = Math.Min(lines.Count, end + context);
            output.Append("@@ line ").Append(start + 1).Append(" @@\n");
            for (int j = start; j < end; j++)
            {
                char marker = lines[j].Type switch { ChangeType.Inserted => '+', ChangeType.Deleted => '-', _ => ' ' };
                output.Append(marker).Append(lines[j].Text).Append('\n');
            }
            i = end;
        }
        return output.ToString();
    }
}
