using System.Collections.Generic;
using System.Linq;
using AutoGrad.Samples.Training;

namespace AutoGrad.Samples.Cli;

/// <summary>The result of a sample that trains several named runs side by side.</summary>
public abstract class RunsResult : SampleResult
{
    /// <summary>Creates the result.</summary>
    protected RunsResult(string outputDirectory, IReadOnlyList<TrainingRun> runs, bool quick)
        : base(outputDirectory)
    {
        Runs = runs;
        Quick = quick;
    }

    /// <summary>The runs, in the order the sample trained them.</summary>
    public IReadOnlyList<TrainingRun> Runs { get; }

    /// <summary>Whether these were the short (--quick) runs.</summary>
    public bool Quick { get; }

    /// <summary>The run with this name.</summary>
    public TrainingRun this[string name] => Runs.Single(r => r.Name == name);
}
