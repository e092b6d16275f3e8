using System;

namespace AutoGrad.Init;

/// <summary>
/// Weight initializers that set the variance each layer starts with, so signals neither shrink nor grow with
/// depth. All write in place into a weight laid out [out, in] (fan_in = in; those that read fan_in alone take
/// <c>fanInAxis: 0</c> for the [in, out] weight of <c>Nn.MatMul(x, w)</c>) and are deterministic for a seed.
/// <list type="bullet">
/// <item>Xavier/Glorot (Glorot &amp; Bengio, 2010): Var(W) = 2/(fan_in + fan_out); for tanh/sigmoid/linear layers.</item>
/// <item>He/Kaiming (He et al., 2015): Var(W) = 2/fan_in (n_in·Var(W) = 2); for ReLU layers.</item>
/// <item>LeCun (LeCun et al., 1998): Var(W) = 1/fan_in; for SELU and normalized inputs.</item>
/// <item>Orthogonal (Saxe et al., 2014): rows (or columns) orthonormal, times a gain; for deep and recurrent nets.</item>
/// </list>
/// </summary>
public static class Initializers
{
    /// <summary>The gain He et al. derive for ReLU: √2, or √(2/(1+a²)) for leaky ReLU with slope a.</summary>
    public static float ReluGain(float negativeSlope = 0f) =>
        float.IsFinite(negativeSlope)
            ? MathF.Sqrt(2f / (1f + negativeSlope * negativeSlope))
            : throw new ArgumentOutOfRangeException(nameof(negativeSlope), negativeSlope, "The slope must be finite.");

    /// <summary>Xavier/Glorot uniform: U(-a, a) with a = gain·√(6/(fan_in + fan_out)).</summary>
    public static void XavierUniform(Tensor weight, ulong seed, float gain = 1f)
    {
        Fans f = Fans.Of(weight);
        FillUniform(weight, Gain(gain) * Math.Sqrt(6.0 / (f.In + f.Out)), seed);
    }

    /// <summary>Xavier/Glorot normal: N(0, σ²) with σ = gain·√(2/(fan_in + fan_out)).</summary>
    public static void XavierNormal(Tensor weight, ulong seed, float gain = 1f)
    {
        Fans f = Fans.Of(weight);
        FillNormal(weight, Gain(gain) * Math.Sqrt(2.0 / (f.In + f.Out)), seed);
    }

    /// <summary>He/Kaiming uniform: U(-a, a) with a = gain·√(3/fan_in), gain = <see cref="ReluGain"/>.</summary>
    /// <param name="weight">The weight, [out, in] (or [in, out] with <paramref name="fanInAxis"/> 0).</param>
    /// <param name="seed">The seed.</param>
    /// <param name="negativeSlope">The leaky ReLU's slope (0 for ReLU).</param>
    /// <param name="fanInAxis">The axis counting the inputs: 1 for <c>Nn.Linear</c>'s [out, in], 0 for <c>Nn.MatMul(x, w)</c>'s [in, out].</param>
    public static void HeUniform(Tensor weight, ulong seed, float negativeSlope = 0f, int fanInAxis = 1)
    {
        FillUniform(weight, ReluGain(negativeSlope) * Math.Sqrt(3.0 / Fans.Of(weight, fanInAxis).In), seed);
    }

    /// <summary>He/Kaiming normal: N(0, σ²) with σ = gain/√fan_in, gain = <see cref="ReluGain"/>.</summary>
    /// <param name="weight">The weight, [out, in] (or [in, out] with <paramref name="fanInAxis"/> 0).</param>
    /// <param name="seed">The seed.</param>
    /// <param name="negativeSlope">The leaky ReLU's slope (0 for ReLU).</param>
    /// <param name="fanInAxis">The axis counting the inputs: 1 for <c>Nn.Linear</c>'s [out, in], 0 for <c>Nn.MatMul(x, w)</c>'s [in, out].</param>
    public static void HeNormal(Tensor weight, ulong seed, float negativeSlope = 0f, int fanInAxis = 1)
    {
        FillNormal(weight, ReluGain(negativeSlope) / Math.Sqrt(Fans.Of(weight, fanInAxis).In), seed);
    }

    /// <summary>LeCun uniform: U(-a, a) with a = √(3/fan_in).</summary>
    /// <param name="weight">The weight, [out, in] (or [in, out] with <paramref name="fanInAxis"/> 0).</param>
    /// <param name="seed">The seed.</param>
    /// <param name="fanInAxis">The axis counting the inputs: 1 for <c>Nn.Linear</c>'s [out, in], 0 for <c>Nn.MatMul(x, w)</c>'s [in, out].</param>
    public static void LeCunUniform(Tensor weight, ulong seed, int fanInAxis = 1)
    {
        FillUniform(weight, Math.Sqrt(3.0 / Fans.Of(weight, fanInAxis).In), seed);
    }

    /// <summary>LeCun normal: N(0, 1/fan_in).</summary>
    /// <param name="weight">The weight, [out, in] (or [in, out] with <paramref name="fanInAxis"/> 0).</param>
    /// <param name="seed">The seed.</param>
    /// <param name="fanInAxis">The axis counting the inputs: 1 for <c>Nn.Linear</c>'s [out, in], 0 for <c>Nn.MatMul(x, w)</c>'s [in, out].</param>
    public static void LeCunNormal(Tensor weight, ulong seed, int fanInAxis = 1)
    {
        FillNormal(weight, 1.0 / Math.Sqrt(Fans.Of(weight, fanInAxis).In), seed);
    }

    /// <summary>
    /// Orthogonal: a Gaussian matrix made orthonormal by modified Gram–Schmidt, times <paramref name="gain"/>. A
    /// weight [out, in] (higher ranks flattened to [out, rest]) gets orthonormal rows when out ≤ in, orthonormal
    /// columns otherwise. The signs follow QR with a positive R diagonal, so the result is uniform (Haar).
    /// </summary>
    public static void Orthogonal(Tensor weight, ulong seed, float gain = 1f)
    {
        ArgumentNullException.ThrowIfNull(weight);
        gain = Gain(gain);
        int rows = weight.Rank == 1 ? 1 : weight.Dim(0);
        int cols = weight.Length / Math.Max(rows, 1);
        bool transpose = rows > cols; // orthonormalize the shorter dimension's vectors
        int vectors = transpose ? cols : rows;
        int length = transpose ? rows : cols;
        var q = new double[vectors * length];
        var random = new InitRandom(seed);
        for (int i = 0; i < q.Length; i++)
        {
            q[i] = random.NextGaussian();
        }
        GramSchmidt(q, vectors, length);
        Span<float> w = weight.Span;
        for (int v = 0; v < vectors; v++)
        {
            for (int k = 0; k < length; k++)
            {
                int target = transpose ? k * cols + v : v * cols + k;
                w[target] = (float)(gain * q[v * length + k]);
            }
        }
    }

    /// <summary>Fills with U(-<paramref name="bound"/>, <paramref name="bound"/>).</summary>
    public static void FillUniform(Tensor weight, double bound, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.Length == 0) return; // nothing to fill, and a fan of 0 made the bound infinite
        FiniteNonNegative(bound, nameof(bound));
        var random = new InitRandom(seed);
        Span<float> w = weight.Span;
        for (int i = 0; i < w.Length; i++)
        {
            w[i] = (float)random.NextUniform(-bound, bound);
        }
    }

    /// <summary>Fills with N(0, <paramref name="std"/>²).</summary>
    public static void FillNormal(Tensor weight, double std, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.Length == 0) return; // nothing to fill, and a fan of 0 made the deviation infinite
        FiniteNonNegative(std, nameof(std));
        var random = new InitRandom(seed);
        Span<float> w = weight.Span;
        for (int i = 0; i < w.Length; i++)
        {
            w[i] = (float)(std * random.NextGaussian());
        }
    }

    /// <summary>A NaN or infinite scale filled the weights with NaN without a word.</summary>
    private static void FiniteNonNegative(double value, string name)
    {
        if (!double.IsFinite(value) || value < 0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite and non-negative.");
        }
    }

    private static float Gain(float gain) =>
        float.IsFinite(gain) && gain >= 0 ? gain : throw new ArgumentOutOfRangeException(nameof(gain), gain, "The gain must be finite and non-negative.");

    private static void GramSchmidt(double[] q, int vectors, int length)
    {
        for (int v = 0; v < vectors; v++)
        {
            Span<double> current = q.AsSpan(v * length, length);
            for (int u = 0; u < v; u++)
            {
                ReadOnlySpan<double> previous = q.AsSpan(u * length, length);
                double dot = 0;
                for (int k = 0; k < length; k++) dot += current[k] * previous[k];
                for (int k = 0; k < length; k++) current[k] -= dot * previous[k];
            }
            double norm = 0;
            for (int k = 0; k < length; k++) norm += current[k] * current[k];
            norm = Math.Sqrt(norm);
            // A Gaussian vector lies in the span of the others with probability 0; the guard keeps a zero vector finite.
            double scale = norm > 0 ? 1 / norm : 0;
            for (int k = 0; k < length; k++) current[k] *= scale;
        }
    }
}
