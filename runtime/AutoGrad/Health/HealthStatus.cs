namespace AutoGrad.Health;

/// <summary>
/// The health of a probe site, a layer or a whole step, ordered by severity so the worst of several is their
/// maximum. Reports print these as <c>OK</c>, <c>SATURATED</c>, <c>DEAD</c>, <c>VANISHING</c>, <c>EXPLODING</c>
/// and <c>NON-FINITE</c> (see <see cref="HealthStatusExtensions.ToReportWord"/>).
/// </summary>
public enum HealthStatus
{
    /// <summary>No threshold crossed.</summary>
    Ok = 0,

    /// <summary>Most sigmoid/tanh units sit where their derivative is below about 0.01.</summary>
    Saturated = 1,

    /// <summary>Most gradients are exactly zero, or most ReLU units are never positive.</summary>
    Dead = 2,

    /// <summary>The gradient is too small to move the weights.</summary>
    Vanishing = 3,

    /// <summary>The gradient is large enough to throw the weights away.</summary>
    Exploding = 4,

    /// <summary>A NaN or infinity reached the loss or a gradient.</summary>
    NonFinite = 5,
}
