using System;

namespace AutoGrad.Health;

/// <summary>Ordinary least-squares slope of y on x, skipping points whose y is not finite.</summary>
internal static class LeastSquares
{
    /// <summary>The slope, or NaN with fewer than two usable points or no spread in x.</summary>
    public static double Slope(ReadOnlySpan<double> x, ReadOnlySpan<double> y, out int points)
    {
        double sx = 0, sy = 0;
        points = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (!double.IsFinite(y[i])) continue;
            sx += x[i];
            sy += y[i];
            points++;
        }
        if (points < 2)
        {
            return double.NaN;
        }
        double mx = sx / points, my = sy / points, sxx = 0, sxy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (!double.IsFinite(y[i])) continue;
            sxx += (x[i] - mx) * (x[i] - mx);
            sxy += (x[i] - mx) * (y[i] - my);
        }
        return sxx > 0 ? sxy / sxx : double.NaN;
    }
}
