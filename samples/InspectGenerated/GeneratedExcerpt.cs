using System;
using System.Collections.Generic;

namespace InspectGenerated;

/// <summary>Picks a readable excerpt out of a generated file.</summary>
public static class GeneratedExcerpt
{
    /// <summary>The first <paramref name="lines"/> lines from the "Reverse sweep" comment on, without their common indentation.</summary>
    public static IReadOnlyList<string> ReverseSweep(IReadOnlyList<string> source, int lines)
    {
        int start = -1;
        for (int i = 0; i < source.Count && start < 0; i++)
        {
            if (source[i].TrimStart().StartsWith("// Reverse sweep", StringComparison.Ordinal)) start = i;
        }
        if (start < 0) return [];
        int end = Math.Min(source.Count, start + lines);
        int indent = source[start].Length - source[start].TrimStart().Length;
        var excerpt = new List<string>(end - start);
        for (int i = start; i < end; i++)
        {
            string line = source[i];
            excerpt.Add(line.Length >= indent && string.IsNullOrWhiteSpace(line[..indent]) ? line[indent..] : line.TrimStart());
        }
        return excerpt;
    }
}
