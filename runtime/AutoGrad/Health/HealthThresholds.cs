using System;

namespace AutoGrad.Health;

/// <summary>
/// Every number the health monitor classifies with, in one place, each with where it comes from
/// (docs/probes.md has the full story). Norms are L2 norms of one probe site's values; comparisons happen on a
/// log10 scale. Change any of them with an object initializer: <c>new HealthThresholds { ExplodingNorm = 1e4 }</c>.
/// </summary>
public sealed record HealthThresholds
{
    /// <summary>The defaults below.</summary>
    public static HealthThresholds Default { get; } = new();

    /// <summary>A site whose gradient RMS is below this is VANISHING: float32 updates of that size are lost next
    /// to weights of order 1 (machine epsilon is 1.2e-7). AutoGrad's absolute backstop beside AUTOTRAINER's ratio rule.</summary>
    public double VanishingRms { get; init; } = 1e-7;

    /// <summary>A layer whose weight-gradient norm over the last layer's, ‖g‖/‖g_last‖, is below this (and whose ‖g‖ is
    /// below <see cref="VanishingFirstNorm"/>) is VANISHING. Source: AUTOTRAINER (Zhang et al., ICSE 2021), β₁, which
    /// tests the first layer; AutoGrad applies it to every layer.</summary>
    public double VanishingRatio { get; init; } = 1e-3;

    /// <summary>The absolute side of the vanishing-ratio rule: ‖g_first‖ below this. Source: AUTOTRAINER, β₂.</summary>
    public double VanishingFirstNorm { get; init; } = 1e-4;

    /// <summary>A layer whose ‖g‖/‖g_last‖ is above this is EXPLODING. Source: AUTOTRAINER, β₃.</summary>
    public double ExplodingRatio { get; init; } = 70;

    /// <summary>A site whose ‖g‖ is more than this many times its rolling median is EXPLODING (a sudden jump of
    /// one decade). AutoGrad's choice: a jump against the site's own recent history, which a fixed ceiling misses.</summary>
    public double ExplodingMedianFactor { get; init; } = 10;

    /// <summary>A jump against the rolling median (<see cref="ExplodingMedianFactor"/>) is EXPLODING only for a gradient
    /// whose RMS is at least this: below it no weight moves, under SGD or under Adam (whose ε of 1e-8 dwarfs it), and a
    /// tenfold jump of a gradient that has all but vanished (1e-23 to 1e-22 in a deep sigmoid stack) is still vanishing.
    /// AutoGrad's choice.</summary>
    public double ExplodingMinimumRms { get; init; } = 1e-10;

    /// <summary>Absolute backstop: a site whose ‖g‖ exceeds this is EXPLODING whatever its history.</summary>
    public double ExplodingNorm { get; init; } = 1e6;

    /// <summary>A site whose ‖g‖ falls below this fraction of its rolling median is VANISHING (a sudden drop of three
    /// decades). AutoGrad's choice: wider than the exploding jump because gradients legitimately shrink as the
    /// loss falls.</summary>
    public double VanishingMedianFactor { get; init; } = 1e-3;

    /// <summary>DEAD at this fraction of exactly-zero gradient values, or of ReLU units never positive in the batch.
    /// Source: AUTOTRAINER's dying-ReLU rule, γ (the fraction of zero weight gradients).</summary>
    public double DeadFraction { get; init; } = 0.7;

    /// <summary>SATURATED at this fraction of sigmoid/tanh outputs in the flat region (see
    /// <see cref="Probes.SaturationThresholds"/>). AutoGrad's choice, the same 70% as the dead rule.</summary>
    public double SaturatedFraction { get; init; } = 0.7;

    /// <summary>The loss is an outlier when above this multiple of the mean of the last
    /// <see cref="LossWindow"/> losses. Source: MosaicML llm-foundry, KillLossSpike (outlier_multiplier).</summary>
    public double LossSpikeFactor { get; init; } = 2;

    /// <summary>How many recent losses the spike rule averages; it waits for a full window.
    /// Source: llm-foundry (window_size).</summary>
    public int LossWindow { get; init; } = 100;

    /// <summary>A loss spike is reported after more than this many consecutive outliers.
    /// Source: llm-foundry (patience).</summary>
    public int LossSpikePatience { get; init; } = 4;

    /// <summary>The healthy update-to-weight ratio ‖ΔW‖/‖W‖ per step. Source: Karpathy, CS231n
    /// ("Neural Networks Part 3": somewhere around 1e-3).</summary>
    public double UpdateRatioTarget { get; init; } = 1e-3;

    /// <summary>How far (as a factor either way) the update ratio may stray from <see cref="UpdateRatioTarget"/>
    /// before the advice mentions the learning rate. AutoGrad's choice: one decade.</summary>
    public double UpdateRatioBand { get; init; } = 10;

    /// <summary>The advice that the learning rate is too low (update ratios below the band) is given only while the
    /// loss, as its rolling median (the last <see cref="RollingWindow"/> classified losses), has fallen by less than one minus this
    /// fraction of its starting level's magnitude (the median of the first <see cref="MinHistory"/>): by less than half,
    /// by default. A loss with a large constant offset never seems to fall, so it keeps the advice. CS231n's ratio is a check for the start of
    /// training; once the loss has fallen, small updates are what a converging run (and a decaying schedule) makes,
    /// and raising the rate then undoes the training. AutoGrad's choice.</summary>
    public double LowUpdateRatioLossFraction { get; init; } = 0.5;

    /// <summary>How far (as a factor either way) n_in·Var(W) may stray from the variance-preserving value (2 for ReLU,
    /// He et al. 2015; 1 otherwise, Glorot &amp; Bengio 2010) before the advice calls the initialization off.</summary>
    public double InitScaleBand { get; init; } = 3;

    /// <summary>How many recent readings the rolling median and the trend use.</summary>
    public int RollingWindow { get; init; } = 50;

    /// <summary>Relative (history) rules start once a site has this many readings; before that only the absolute
    /// backstops apply, so the first steps are not judged against nothing.</summary>
    public int MinHistory { get; init; } = 10;

    /// <summary>Throws when a threshold is out of range; the monitor calls this once.</summary>
    public void Validate()
    {
        Positive(VanishingRms, nameof(VanishingRms));
        Positive(ExplodingMinimumRms, nameof(ExplodingMinimumRms));
        Positive(VanishingRatio, nameof(VanishingRatio));
        Positive(VanishingFirstNorm, nameof(VanishingFirstNorm));
        Positive(ExplodingRatio, nameof(ExplodingRatio));
        Positive(ExplodingMedianFactor, nameof(ExplodingMedianFactor));
        Positive(ExplodingNorm, nameof(ExplodingNorm));
        Positive(VanishingMedianFactor, nameof(VanishingMedianFactor));
        Positive(LossSpikeFactor, nameof(LossSpikeFactor));
        Positive(UpdateRatioTarget, nameof(UpdateRatioTarget));
        Positive(UpdateRatioBand, nameof(UpdateRatioBand));
        Positive(InitScaleBand, nameof(InitScaleBand));
        Positive(LowUpdateRatioLossFraction, nameof(LowUpdateRatioLossFraction));
        if (DeadFraction is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(DeadFraction), DeadFraction, "Must be in (0, 1].");
        if (SaturatedFraction is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(SaturatedFraction), SaturatedFraction, "Must be in (0, 1].");
        if (LossWindow < 1) throw new ArgumentOutOfRangeException(nameof(LossWindow), LossWindow, "Must be at least 1.");
        if (LossSpikePatience < 0) throw new ArgumentOutOfRangeException(nameof(LossSpikePatience), LossSpikePatience, "Must be at least 0.");
        if (RollingWindow < 2) throw new ArgumentOutOfRangeException(nameof(RollingWindow), RollingWindow, "Must be at least 2.");
        if (MinHistory < 1) throw new ArgumentOutOfRangeException(nameof(MinHistory), MinHistory, "Must be at least 1.");
        if (MinHistory > RollingWindow)
        {
            // The median rules wait for MinHistory steps in a window of RollingWindow: they would never run.
            throw new ArgumentOutOfRangeException(nameof(MinHistory), MinHistory,
                $"Must be at most RollingWindow ({RollingWindow}); otherwise the rolling-median rules never have enough history to run.");
        }
    }

    private static void Positive(double value, string name)
    {
        if (!(value > 0) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(name, value, "Must be positive and finite.");
        }
    }
}
