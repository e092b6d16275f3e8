using System;
using System.Linq;
using AutoGrad.Init;
using Xunit;

namespace AutoGrad.Health.Tests;

public class InitializerTests
{
    private static double Variance(Tensor t)
    {
        float[] v = t.ToArray();
        double mean = v.Average(x => (double)x);
        return v.Average(x => (x - mean) * (x - mean));
    }

    [Theory]
    [InlineData("XavierUniform", 2.0 / (200 + 100))]
    [InlineData("XavierNormal", 2.0 / (200 + 100))]
    [InlineData("HeUniform", 2.0 / 200)]
    [InlineData("HeNormal", 2.0 / 200)]
    [InlineData("LeCunUniform", 1.0 / 200)]
    [InlineData("LeCunNormal", 1.0 / 200)]
    public void VarianceMatchesTheFormulaWithFanInFromTheSecondDimension(string name, double expected)
    {
        var w = Tensor.Zeros(100, 200); // [out, in]
        Action<Tensor, ulong> init = name switch
        {
            "XavierUniform" => (t, s) => Initializers.XavierUniform(t, s),
            "XavierNormal" => (t, s) => Initializers.XavierNormal(t, s),
            "HeUniform" => (t, s) => Initializers.HeUniform(t, s),
            "HeNormal" => (t, s) => Initializers.HeNormal(t, s),
            "LeCunUniform" => (t, s) => Initializers.LeCunUniform(t, s),
            _ => (t, s) => Initializers.LeCunNormal(t, s),
        };
        init(w, 42);
        Assert.InRange(Variance(w) / expected, 0.95, 1.05);

        var again = Tensor.Zeros(100, 200);
        init(again, 42);
        Assert.Equal(w.ToArray(), again.ToArray());
        var other = Tensor.Zeros(100, 200);
        init(other, 43);
        Assert.NotEqual(w.ToArray(), other.ToArray());
    }

    /// <summary>Review helper-84: Nn.MatMul(x, w)'s [in, out] weight had no way to get fan_in from axis 0, so He gave
    /// it 2/out and the monitor then read n_in·Var(W) = 12.25 where He means 2.</summary>
    [Theory]
    [InlineData("HeUniform", 2.0 / 784)]
    [InlineData("HeNormal", 2.0 / 784)]
    [InlineData("LeCunUniform", 1.0 / 784)]
    [InlineData("LeCunNormal", 1.0 / 784)]
    public void AnInOutWeightTakesFanInFromAxisZero(string name, double expected)
    {
        var w = Tensor.Zeros(784, 128); // [in, out]
        Action<Tensor> init = name switch
        {
            "HeUniform" => t => Initializers.HeUniform(t, 5, fanInAxis: 0),
            "HeNormal" => t => Initializers.HeNormal(t, 5, fanInAxis: 0),
            "LeCunUniform" => t => Initializers.LeCunUniform(t, 5, fanInAxis: 0),
            _ => t => Initializers.LeCunNormal(t, 5, fanInAxis: 0),
        };
        init(w);
        Assert.InRange(Variance(w) / expected, 0.95, 1.05);
        Assert.InRange(AutoGrad.Health.WeightStatistics.InitScale(w, 0) / (expected * 784), 0.95, 1.05);
    }

    /// <summary>Review helper-84: a NaN or infinite scale, gain or slope filled the weights with NaN.</summary>
    [Fact]
    public void ScalesThatAreNotFiniteAreRefused()
    {
        var w = Tensor.Zeros(3, 4);
        Assert.Throws<ArgumentOutOfRangeException>(() => Initializers.FillUniform(w, double.NaN, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Initializers.FillNormal(w, -1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Initializers.FillNormal(w, double.PositiveInfinity, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Initializers.XavierUniform(w, 1, gain: float.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => Initializers.HeNormal(w, 1, negativeSlope: float.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => Initializers.Orthogonal(w, 1, gain: float.PositiveInfinity));
        Assert.Throws<ArgumentOutOfRangeException>(() => Initializers.HeNormal(w, 1, fanInAxis: 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Initializers.Orthogonal(w, 1, gain: -1));
        Assert.All(w.ToArray(), v => Assert.Equal(0f, v));

        // Review helper-88: a weight with no elements has fan_in 0 and an infinite bound, but nothing to fill.
        var empty = Tensor.Zeros(5, 0);
        Initializers.HeUniform(empty, 1);
        Initializers.HeNormal(empty, 1);
        Initializers.LeCunUniform(empty, 1);
        Initializers.LeCunNormal(empty, 1);
    }

    [Theory]
    [InlineData(4, 9)]
    [InlineData(9, 4)]
    [InlineData(6, 6)]
    public void OrthogonalHasOrthonormalRowsOrColumnsTimesTheGain(int rows, int cols)
    {
        var w = Tensor.Zeros(rows, cols);
        Initializers.Orthogonal(w, seed: 3, gain: 2f);
        bool byRows = rows <= cols;
        int vectors = byRows ? rows : cols, length = byRows ? cols : rows;
        for (int a = 0; a < vectors; a++)
        {
            for (int b = 0; b < vectors; b++)
            {
                double dot = 0;
                for (int k = 0; k < length; k++)
                {
                    dot += byRows ? w[a, k] * w[b, k] : w[k, a] * w[k, b];
                }
                Assert.Equal(a == b ? 4.0 : 0.0, dot, 4);
            }
        }
    }

    [Fact]
    public void FansFollowTheOutInLayout()
    {
        Assert.Equal(new Fans(784, 128), Fans.Of(Tensor.Zeros(128, 784)));
        Assert.Equal(new Fans(3 * 9, 16 * 9), Fans.Of(Tensor.Zeros(16, 3, 3, 3)));
        Assert.Equal(new Fans(5, 5), Fans.Of(Tensor.Zeros(5)));
        Assert.Equal(MathF.Sqrt(2f), Initializers.ReluGain());
    }

    [Fact]
    public void TheGeneratorIsFixedForASeed()
    {
        var r = new InitRandom(12345);
        ulong[] first = Enumerable.Range(0, 3).Select(_ => r.NextUInt64()).ToArray();
        var again = new InitRandom(12345);
        Assert.Equal(first, Enumerable.Range(0, 3).Select(_ => again.NextUInt64()));
        double[] gaussians = Enumerable.Range(0, 20000).Select(_ => r.NextGaussian()).ToArray();
        Assert.InRange(gaussians.Average(), -0.03, 0.03);
        Assert.InRange(gaussians.Average(x => x * x), 0.97, 1.03);
    }
}
