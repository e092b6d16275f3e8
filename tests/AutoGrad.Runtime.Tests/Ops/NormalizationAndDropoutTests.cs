using System;
using System.Linq;
using AutoGrad.Runtime.Tests.Support;
using Xunit;

namespace AutoGrad.Runtime.Tests.Ops;

public class NormalizationAndDropoutTests
{
    private const double Eps = 1e-5;

    private static double[] Normalize(double[] x, double[] gamma, double[] beta, int rows, int cols, bool overRows)
    {
        var y = new double[x.Length];
        int groups = overRows ? rows : cols, size = overRows ? cols : rows;
        for (int g = 0; g < groups; g++)
        {
            int Index(int i) => overRows ? g * cols + i : i * cols + g;
            double mean = Enumerable.Range(0, size).Average(i => x[Index(i)]);
            double variance = Enumerable.Range(0, size).Average(i => (x[Index(i)] - mean) * (x[Index(i)] - mean));
            for (int i = 0; i < size; i++)
            {
                int feature = overRows ? i : g;
                y[Index(i)] = (x[Index(i)] - mean) / Math.Sqrt(variance + Eps) * gamma[feature] + beta[feature];
            }
        }
        return y;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void LayerNormAndBatchNormMatchFiniteDifferences(bool layer)
    {
        const int Rows = 6, Cols = 13;
        Tensor x = TestRandom.Tensor(1, 2f, Rows, Cols), gamma = TestRandom.Tensor(2, Cols), beta = TestRandom.Tensor(3, Cols);
        Tensor? result = null;
        NormalizationState? state = null;
        var site = new OpSite(layer ? "LayerNorm" : "BatchNorm", "T.cs", 1, "x", "gamma", "beta");
        new GradientCheck
        {
            Inputs = [x, gamma, beta],
            Reference = v => Normalize(v[0], v[1], v[2], Rows, Cols, overRows: layer),
            Forward = () =>
            {
                if (layer)
                {
                    Nn.LayerNormInto(ref result, ref state, x, gamma, beta, site);
                }
                else
                {
                    Nn.BatchNormInto(ref result, ref state, x, gamma, beta, site);
                }
                return result!.ToArray();
            },
            Pullback = (g, t) =>
            {
                Tensor dy = Tensor.FromValues(g, Rows, Cols);
                if (layer)
                {
                    Nn.LayerNormPullback(x, gamma, beta, result!, state!, dy, t[0], t[1], t[2], site);
                }
                else
                {
                    Nn.BatchNormPullback(x, gamma, beta, result!, state!, dy, t[0], t[1], t[2], site);
                }
            },
        }.Run();
    }

    [Fact]
    public void GammaOfTheWrongLengthNamesTheFeatureCount()
    {
        var error = Assert.Throws<ShapeMismatchException>(() => Nn.LayerNorm(Tensor.Zeros(2, 8), Tensor.Zeros(7), Tensor.Zeros(8)));
        Assert.EndsWith("gamma has shape [7] but x has 8 features (gamma must be [8]; x is [2, 8])", error.Message);
    }

    [Fact]
    public void DropoutMatchesFiniteDifferencesThroughItsSavedMask()
    {
        Tensor x = TestRandom.Tensor(1, 9, 31);
        Tensor? result = null;
        DropoutState? state = null;
        var site = new OpSite("Dropout", "T.cs", 1, "x", "p", "seed");
        Nn.DropoutInto(ref result, ref state, x, 0.3f, 42, site);
        float[] y = result!.ToArray();
        // Surviving elements are scaled by 1/(1 − p); the rest are 0, about p of them.
        double dropped = y.Count(v => v == 0f) / (double)y.Length;
        Assert.InRange(dropped, 0.2, 0.4);
        Assert.All(Enumerable.Range(0, y.Length).Where(i => y[i] != 0f), i => Assert.Equal(x[i] / 0.7f, y[i], 5));
        double[] mask = Enumerable.Range(0, y.Length).Select(i => y[i] == 0f ? 0.0 : 1 / 0.7).ToArray();
        new GradientCheck
        {
            Inputs = [x],
            Reference = v => v[0].Zip(mask, (a, m) => a * m).ToArray(),
            Forward = () =>
            {
                Nn.DropoutInto(ref result, ref state, x, 0.3f, 42, site);
                return result!.ToArray();
            },
            Pullback = (g, t) => Nn.DropoutPullback(x, 0.3f, 42, result!, state!, Tensor.FromValues(g, 9, 31), t[0], site),
        }.Run();
    }

    [Fact]
    public void DropoutMasksDependOnlyOnTheSeed()
    {
        Tensor x = TestRandom.Tensor(1, 64);
        float[] a = Nn.Dropout(x, 0.5f, 7).ToArray(), b = Nn.Dropout(x, 0.5f, 7).ToArray(), c = Nn.Dropout(x, 0.5f, 8).ToArray();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.Equal(x.ToArray(), Nn.Dropout(x, 0f, 1).ToArray());
        Assert.All(Nn.Dropout(x, 1f, 1).ToArray(), v => Assert.Equal(0f, v));
        Assert.Throws<ArgumentOutOfRangeException>(() => Nn.Dropout(x, 1.5f, 1));
    }
}
