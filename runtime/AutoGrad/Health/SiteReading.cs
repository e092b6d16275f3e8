namespace AutoGrad.Health;

/// <summary>One site's probe readings for one step, copied out of <see cref="Probes.GradientProbes"/>.</summary>
internal readonly record struct SiteReading(double L2, double Rms, double MaxAbs, long NonFinite, long Count, double Flagged, double Zeros);
