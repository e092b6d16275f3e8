namespace AutoGrad.Health;

/// <summary>Which rule set a status, so advice can name the reading and the threshold that triggered it.</summary>
public enum HealthRule
{
    /// <summary>No rule fired.</summary>
    None,

    /// <summary>A gradient held NaN or infinity.</summary>
    NonFiniteGradient,

    /// <summary>The loss was NaN or infinite.</summary>
    NonFiniteLoss,

    /// <summary>‖g‖ above <see cref="HealthThresholds.ExplodingNorm"/>.</summary>
    NormAboveCeiling,

    /// <summary>‖g‖ more than <see cref="HealthThresholds.ExplodingMedianFactor"/> times its rolling median.</summary>
    NormAboveMedian,

    /// <summary>‖g_layer‖/‖g_last‖ above <see cref="HealthThresholds.ExplodingRatio"/>.</summary>
    RatioAboveLimit,

    /// <summary>‖g_layer‖/‖g_last‖ below <see cref="HealthThresholds.VanishingRatio"/> with ‖g_layer‖ below
    /// <see cref="HealthThresholds.VanishingFirstNorm"/>.</summary>
    RatioBelowLimit,

    /// <summary>In a recurrence, ‖∂L/∂h‖ at the first time step over the last above
    /// <see cref="HealthThresholds.ExplodingRatio"/>: the gradient grows on its way back through time.</summary>
    ThroughTimeAboveLimit,

    /// <summary>In a recurrence, ‖∂L/∂h‖ at the first time step over the last below
    /// <see cref="HealthThresholds.VanishingRatio"/> with the first below <see cref="HealthThresholds.VanishingFirstNorm"/>:
    /// the gradient fades on its way back through time.</summary>
    ThroughTimeBelowLimit,

    /// <summary>RMS(g) below <see cref="HealthThresholds.VanishingRms"/>.</summary>
    RmsBelowFloor,

    /// <summary>‖g‖ below <see cref="HealthThresholds.VanishingMedianFactor"/> times its rolling median.</summary>
    NormBelowMedian,

    /// <summary>At least <see cref="HealthThresholds.DeadFraction"/> of a ReLU layer's weight gradient is exactly zero,
    /// or all of another layer's.</summary>
    ZeroGradients,

    /// <summary>At least <see cref="HealthThresholds.DeadFraction"/> of the ReLU units are never positive.</summary>
    DeadUnits,

    /// <summary>At least <see cref="HealthThresholds.SaturatedFraction"/> of the sigmoid/tanh units are saturated.</summary>
    SaturatedUnits,
}
