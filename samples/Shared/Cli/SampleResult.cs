using System.Collections.Generic;
using System.Linq;

namespace AutoGrad.Samples.Cli;

/// <summary>What a sample's <c>Run</c> returns: its claims, checked, and where it wrote its reports.</summary>
public abstract class SampleResult
{
    /// <summary>Creates the result.</summary>
    protected SampleResult(string outputDirectory) => OutputDirectory = outputDirectory;

    /// <summary>The folder with the reports (empty when the sample writes none).</summary>
    public string OutputDirectory { get; }

    /// <summary>The claims the sample makes about this run, each checked.</summary>
    public abstract IReadOnlyList<Claim> Claims { get; }

    /// <summary>True when every claim holds.</summary>
    public bool AllClaimsHold => Claims.All(c => c.Holds);
}
