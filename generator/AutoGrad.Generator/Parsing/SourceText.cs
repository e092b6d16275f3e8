using System.Text;
using AutoGrad.Generator.Common;
using AutoGrad.Generator.Model;
using Microsoft.CodeAnalysis;

namespace AutoGrad.Generator.Parsing;

/// <summary>Turns a statement's syntax into the one-line text and line number that generated comments quote.</summary>
internal static class SourceText
{
    private const int MaxLength = 100;

    public static SourceInfo Of(SyntaxNode node)
    {
        LocationInfo? location = LocationInfo.From(node);
        return new SourceInfo(location?.Line ?? 0, OneLine(node.ToString()), location);
    }

    public static string OneLine(string text)
    {
        var sb = new StringBuilder(text.Length);
        bool space = false;
        foreach (char c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                space = sb.Length > 0;
                continue;
            }
            if (space) sb.Append(' ');
            space = false;
            sb.Append(c);
        }
        string line = sb.ToString();
        // Generated comments must not be able to end early or contain line breaks.
        line = line.Replace("*/", "* /");
        return line.Length <= MaxLength ? line : line.Substring(0, MaxLength - 3) + "...";
    }
}
