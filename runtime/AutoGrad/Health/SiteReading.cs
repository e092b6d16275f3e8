namespace AutoGrad.Health;

/// <summary>
/// One site's probe readings for one step, copied out of <see cref="Probes.GradientProbes"/>. For a site recorded once
/// per time step of a recurrence, <see cref="TimeSteps"/> counts the records and <see cref="Earliest"/> and
/// <see cref="Latest"/> are the norms at the first and the last time step, and <see cref="MedianTimeRatio"/> the
/// rolling median of their ratio.
/// </summary>
internal readonly record struct SiteReading(double L2, double Rms, double MaxAbs, long NonFinite, long Count, double Flagged, double Zeros,
    int TimeSteps = 0, double Earliest = double.NaN, double Latest = double.NaN, double MedianTimeRatio = double.NaN)
{
    /// <summary>‖∂L/∂h‖ at the first time step over the last, or NaN without two time steps.</summary>
    public double TimeRatio => TimeSteps >= 2 ? Earliest / Latest : double.NaN;
}
