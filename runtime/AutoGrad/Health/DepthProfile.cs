using System;
using System.Globalization;

namespace AutoGrad.Health;

/// <summary>What the depth profile was fitted on.</summary>
public enum DepthProfileSource
{
    /// <summary>Too few layers with readings to fit.</summary>
    None,

    /// <summary>log10 ‖∂L/∂h‖ of the layer-output sites (preferred: the signal itself).</summary>
    LayerOutputs,

    /// <summary>log10 ‖∂L/∂W‖ of the layers' weights (when there are no layer-output sites).</summary>
    ParameterGradients,
}

/// <summary>
/// How the gradient changes with depth: the least-squares slope of log10 ‖·‖ against layer depth, read as a factor
/// per layer on the way back toward the input. 0.25 means each layer passes on a quarter of what it receives
/// ("shrinks ×0.25 per layer"), which a stack of sigmoids (σ' ≤ 0.25) produces.
/// </summary>
/// <param name="Log10SlopePerLayer">d log10 ‖·‖ / d depth (positive when deeper layers see larger gradients).</param>
/// <param name="Layers">How many layers the fit used.</param>
/// <param name="Source">What was fitted.</param>
public readonly record struct DepthProfile(double Log10SlopePerLayer, int Layers, DepthProfileSource Source)
{
    /// <summary>The factor by which the gradient changes per layer toward the input (10^-slope); NaN without a fit.</summary>
    public double FactorPerLayer => Source == DepthProfileSource.None ? double.NaN : Math.Pow(10, -Log10SlopePerLayer);

    /// <summary>"shrinks ×0.25 per layer toward the input", "grows ×3.1 ...", "flat", or "no fit".</summary>
    public string Describe()
    {
        if (Source == DepthProfileSource.None)
        {
            return "no depth fit (fewer than two layers with readings)";
        }
        double f = FactorPerLayer;
        string what = Source == DepthProfileSource.LayerOutputs ? "‖∂L/∂h‖" : "‖∂L/∂W‖";
        string trend = f < 1 ? "shrinks" : "grows";
        return string.Create(CultureInfo.InvariantCulture,
            $"{what} {trend} ×{HealthFormat.Number(f)} per layer toward the input (least squares on log10 over {Layers} layers)");
    }

    /// <summary>Fits log10 norms against depths; non-finite entries are skipped.</summary>
    internal static DepthProfile Fit(ReadOnlySpan<double> depths, ReadOnlySpan<double> log10Norms, DepthProfileSource source)
    {
        double slope = LeastSquares.Slope(depths, log10Norms, out int points);
        return double.IsNaN(slope) ? default : new DepthProfile(slope, points, source);
    }
}
