using System;

namespace AutoGrad;

public static partial class Nn
{
    // The normalizations' path for a finite row (LayerNorm) or column (BatchNorm) near float's largest values, whose sum,
    // deviations or squared deviations overflow float: the float path gave β (1/σ of +∞ is 0) or NaN (x − mean of ±∞).
    // A row is stride 1; a column of a [batch, width] tensor starts at its index and has stride width.

    private static bool AllFinite(ReadOnlySpan<float> x, int start, int stride, int count)
    {
        for (int i = 0; i < count; i++)
        {
            if (!float.IsFinite(x[start + i * stride])) return false;
        }
        return true;
    }

    /// <summary>Writes x̂ of the strided values computed in double; returns their mean and biased variance.</summary>
    private static (double Mean, double Variance) NormalizeInDouble(ReadOnlySpan<float> x, Span<float> xhat, int start, int stride, int count)
    {
        double mean = 0;
        for (int i = 0; i < count; i++) mean += x[start + i * stride];
        mean /= count;
        double variance = 0;
        for (int i = 0; i < count; i++) variance += (x[start + i * stride] - mean) * (x[start + i * stride] - mean);
        variance /= count;
        double sigma = Math.Sqrt(variance + NormalizationEpsilon);
        for (int i = 0; i < count; i++) xhat[start + i * stride] = (float)((x[start + i * stride] - mean) / sigma);
        return (mean, variance);
    }
}
