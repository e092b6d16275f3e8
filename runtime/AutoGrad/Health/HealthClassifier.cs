using System;
using AutoGrad.Probes;

namespace AutoGrad.Health;

/// <summary>
/// The classification rules, as pure functions of readings and thresholds. Norms are compared on a log10 scale
/// (log10 ‖g‖ against log10 of a threshold or of a rolling median), so a factor of 10 is always one unit.
/// </summary>
internal static class HealthClassifier
{
    /// <summary>log10 of 0 would be -∞; float32 cannot hold anything below 1.4e-45, so that is the floor.</summary>
    public const double Log10Floor = -45;

    public static double Log10(double norm) => norm > 0 ? Math.Max(Math.Log10(norm), Log10Floor) : Log10Floor;

    /// <summary>Classifies one site. <paramref name="log10Median"/> is NaN until the site has enough history.</summary>
    /// <param name="r">The site's reading.</param>
    /// <param name="kind">The site's kind.</param>
    /// <param name="activation">The activation of the site's layer whose rules apply: <see cref="ActivationKind.Relu"/> for
    /// ReLU and GELU only, whose units can die (the rest of the family passes gradients for negative inputs).</param>
    /// <param name="log10Median">log10 of the site's rolling median norm, or NaN.</param>
    /// <param name="t">The thresholds.</param>
    /// <param name="secondaryParameter">A parameter site that is not its layer's weight (a bias, a normalization's
    /// shift or scale): judged only for non-finite and exploding values. Its gradient can be tiny or exactly zero by
    /// construction (a bias feeding a batch normalization, whose mean subtraction cancels it; a bias summed over a
    /// batch whose adjoints cancel), so small values say nothing about the layer, whose signal is its weight.</param>
    public static (HealthStatus Status, HealthRule Rule) ClassifySite(
        in SiteReading r, ProbeKind kind, ActivationKind activation, double log10Median, HealthThresholds t,
        bool secondaryParameter = false)
    {
        if (r.NonFinite > 0)
        {
            return (HealthStatus.NonFinite, HealthRule.NonFiniteGradient);
        }
        if (r.Count == 0)
        {
            return (HealthStatus.Ok, HealthRule.None); // not recorded this step (e.g. a branch not taken)
        }
        if (kind == ProbeKind.Activation)
        {
            return activation switch
            {
                ActivationKind.Relu when r.Flagged >= t.DeadFraction => (HealthStatus.Dead, HealthRule.DeadUnits),
                ActivationKind.Sigmoid or ActivationKind.Tanh when r.Flagged >= t.SaturatedFraction => (HealthStatus.Saturated, HealthRule.SaturatedUnits),
                _ => (HealthStatus.Ok, HealthRule.None),
            };
        }
        double log = Log10(r.L2);
        bool hasHistory = !double.IsNaN(log10Median);
        if (log > Math.Log10(t.ExplodingNorm))
        {
            return (HealthStatus.Exploding, HealthRule.NormAboveCeiling);
        }
        // A jump against the site's own history is an explosion only for a gradient that can move the weights: one that
        // has all but vanished (1e-23 to 1e-22 in a 12-layer sigmoid stack) is fading, whatever it jumps by.
        if (hasHistory && log > log10Median + Math.Log10(t.ExplodingMedianFactor) && Log10(r.Rms) >= Math.Log10(t.ExplodingMinimumRms))
        {
            return (HealthStatus.Exploding, HealthRule.NormAboveMedian);
        }
        if (secondaryParameter)
        {
            return (HealthStatus.Ok, HealthRule.None);
        }
        // Zeros before the RMS floor: an all-zero gradient is a dead path, which says more than "small". Below a ReLU
        // mostly-zero weight gradients are dying units; elsewhere they are what sparse inputs give (a one-hot
        // encoding's unused columns get no gradient), so only a gradient that is zero everywhere counts there. The
        // gradient of a ReLU's input (a layer output written 'z = Linear(...); h = Relu(z)') is zero wherever z < 0,
        // most of it in a healthy layer: only weights are judged by the fraction.
        if (activation == ActivationKind.Relu && kind == ProbeKind.Parameter ? r.Zeros >= t.DeadFraction : r.Zeros >= 1)
        {
            return (HealthStatus.Dead, HealthRule.ZeroGradients);
        }
        if (Log10(r.Rms) < Math.Log10(t.VanishingRms))
        {
            return (HealthStatus.Vanishing, HealthRule.RmsBelowFloor);
        }
        if (hasHistory && log < log10Median + Math.Log10(t.VanishingMedianFactor))
        {
            return (HealthStatus.Vanishing, HealthRule.NormBelowMedian);
        }
        return (HealthStatus.Ok, HealthRule.None);
    }

    /// <summary>
    /// AUTOTRAINER's ratio rules applied along a recurrence: ‖∂L/∂h‖ at the first time step against the last, the
    /// same test as the first layer against the last, with time steps in place of layers.
    /// </summary>
    public static (HealthStatus Status, HealthRule Rule) ClassifyThroughTime(double earliest, double latest, HealthThresholds t) =>
        earliest >= 0 && latest > 0 && double.IsFinite(earliest) && double.IsFinite(latest)
            ? ClassifyThroughTimeLog10(Math.Log10(earliest), Math.Log10(earliest) - Math.Log10(latest), t)
            : (HealthStatus.Ok, HealthRule.None);

    /// <summary>
    /// <see cref="ClassifyThroughTime"/> on log10 of the first time step's norm and of its ratio to the last (the
    /// monitor's rolling medians are kept in logs). A first step whose gradient underflowed to exactly 0 while the last
    /// one's did not has faded completely: −∞ in both, vanishing.
    /// </summary>
    public static (HealthStatus Status, HealthRule Rule) ClassifyThroughTimeLog10(double log10Earliest, double log10Ratio, HealthThresholds t)
    {
        if (log10Ratio > Math.Log10(t.ExplodingRatio))
        {
            return (HealthStatus.Exploding, HealthRule.ThroughTimeAboveLimit);
        }
        if (log10Ratio < Math.Log10(t.VanishingRatio) && log10Earliest < Math.Log10(t.VanishingFirstNorm))
        {
            return (HealthStatus.Vanishing, HealthRule.ThroughTimeBelowLimit);
        }
        return (HealthStatus.Ok, HealthRule.None);
    }

    /// <summary>AUTOTRAINER's ratio rules, applied to a layer's signal norm against the last layer's.</summary>
    public static (HealthStatus Status, HealthRule Rule) ClassifyRatio(double norm, double lastNorm, HealthThresholds t)
    {
        if (!(norm > 0) || !(lastNorm > 0) || !double.IsFinite(norm) || !double.IsFinite(lastNorm))
        {
            return (HealthStatus.Ok, HealthRule.None); // zero or non-finite norms are judged by the site rules
        }
        double logRatio = Math.Log10(norm) - Math.Log10(lastNorm);
        if (logRatio > Math.Log10(t.ExplodingRatio))
        {
            return (HealthStatus.Exploding, HealthRule.RatioAboveLimit);
        }
        if (logRatio < Math.Log10(t.VanishingRatio) && Math.Log10(norm) < Math.Log10(t.VanishingFirstNorm))
        {
            return (HealthStatus.Vanishing, HealthRule.RatioBelowLimit);
        }
        return (HealthStatus.Ok, HealthRule.None);
    }
}
