using System.Collections.Generic;
using System.Linq;
using AutoGrad.Health;
using AutoGrad.Samples.Cli;
using AutoGrad.Samples.Training;

namespace ExplodingGradients;

/// <summary>The seven runs and the claims the sample makes about them.</summary>
public sealed class ExplodingResult : RunsResult
{
    /// <summary>Test accuracy an MLP fix must reach.</summary>
    public const double MlpFloor = 0.85;

    /// <summary>Test accuracy the clipped RNN must reach.</summary>
    public const double ClippedRnnFloor = 0.80;

    /// <summary>Test accuracy the LSTM must reach: 80%, or 60% after the short --quick runs.</summary>
    public static double LstmFloor(bool quick) => quick ? 0.60 : 0.80;

    /// <summary>Test accuracy below which the broken MLP has not learned usefully.</summary>
    public const double BrokenCeiling = 0.40;

    /// <summary>The share of its steps at which the vanilla RNN's gradient must read as fading through time: it read so
    /// at 19–35% of them in our runs with 256- and 512-bit kernels and 3–14% with 128-bit ones (--quick and full).</summary>
    public const double FadingShare = 0.02;

    /// <summary>How far (in accuracy) the vanilla RNN must fall behind the clipped one and the LSTM. Its exploding
    /// run is chaotic, so where it ends varies with the smallest numeric change (10% to 45% in our runs); the gap to
    /// the fixes is what stays.</summary>
    public const double RecurrentGap = 0.25;

    internal ExplodingResult(string outputDirectory, IReadOnlyList<TrainingRun> runs, bool quick)
        : base(outputDirectory, runs, quick)
    {
    }

    /// <inheritdoc />
    public override IReadOnlyList<Claim> Claims
    {
        get
        {
            TrainingRun mlp = this[Stories.MlpBroken], rnn = this[Stories.RnnBroken];
            var claims = new List<Claim>
            {
                new("the broken MLP's gradients explode and the monitor stops it before it wastes the run",
                    mlp.FirstAlarm?.Status == HealthStatus.Exploding && mlp.StoppedEarly && mlp.TestAccuracy < BrokenCeiling,
                    $"first alarm {Describe(mlp.FirstAlarm)}; stopped at step {mlp.Steps}; test accuracy {HealthFormat.Percent(mlp.TestAccuracy)}"),
                new("... the monitor names the op and line that made the first NaN/∞",
                    mlp.Report.NonFinite is { IsCulprit: true },
                    mlp.Report.NonFinite?.Describe() ?? "no non-finite origin"),
            };
            foreach (string name in new[] { Stories.MlpClipped, Stories.MlpXavier, Stories.MlpLowLr })
            {
                claims.Add(Fixed(this[name], MlpFloor));
            }
            TrainingRun clipped = this[Stories.RnnClipped], lstm = this[Stories.Lstm];
            claims.Add(new("the vanilla RNN's gradient explodes in the recurrence, and it learns far less than the same RNN clipped",
                rnn.FirstAlarm?.Status == HealthStatus.Exploding && rnn.FirstAlarm.Layers.Any(l => l.InRecurrence && l.Status == HealthStatus.Exploding)
                    && rnn.TestAccuracy <= clipped.TestAccuracy - RecurrentGap,
                $"first alarm {Describe(rnn.FirstAlarm)}; {rnn.AlarmSteps} alarm steps; test accuracy {HealthFormat.Percent(rnn.TestAccuracy)} " +
                $"vs {HealthFormat.Percent(clipped.TestAccuracy)} clipped"));
            // Where the chaotic run ends varies with the vector width of the kernels (it ends OK with 128-bit vectors), so
            // the claim is about the whole run: the monitor saw the fading often, and never in either fix.
            LayerHealth? fading = rnn.Report.Layers.FirstOrDefault(l => l.Rule == HealthRule.ThroughTimeBelowLimit);
            // The rule reads the rolling median of the ratio (a single step's scatters over decades): quote what it read.
            string atTheEnd = fading?.Trigger is { TimeSteps: >= 2 } t
                ? double.IsNaN(t.MedianTimeRatio)
                    ? $"at the end ‖{t.Name}‖ at the first of {t.TimeSteps} time steps is {HealthFormat.Number(t.TimeRatio)} of the last's"
                    : $"at the end ‖{t.Name}‖ at the first of {t.TimeSteps} time steps is {HealthFormat.Number(t.MedianTimeRatio)} of the last's (median over the last steps)"
                : $"at the end {rnn.Status.ToReportWord()}";
            claims.Add(new($"... and its gradient fades through time, as neither fix's does: VANISHING from the last time step to the first at {HealthFormat.Percent(FadingShare)} of its steps or more",
                rnn.FadingSteps >= FadingShare * rnn.ClassifiedSteps && rnn.FadingSteps > 0 && clipped.FadingSteps == 0 && lstm.FadingSteps == 0,
                $"{rnn.FadingSteps} of {rnn.ClassifiedSteps} steps ({atTheEnd}); clipped RNN {clipped.FadingSteps}, LSTM {lstm.FadingSteps}"));
            claims.Add(Fixed(clipped, ClippedRnnFloor));
            claims.Add(Fixed(lstm, LstmFloor(Quick)));
            claims.Add(new("... and the LSTM learns far more than the vanilla RNN", lstm.TestAccuracy >= rnn.TestAccuracy + RecurrentGap,
                $"{HealthFormat.Percent(lstm.TestAccuracy)} vs {HealthFormat.Percent(rnn.TestAccuracy)}"));
            return claims;
        }
    }

    private static Claim Fixed(TrainingRun run, double floor) =>
        new($"{run.Name}: no NaN, OK at the end, test accuracy at least {HealthFormat.Percent(floor)}",
            run.NonFiniteLosses == 0 && !run.StoppedEarly && run.Status == HealthStatus.Ok && run.TestAccuracy >= floor,
            $"{run.NonFiniteLosses} NaN losses, status {run.Status.ToReportWord()}, test accuracy {HealthFormat.Percent(run.TestAccuracy)}");

    private static string Describe(HealthReport? alarm) =>
        alarm is null ? "none" : $"step {alarm.Step} {alarm.Status.ToReportWord()} at {AutoGrad.Samples.Reporting.AlarmLocation.Describe(alarm)}";
}
