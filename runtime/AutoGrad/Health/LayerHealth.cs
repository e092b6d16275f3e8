namespace AutoGrad.Health;

/// <summary>One row of the per-layer table, in depth order. NaN means "no reading" for every number.</summary>
/// <param name="Depth">Layer depth (0 nearest the input).</param>
/// <param name="Name">The layer's parameter names (<c>w1,b1</c>), or its output's name.</param>
/// <param name="File">Source file of the layer's statement.</param>
/// <param name="Line">Source line of the layer's statement.</param>
/// <param name="Activation">The activation as the generator named it, or empty.</param>
/// <param name="InRecurrence">True when the layer sits in a recurrence.</param>
/// <param name="ParameterCount">Scalars in the layer's parameters.</param>
/// <param name="Log10Gradient">log10 ‖∂L/∂W‖ of the layer's weight.</param>
/// <param name="Log10Adjoint">log10 ‖∂L/∂h‖ of the layer's output.</param>
/// <param name="MaxAbs">The largest |g| over the layer's parameter gradients.</param>
/// <param name="Rms">RMS of the layer's signal (weight gradient, else ∂L/∂h).</param>
/// <param name="Log10Median">log10 of the rolling median of the signal norm, including this step (NaN until enough history).</param>
/// <param name="RatioToLast">The layer's signal norm over the last layer's (AUTOTRAINER's ratio).</param>
/// <param name="UpdateRatio">‖ΔW‖/‖W‖ of the last optimizer step.</param>
/// <param name="FlaggedFraction">Fraction of dead/saturated units (activation site), else of zero weight gradients.</param>
/// <param name="FlagKind"><c>dead</c>, <c>saturated</c>, <c>zero grads</c>, or empty.</param>
/// <param name="InitScale">n_in·Var(W) of the weights when the monitor first saw them.</param>
/// <param name="Log10TrendPer100Steps">Least-squares change of log10 ‖g‖ per 100 steps over the rolling window.</param>
/// <param name="Status">The layer's status.</param>
/// <param name="Rule">The rule behind <paramref name="Status"/>.</param>
/// <param name="Advice">A few words of advice for the table (the full advice is in <see cref="HealthReport.Advice"/>).</param>
/// <param name="Trigger">The reading whose site rule set <paramref name="Status"/> (its name, norm, RMS and rolling
/// median), so advice quotes the number that crossed the threshold; null for ratio rules and healthy layers.</param>
public sealed record LayerHealth(
    int Depth,
    string Name,
    string File,
    int Line,
    string Activation,
    bool InRecurrence,
    long ParameterCount,
    double Log10Gradient,
    double Log10Adjoint,
    double MaxAbs,
    double Rms,
    double Log10Median,
    double RatioToLast,
    double UpdateRatio,
    double FlaggedFraction,
    string FlagKind,
    double InitScale,
    double Log10TrendPer100Steps,
    HealthStatus Status,
    HealthRule Rule,
    string Advice,
    TriggerReading? Trigger = null);

/// <summary>The probe reading that tripped a layer's site rule.</summary>
/// <param name="Name">The site's name: a parameter (<c>w[3]</c>) or <c>∂L/∂h</c>.</param>
/// <param name="Norm">‖g‖ at this step.</param>
/// <param name="Rms">RMS of g at this step.</param>
/// <param name="Log10Median">log10 of the site's rolling median norm (NaN until enough history).</param>
/// <param name="TimeSteps">For a layer output inside a recurrence: how many time steps recorded it (0 otherwise).</param>
/// <param name="EarliestNorm">‖∂L/∂h‖ at the first time step (NaN without time steps).</param>
/// <param name="LatestNorm">‖∂L/∂h‖ at the last time step (NaN without time steps).</param>
/// <param name="MedianTimeRatio">Rolling median of the first over the last time step's norm (NaN until enough history).</param>
/// <param name="ZeroFraction">The fraction of the site's values that are exactly 0 (NaN when not read).</param>
public sealed record TriggerReading(string Name, double Norm, double Rms, double Log10Median,
    int TimeSteps = 0, double EarliestNorm = double.NaN, double LatestNorm = double.NaN, double MedianTimeRatio = double.NaN,
    double ZeroFraction = double.NaN)
{
    /// <summary>‖∂L/∂h‖ at the first time step over the last, or NaN without time steps.</summary>
    public double TimeRatio => TimeSteps >= 2 ? EarliestNorm / LatestNorm : double.NaN;

    /// <summary>The factor per time step back in time (geometric mean over the steps), or NaN without time steps.</summary>
    public double FactorPerTimeStep => TimeSteps >= 2 ? System.Math.Pow(TimeRatio, 1.0 / (TimeSteps - 1)) : double.NaN;
}
