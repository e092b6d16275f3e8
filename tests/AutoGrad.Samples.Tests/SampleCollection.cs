using Xunit;

namespace AutoGrad.Samples.Tests;

/// <summary>The samples train on both cores; running them one at a time keeps each quick run's time honest.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SampleCollection
{
    public const string Name = "samples";

    /// <summary>The bound on a --quick run.</summary>
    public const double QuickSeconds = 20;
}
