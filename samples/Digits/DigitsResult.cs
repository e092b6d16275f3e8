using System.Collections.Generic;
using AutoGrad.Health;
using AutoGrad.Samples.Cli;

namespace DigitsTraining;

/// <summary>The run's final report, its checkpoints and the claim that it reached its stated accuracy.</summary>
public sealed class DigitsResult : SampleResult
{
    internal DigitsResult(string outputDirectory, HealthReport report, IReadOnlyList<Checkpoint> checkpoints, double statedAccuracy)
        : base(outputDirectory)
    {
        Report = report;
        Checkpoints = checkpoints;
        StatedAccuracy = statedAccuracy;
    }

    /// <summary>The monitor's report after the last step.</summary>
    public HealthReport Report { get; }

    /// <summary>Loss, status and test accuracy every fifth of the run.</summary>
    public IReadOnlyList<Checkpoint> Checkpoints { get; }

    /// <summary>The accuracy the sample says it reaches.</summary>
    public double StatedAccuracy { get; }

    /// <summary>Test accuracy after training.</summary>
    public double TestAccuracy => Checkpoints.Count == 0 ? double.NaN : Checkpoints[^1].TestAccuracy;

    /// <inheritdoc />
    public override IReadOnlyList<Claim> Claims =>
    [
        new($"reaches the stated test accuracy of {HealthFormat.Percent(StatedAccuracy)}", TestAccuracy >= StatedAccuracy,
            $"test accuracy {HealthFormat.Percent(TestAccuracy)}"),
        new("the monitor finds the training healthy at the end (OK)", Report.Status == HealthStatus.Ok,
            $"status {Report.Status.ToReportWord()}, {Report.DepthProfile.Describe()}"),
    ];
}
