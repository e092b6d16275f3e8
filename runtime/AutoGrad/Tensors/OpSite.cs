using System;
using System.IO;

namespace AutoGrad;

/// <summary>
/// Where a tensor op is called in the user's source: the op's name, the file and line, and the argument names as
/// written. Generated code passes a constant instance per call site, so shape errors can say
/// <c>Linear at Mlp.cs:12: x has 784 features but w1 expects 512</c>.
/// </summary>
public sealed partial class OpSite
{
    /// <summary>Creates a call site description.</summary>
    /// <param name="op">The op's name, e.g. <c>Linear</c>.</param>
    /// <param name="file">The source file of the call.</param>
    /// <param name="line">The 1-based line of the call.</param>
    /// <param name="argumentNames">The arguments as written at the call, in parameter order.</param>
    public OpSite(string op, string file, int line, params string[] argumentNames)
    {
        Op = op ?? throw new ArgumentNullException(nameof(op));
        File = file ?? string.Empty;
        Line = line;
        ArgumentNames = argumentNames ?? Array.Empty<string>();
    }

    /// <summary>The op's name.</summary>
    public string Op { get; }

    /// <summary>The source file of the call (may be empty when unknown).</summary>
    public string File { get; }

    /// <summary>The 1-based source line of the call (0 when unknown).</summary>
    public int Line { get; }

    /// <summary>The arguments as written at the call, in parameter order.</summary>
    public string[] ArgumentNames { get; }

    /// <summary>
    /// True for a site of a direct call (<see cref="FromCaller"/>), whose arguments are named in messages only when
    /// written as names.
    /// </summary>
    private bool NamesOnly { get; init; }

    /// <summary>
    /// Argument <paramref name="index"/> as written, or <paramref name="fallback"/> (the op's parameter name) when unknown.
    /// A direct call's argument that is no plain name is quoted as written when it is a short name with indexers
    /// (<c>w[l + 1]</c>), and otherwise named as the op's parameter (<c>MatMul's b</c> for <c>Tensor.Zeros(4, 5)</c> or
    /// a nested op): the parameter name alone could be one of the user's own variables, naming the wrong tensor.
    /// </summary>
    public string Argument(int index, string fallback)
    {
        if ((uint)index >= (uint)ArgumentNames.Length || ArgumentNames[index].Length == 0) return fallback;
        string written = ArgumentNames[index];
        if (!NamesOnly || IsName(written)) return written;
        string compact = string.Join(' ', written.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return compact.Length <= LongestQuotedArgument && IndexedName().IsMatch(compact) ? compact : $"{Op}'s {fallback}";
    }

    /// <summary>The longest argument expression a message quotes.</summary>
    private const int LongestQuotedArgument = 40;

    /// <summary><c>Linear at Mlp.cs:12</c>, or just the op's name when the location is unknown.</summary>
    public string Describe() =>
        File.Length == 0 ? Op : $"{Op} at {Path.GetFileName(File)}:{Line.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>
    /// A site for a direct call outside generated code, from caller-info attributes: the file, the line and each
    /// argument as written (<c>[CallerArgumentExpression]</c>). An argument written as a name (<c>w1</c>,
    /// <c>layer.W</c>, <c>w[3]</c>) or a short one with any indexers (<c>w[l + 1]</c>) is named in messages as
    /// written; any other by the op's parameter (<c>MatMul's b</c>). The check runs only when a message is built, so a direct call pays nothing for it.
    /// </summary>
    public static OpSite FromCaller(string op, string file, int line, params string[] argumentExpressions) =>
        new(op, file, line, argumentExpressions) { NamesOnly = true };

    /// <summary>An identifier, optionally followed by member accesses and indexers with simple indices.</summary>
    private static bool IsName(string? expression) =>
        !string.IsNullOrEmpty(expression) && PlainName().IsMatch(expression);

    [System.Text.RegularExpressions.GeneratedRegex(@"^@?[\p{L}_][\p{L}\p{N}_]*(\.[\p{L}_][\p{L}\p{N}_]*|\[\s*[\p{L}\p{N}_]+\s*\])*$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex PlainName();

    /// <summary>A name whose indexers hold any expression without calls, braces or strings (<c>w[l + 1]</c>).</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^@?[\p{L}_][\p{L}\p{N}_]*(\.[\p{L}_][\p{L}\p{N}_]*|\[[^\[\](){}""]+\])*$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex IndexedName();

    /// <inheritdoc />
    public override string ToString() => Describe();
}
