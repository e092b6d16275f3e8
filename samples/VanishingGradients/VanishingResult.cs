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
            foreach (string name in new[] { VanishingSample.Tanh, VanishingSample.Relu })
            {
                TrainingRun run = this[name];
                claims.Add(new($"{name} is OK and learns (test accuracy at least {HealthFormat.Percent(floor)})",
                    run.Status == HealthStatus.Ok && run.TestAccuracy >= floor,
                    $"status {run.Status.ToReportWord()}, test accuracy {HealthFormat.Percent(run.TestAccuracy)}"));
            }
            // The skip path carries the gradient to every layer, but h grows by about σ(·) ≈ 0.5 per layer, so the deep
            // layers' sigmoids drift into their flat region as training goes on: the monitor may call them SATURATED,
            // which is a different finding from VANISHING and is reported as it is.
            TrainingRun residual = this[VanishingSample.Residual];
            claims.Add(new($"{VanishingSample.Residual}: the gradient reaches every layer (no layer VANISHING, depth factor near 1) and it learns (test accuracy at least {HealthFormat.Percent(floor)})",
                residual.Report.Layers.All(l => l.Status != HealthStatus.Vanishing) && residual.DepthFactor is > 0.5 and < 2
                    && residual.TestAccuracy >= floor,
                $"status {residual.Status.ToReportWord()}, depth factor ×{HealthFormat.Number(residual.DepthFactor)}, test accuracy {HealthFormat.Percent(residual.TestAccuracy)}"));
            return claims;
        }
    }
}
