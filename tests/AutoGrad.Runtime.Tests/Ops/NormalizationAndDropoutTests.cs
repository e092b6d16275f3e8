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
    public void BatchNormWithStatisticsHasTheSameGradientAndMovesTheRunningEstimates()
    {
        const int Rows = 6, Cols = 13;
        const float Momentum = 0.25f;
        Tensor gamma = TestRandom.Tensor(2, Cols), beta = TestRandom.Tensor(3, Cols);
        var statistics = new BatchNormStatistics(Cols, Momentum);
        Assert.All(statistics.RunningMean.ToArray(), v => Assert.Equal(0f, v));
        Assert.All(statistics.RunningVariance.ToArray(), v => Assert.Equal(1f, v));
        double[] mean = new double[Cols], variance = Enumerable.Repeat(1.0, Cols).ToArray();
        Tensor? result = null;
        NormalizationState? state = null;
        var site = new OpSite("BatchNorm", "T.cs", 1, "x", "gamma", "beta", "stats");
        for (int step = 0; step < 3; step++)
        {
            // Batches with other means and spreads, so each update moves the estimates by a different amount.
            Tensor x = TestRandom.Tensor(10 + step, 1f + step, Rows, Cols);
            Nn.BatchNormRunningInto(ref result, ref state, x, gamma, beta, statistics, site);
            AssertClose(Normalize(Doubles(x), Doubles(gamma), Doubles(beta), Rows, Cols, overRows: false), Doubles(result!), 1e-5);
            for (int c = 0; c < Cols; c++)
            {
                double m = Enumerable.Range(0, Rows).Average(r => (double)x[r * Cols + c]);
                double unbiased = Enumerable.Range(0, Rows).Sum(r => (x[r * Cols + c] - m) * (x[r * Cols + c] - m)) / (Rows - 1);
                mean[c] = (1 - Momentum) * mean[c] + Momentum * m;
                variance[c] = (1 - Momentum) * variance[c] + Momentum * unbiased;
            }
            AssertClose(mean, Doubles(statistics.RunningMean), 1e-5);
            AssertClose(variance, Doubles(statistics.RunningVariance), 1e-5);
            Assert.Equal(step + 1, statistics.BatchesTracked);
        }

        Tensor x0 = TestRandom.Tensor(1, 2f, Rows, Cols);
        new GradientCheck
        {
            Inputs = [x0, gamma, beta],
            Reference = v => Normalize(v[0], v[1], v[2], Rows, Cols, overRows: false),
            Forward = () =>
            {
                Nn.BatchNormRunningInto(ref result, ref state, x0, gamma, beta, statistics, site);
                return result!.ToArray();
            },
            Pullback = (g, t) => Nn.BatchNormRunningPullback(x0, gamma, beta, statistics, result!, state!, Tensor.FromValues(g, Rows, Cols), t[0], t[1], t[2], site),
        }.Run();

        statistics.Reset();
        Assert.Equal(0, statistics.BatchesTracked);
        Assert.All(statistics.RunningVariance.ToArray(), v => Assert.Equal(1f, v));
    }

    [Fact]
    public void BatchNormInferenceNormalizesEachRowWithTheRunningEstimates()
    {
        const int Rows = 5, Cols = 11;
        Tensor gamma = TestRandom.Tensor(2, Cols), beta = TestRandom.Tensor(3, Cols);
        var statistics = new BatchNormStatistics(Cols, momentum: 1f);
        // With momentum 1 the estimates are the last batch's: its mean and unbiased variance.
        Nn.BatchNorm(TestRandom.Tensor(4, 3f, 8, Cols), gamma, beta, statistics);
        double[] mean = Doubles(statistics.RunningMean), variance = Doubles(statistics.RunningVariance);
        Assert.All(variance, v => Assert.True(v > 0.5, $"variance {v}"));

        double[] Reference(double[] x, double[] g, double[] b) =>
            Enumerable.Range(0, x.Length).Select(i => (x[i] - mean[i % Cols]) / Math.Sqrt(variance[i % Cols] + Eps) * g[i % Cols] + b[i % Cols]).ToArray();
        Tensor x = TestRandom.Tensor(1, 2f, Rows, Cols);
        Tensor? result = null;
        NormalizationState? state = null;
        var site = new OpSite("BatchNormInference", "T.cs", 1, "x", "gamma", "beta", "stats");
        new GradientCheck
        {
            Inputs = [x, gamma, beta],
            Reference = v => Reference(v[0], v[1], v[2]),
            Forward = () =>
            {
                Nn.BatchNormInferenceInto(ref result, ref state, x, gamma, beta, statistics, site);
                return result!.ToArray();
            },
            Pullback = (g, t) => Nn.BatchNormInferencePullback(x, gamma, beta, statistics, result!, state!, Tensor.FromValues(g, Rows, Cols), t[0], t[1], t[2], site),
        }.Run();

        // A row alone comes out as it does in the batch, and inference changes no estimate.
        Tensor row = Tensor.FromValues(x.Span[..Cols], 1, Cols);
        Assert.Equal(result!.ToArray()[..Cols], Nn.BatchNormInference(row, gamma, beta, statistics).ToArray());
        Assert.Equal(1, statistics.BatchesTracked);
        Assert.Equal(mean, Doubles(statistics.RunningMean));
    }

    [Fact]
    public void RunningStatisticsRefuseTheWrongFeatureCountABatchOfOneAndABadMomentum()
    {
        var statistics = new BatchNormStatistics(8);
        var error = Assert.Throws<ShapeMismatchException>(() => Nn.BatchNorm(Tensor.Zeros(4, 7), Tensor.Zeros(7), Tensor.Zeros(7), statistics));
        Assert.EndsWith("statistics has 8 features but BatchNorm's x has 7 (BatchNorm's x is [4, 7])", error.Message);
        Assert.Throws<ShapeMismatchException>(() => Nn.BatchNormInference(Tensor.Zeros(4, 7), Tensor.Zeros(7), Tensor.Zeros(7), statistics));
        var single = Assert.Throws<ArgumentException>(() => Nn.BatchNorm(Tensor.Zeros(1, 8), Tensor.Zeros(8), Tensor.Zeros(8), statistics));
        Assert.Contains("needs a batch of at least 2 rows", single.Message);
        Assert.Equal(0, statistics.BatchesTracked);
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchNormStatistics(8, momentum: 1.5f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchNormStatistics(8, momentum: float.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchNormStatistics(0));
    }

    private static double[] Doubles(Tensor t) => t.ToArray().Select(v => (double)v).ToArray();

    private static void AssertClose(double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], tolerance);
    }

    [Theory]
    [InlineData(12345.678f, 3)]
    [InlineData(12345.678f, 1000)]
    [InlineData(100000.3f, 1000)]
    [InlineData(1000.1f, 17)]
    public void ConstantRowsAndColumnsNormalizeToBeta(float value, int width)
    {
        // Σx / n is an ulp or so off a constant's value, and that residue over σ = √ε gave outputs of ±0.3 to ±1 and
        // input gradients of the wrong size, where the exact output is β and nothing depends on x's spread.
        float[] filled = new float[3 * width];
        Array.Fill(filled, value);
        Tensor rows = Tensor.FromValues(filled, 3, width), gamma = Tensor.FromValues(Enumerable.Repeat(1f, width).ToArray(), width);
        Tensor beta = TestRandom.Tensor(5, width);
        Tensor y = Nn.LayerNorm(rows, gamma, beta);
        Assert.Equal(Enumerable.Range(0, 3).SelectMany(_ => beta.ToArray()), y.ToArray());

        float[] column = new float[width * 4];
        Array.Fill(column, value);
        Tensor columns = Tensor.FromValues(column, width, 4);
        Tensor beta4 = TestRandom.Tensor(6, 4);
        Tensor z = Nn.BatchNorm(columns, Tensor.FromValues([1f, 1f, 1f, 1f], 4), beta4);
        Assert.Equal(Enumerable.Range(0, width).SelectMany(_ => beta4.ToArray()), z.ToArray());
    }

    [Fact]
    public void AnOutlierInTheFirstRowCostsTheMeanNoAccuracy()
    {
        // Shifting by the first row put a 1e7 outlier there in every deviation sum: the running mean was 5e-4 off.
        const int Batch = 256, Width = 16;
        float[] values = TestRandom.Floats(Batch * Width, 8).Select(v => v * 0.5f + 0.5f).ToArray();
        for (int j = 0; j < Width; j++) values[j] = 1e7f;
        var statistics = new BatchNormStatistics(Width, momentum: 1f);
        Nn.BatchNorm(Tensor.FromValues(values, Batch, Width), Tensor.FromValues(Enumerable.Repeat(1f, Width).ToArray(), Width),
            Tensor.Zeros(Width), statistics);
        for (int j = 0; j < Width; j++)
        {
            double exact = Enumerable.Range(0, Batch).Average(b => (double)values[b * Width + j]);
            Assert.Equal(exact, statistics.RunningMean[j], exact * 1e-6);
        }
    }

    [Fact]
    public void GammaOfTheWrongLengthNamesTheFeatureCount()
    {
        var error = Assert.Throws<ShapeMismatchException>(() => Nn.LayerNorm(Tensor.Zeros(2, 8), Tensor.Zeros(7), Tensor.Zeros(8)));
        Assert.EndsWith("LayerNorm's gamma has shape [7] but LayerNorm's x has 8 features (LayerNorm's gamma must be [8]; LayerNorm's x is [2, 8])", error.Message);
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

    /// <summary>
    /// Review helper-76: a row whose squares overflow float (a spread of 1.8e19 or more) had Σh² = +∞, so 1/σ was 0
    /// and the output β: [1e20, -1e20] normalized to [0, 0] instead of [1, -1].
    /// </summary>
    [Theory]
    [InlineData(1e20f)]
    [InlineData(3e38f)]
    public void ARowWhoseSquaresOverflowIsStillNormalized(float value)
    {
        Tensor x = Tensor.FromValues([value, -value, value / 2, 0f], 1, 4);
        Tensor gamma = Tensor.FromValues([1f, 1f, 1f, 1f], 4), beta = Tensor.Zeros(4);
        float[] y = Nn.LayerNorm(x, gamma, beta).ToArray();
        // Independently, in double: the mean is value/8, the biased variance the mean square of the deviations.
        double[] v = { value, -(double)value, value / 2.0, 0 };
        double mean = v.Average();
        double sigma = Math.Sqrt(v.Select(t => (t - mean) * (t - mean)).Average());
        for (int i = 0; i < 4; i++) Assert.Equal((v[i] - mean) / sigma, y[i], 1e-5);
    }

    /// <summary>The same for BatchNorm's columns: [1e20, -1e20, 5e19, 0] down a column normalized to 0 (β).</summary>
    [Theory]
    [InlineData(1e20f)]
    [InlineData(3e38f)]
    public void AColumnWhoseSquaresOverflowIsStillNormalized(float value)
    {
        Tensor x = Tensor.FromValues([value, 1f, -value, 2f, value / 2, 3f, 0f, 4f], 4, 2);
        Tensor gamma = Tensor.FromValues([1f, 1f], 2), beta = Tensor.Zeros(2);
        float[] y = Nn.BatchNorm(x, gamma, beta).ToArray();
        double[] v = { value, -(double)value, value / 2.0, 0 };
        double mean = v.Average();
        double sigma = Math.Sqrt(v.Select(t => (t - mean) * (t - mean)).Average());
        for (int i = 0; i < 4; i++) Assert.Equal((v[i] - mean) / sigma, y[2 * i], 1e-5);
        Assert.Equal((1 - 2.5) / Math.Sqrt(1.25 + 1e-5), y[0 + 1], 1e-5); // the ordinary column is unchanged
    }

    /// <summary>
    /// Review helper-78: a row or column whose float sum overflows (values near float's largest) had a mean of ±∞ and
    /// normalized to NaN: [3e38, 3e38, −3e38, −3e38] is x̂ = [1, 1, −1, −1], and a constant 2e38 row is β.
    /// </summary>
    [Fact]
    public void ARowOrColumnWhoseSumOverflowsIsStillNormalized()
    {
        Tensor gamma = Tensor.FromValues([1f, 1f, 1f, 1f], 4), beta = Tensor.FromValues([0.5f, 0.5f, 0.5f, 0.5f], 4);
        float[] y = Nn.LayerNorm(Tensor.FromValues([3e38f, 3e38f, -3e38f, -3e38f, 2e38f, 2e38f, 2e38f, 2e38f], 2, 4), gamma, beta).ToArray();
        float[] expected = [1.5f, 1.5f, -0.5f, -0.5f, 0.5f, 0.5f, 0.5f, 0.5f];
        for (int i = 0; i < 8; i++) Assert.Equal(expected[i], y[i], 1e-5);

        // The same values down BatchNorm's columns.
        float[] columns = new float[8];
        float[] column = [3e38f, 3e38f, -3e38f, -3e38f];
        for (int b = 0; b < 4; b++) { columns[2 * b] = column[b]; columns[2 * b + 1] = 2e38f; }
        float[] z = Nn.BatchNorm(Tensor.FromValues(columns, 4, 2), Tensor.FromValues([1f, 1f], 2), Tensor.FromValues([0.5f, 0.5f], 2)).ToArray();
        for (int b = 0; b < 4; b++)
        {
            Assert.Equal(expected[b], z[2 * b], 1e-5);
            Assert.Equal(0.5f, z[2 * b + 1], 1e-5);
        }
    }

    /// <summary>Review helper-80: one batch whose variance overflowed made the running variance +∞ for good (0.9·∞), and
    /// inference then output β for every input. The running average takes float's largest value instead, and decays.</summary>
    [Fact]
    public void AnOverflowingBatchDoesNotBreakTheRunningVariance()
    {
        var statistics = new BatchNormStatistics(1);
        Tensor gamma = Tensor.FromValues([1f], 1), beta = Tensor.FromValues([0.5f], 1);
        Nn.BatchNorm(Tensor.FromValues([1e20f, -1e20f, 5e19f, 0f], 4, 1), gamma, beta, statistics);
        Assert.True(float.IsFinite(statistics.RunningVariance[0]));
        for (int i = 0; i < 1000; i++) Nn.BatchNorm(Tensor.FromValues([0.1f, 0.4f, 0.7f, 0.9f], 4, 1), gamma, beta, statistics);
        float[] y = Nn.BatchNormInference(Tensor.FromValues([-3f, 7f], 2, 1), gamma, beta, statistics).ToArray();
        Assert.True(y[0] < 0 && y[1] > 1, $"inference gave {y[0]}, {y[1]}");

        // Review helper-82: batch after batch near float's largest value, the update n/(n − 1)·σ² averaged in float
        // overflowed at the 7th batch.
        var repeated = new BatchNormStatistics(2);
        for (int k = 0; k < 10; k++) Nn.BatchNorm(Tensor.FromValues([3e38f, 1f, -3e38f, 2f], 2, 2), Tensor.FromValues([1f, 1f], 2), Tensor.Zeros(2), repeated);
        Assert.True(float.IsFinite(repeated.RunningVariance[0]), $"running variance {repeated.RunningVariance[0]}");
    }

    /// <summary>Review helper-80: [3e38, −3e38, 3e38] sums without overflow, but x − mean does (−3e38 − 1e38 = −∞), and
    /// LayerNorm and BatchNorm gave NaN: x̂ is [0.7071, −1.4142, 0.7071]; the input gradient is finite.</summary>
    [Fact]
    public void ARowOrColumnWhoseDeviationsOverflowIsStillNormalized()
    {
        float[] values = [3e38f, -3e38f, 3e38f];
        double[] expected = [Math.Sqrt(0.5), -Math.Sqrt(2), Math.Sqrt(0.5)];
        var site = new OpSite("LayerNorm", "T.cs", 1, "x", "gamma", "beta");
        Tensor x = Tensor.FromValues(values, 1, 3), ones = Tensor.FromValues([1f, 1f, 1f], 3);
        Tensor? result = null;
        NormalizationState? state = null;
        Nn.LayerNormInto(ref result, ref state, x, ones, Tensor.Zeros(3), site);
        for (int i = 0; i < 3; i++) Assert.Equal(expected[i], result![i], 1e-5);
        Tensor dX = Tensor.Zeros(1, 3);
        Nn.LayerNormPullback(x, ones, Tensor.Zeros(3), result!, state!, Tensor.FromValues([1f, 0f, 0f], 1, 3), GradTarget.Overwrite(dX), GradTarget.None, GradTarget.None, site);
        Assert.All(dX.ToArray(), v => Assert.True(float.IsFinite(v)));

        float[] column = Nn.BatchNorm(Tensor.FromValues(values, 3, 1), Tensor.FromValues([1f], 1), Tensor.Zeros(1)).ToArray();
        for (int i = 0; i < 3; i++) Assert.Equal(expected[i], column[i], 1e-5);
    }
}
