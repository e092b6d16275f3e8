namespace AutoGrad.Generator.Common;

/// <summary>
/// Names the generated methods declare themselves, whatever the method's own names: its parameters may not use them
/// (AG0021), and its locals are renamed away from them.
/// </summary>
internal static class GeneratedNames
{
    /// <summary>The seed of the reverse sweep, and a pullback's parameter.</summary>
    public const string DResult = "dResult";

    /// <summary>The probes parameter of a probed gradient.</summary>
    public const string Probes = "probes";

    /// <summary>A tensor method's per-thread workspace.</summary>
    public const string Workspace = "_ws";

    /// <summary>A tensor method's check that no gradient buffer shares memory with an argument.</summary>
    public const string Aliasing = "_aliasing";

    public static readonly string[] All = { DResult, Probes, Workspace, Aliasing };

    /// <summary>
    /// The members the generator adds to the type for <paramref name="method"/>, which generated code calls by simple
    /// name: a parameter or local of that name would hide them (a parameter named <c>LossProbeLayout</c> compiled, and
    /// the probed gradient checked the probes against it).
    /// </summary>
    public static string[] MembersOf(string method) =>
        new[] { method + "Gradient", method + "Pullback", method + "ProbeLayout", method + "NonFiniteOrigin", method + "Workspace" };
}
