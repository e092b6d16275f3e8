using AutoGrad.Probes;

namespace AutoGrad.Health;

/// <summary>One probe site's readings and status at the reported step.</summary>
/// <param name="Site">The site as the layout describes it.</param>
/// <param name="Index">The site's index in the layout (forward order).</param>
/// <param name="L2">‖g‖ (NaN, like Rms and MaxAbs, when the gradient holds a NaN or ±∞: see NonFinite).</param>
/// <param name="Rms">RMS(g).</param>
/// <param name="MaxAbs">max |g|.</param>
/// <param name="NonFiniteCount">How many values were NaN or infinite.</param>
/// <param name="FlaggedFraction">Activation sites: saturated or dead fraction.</param>
/// <param name="ZeroFraction">Gradient sites: fraction of exact zeros.</param>
/// <param name="Log10Median">log10 of the rolling median of ‖g‖ before this step (NaN until enough history).</param>
/// <param name="Status">The site's status.</param>
/// <param name="Rule">The rule behind it.</param>
/// <param name="TimeSteps">For a layer output inside a recurrence: how many time steps recorded it (0 otherwise).</param>
/// <param name="EarliestNorm">‖∂L/∂h‖ at the first time step: the gradient after it crossed every step (NaN without time steps).</param>
/// <param name="LatestNorm">‖∂L/∂h‖ at the last time step, nearest the loss (NaN without time steps).</param>
public sealed record SiteHealth(
    ProbeSite Site,
    int Index,
    double L2,
    double Rms,
    double MaxAbs,
    long NonFiniteCount,
    double FlaggedFraction,
    double ZeroFraction,
    double Log10Median,
    HealthStatus Status,
    HealthRule Rule,
    int TimeSteps = 0,
    double EarliestNorm = double.NaN,
    double LatestNorm = double.NaN);
