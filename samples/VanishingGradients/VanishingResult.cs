using System.Collections.Generic;
using System.Linq;
using AutoGrad.Health;
using AutoGrad.Samples.Cli;
using AutoGrad.Samples.Training;

namespace VanishingGradients;

/// <summary>The four runs and the claims the sample makes about them.</summary>
public sealed class VanishingResult : RunsResult
{
    /// <summary>Test accuracy a run must reach to count as "learns": 90%, or 85% after the short --quick runs.</summary>
    public static double AccuracyFloor(bool quick) => quick ? 0.85 : 0.90;

    /// <summary>Test accuracy below which a run has not learned (chance is 10%).</summary>
    public const double NotLearnedCeiling = 0.30;

    internal VanishingResult(string outputDirectory, IReadOnlyList<TrainingRun> runs, bool quick)
        : base(outputDirectory, runs, quick)
    {
    }

    /// <inheritdoc />
    public override IReadOnlyList<Claim> Claims
    {
        get
        {
            TrainingRun sigmoid = this[VanishingSample.Sigmoid], relu = this[VanishingSample.Relu];
            double floor = AccuracyFloor(Quick);
            var claims = new List<Claim>
            {
                new("sigmoid with small initialization is diagnosed VANISHING", sigmoid.Status == HealthStatus.Vanishing,
                    $"status {sigmoid.Status.ToReportWord()}, depth factor ×{HealthFormat.Number(sigmoid.DepthFactor)} per layer"),
                new($"... and does not learn (test accuracy below {HealthFormat.Percent(NotLearnedCeiling)}; chance is 10%)",
                    sigmoid.TestAccuracy < NotLearnedCeiling, $"test accuracy {HealthFormat.Percent(sigmoid.TestAccuracy)}"),
                new("... its first layer's gradient is over a million times smaller than with ReLU and He",
                    sigmoid.FirstLayerGradientNorm < relu.FirstLayerGradientNorm * 1e-6,
                    $"‖∂L/∂W₀‖ {HealthFormat.Number(sigmoid.FirstLayerGradientNorm)} vs {HealthFormat.Number(relu.FirstLayerGradientNorm)}"),
            };
            foreach (string name in new[] { VanishingSample.Tanh, VanishingSample.Relu, VanishingSample.Residual })
            {
                TrainingRun run = this[name];
                claims.Add(new($"{name} is OK and learns (test accuracy at least {HealthFormat.Percent(floor)})",
                    run.Status == HealthStatus.Ok && run.TestAccuracy >= floor,
                    $"status {run.Status.ToReportWord()}, test accuracy {HealthFormat.Percent(run.TestAccuracy)}"));
            }
            return claims;
        }
    }
}
