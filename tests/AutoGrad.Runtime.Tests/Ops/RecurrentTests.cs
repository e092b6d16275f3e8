using System;
using AutoGrad.Runtime.Tests.Support;
using Xunit;

namespace AutoGrad.Runtime.Tests.Ops;

public class RecurrentTests
{
    private const int Batch = 3, Inputs = 5, Hidden = 4;

    /// <summary>Gate pre-activations <c>x·wxᵀ + h·whᵀ + b</c> in double.</summary>
    private static double[] Gates(double[] x, double[] h, int hStride, double[] wx, double[] wh, double[] b, int gates)
    {
        int width = gates * Hidden;
        var z = new double[Batch * width];
        for (int r = 0; r < Batch; r++)
        {
            for (int j = 0; j < width; j++)
            {
                double s = b[j];
                for (int k = 0; k < Inputs; k++)
                {
                    s += x[r * Inputs + k] * wx[j * Inputs + k];
                }
                for (int k = 0; k < Hidden; k++)
                {
                    s += h[r * hStride + k] * wh[j * Hidden + k];
                }
                z[r * width + j] = s;
            }
        }
        return z;
    }

    private static Tensor[] Parameters(int gates, int stateWidth) =>
    [
        TestRandom.Tensor(1, Batch, Inputs),
        TestRandom.Tensor(2, Batch, stateWidth),
        TestRandom.Tensor(3, 0.6f, gates * Hidden, Inputs),
        TestRandom.Tensor(4, 0.6f, gates * Hidden, Hidden),
        TestRandom.Tensor(5, 0.3f, gates * Hidden),
    ];

    [Fact]
    public void RnnCellMatchesFiniteDifferences()
    {
        Tensor[] p = Parameters(1, Hidden);
        Tensor? result = null;
        var site = new OpSite("RnnCell", "T.cs", 1, "x", "h", "wx", "wh", "b");
        new GradientCheck
        {
            Inputs = p,
            Reference = v => Reference.Map(Gates(v[0], v[1], Hidden, v[2], v[3], v[4], 1), Math.Tanh),
            Forward = () =>
            {
                Nn.RnnCellInto(ref result, p[0], p[1], p[2], p[3], p[4], site);
                return result!.ToArray();
            },
            Pullback = (g, t) => Nn.RnnCellPullback(
                p[0], p[1], p[2], p[3], p[4], result!, Tensor.FromValues(g, Batch, Hidden), t[0], t[1], t[2], t[3], t[4], site),
        }.Run();
    }

    [Fact]
    public void LstmCellMatchesFiniteDifferences()
    {
        Tensor[] p = Parameters(4, 2 * Hidden);
        Tensor? result = null;
        LstmCellState? saved = null;
        var site = new OpSite("LstmCell", "T.cs", 1, "x", "state", "wx", "wh", "b");
        new GradientCheck
        {
            Inputs = p,
            Reference = v =>
            {
                double[] z = Gates(v[0], v[1], 2 * Hidden, v[2], v[3], v[4], 4);
                var y = new double[Batch * 2 * Hidden];
                for (int r = 0; r < Batch; r++)
                {
                    for (int j = 0; j < Hidden; j++)
                    {
                        int g = r * 4 * Hidden;
                        double i = Reference.Sigmoid(z[g + j]), f = Reference.Sigmoid(z[g + Hidden + j]);
                        double cand = Math.Tanh(z[g + 2 * Hidden + j]), o = Reference.Sigmoid(z[g + 3 * Hidden + j]);
                        double c = f * v[1][r * 2 * Hidden + Hidden + j] + i * cand;
                        y[r * 2 * Hidden + j] = o * Math.Tanh(c);
                        y[r * 2 * Hidden + Hidden + j] = c;
                    }
                }
                return y;
            },
            Forward = () =>
            {
                Nn.LstmCellInto(ref result, ref saved, p[0], p[1], p[2], p[3], p[4], site);
                return result!.ToArray();
            },
            Pullback = (g, t) => Nn.LstmCellPullback(
                p[0], p[1], p[2], p[3], p[4], result!, saved!, Tensor.FromValues(g, Batch, 2 * Hidden), t[0], t[1], t[2], t[3], t[4], site),
        }.Run();
    }

    [Fact]
    public void GruCellMatchesFiniteDifferences()
    {
        Tensor[] p = Parameters(3, Hidden);
        Tensor? result = null;
        GruCellState? saved = null;
        var site = new OpSite("GruCell", "T.cs", 1, "x", "h", "wx", "wh", "b");
        new GradientCheck
        {
            Inputs = p,
            Reference = v =>
            {
                double[] zeros = new double[Batch * Hidden];
                double[] noBias = new double[3 * Hidden];
                double[] gx = Gates(v[0], zeros, Hidden, v[2], new double[3 * Hidden * Hidden], v[4], 3);
                double[] gh = Gates(new double[Batch * Inputs], v[1], Hidden, v[2], v[3], noBias, 3);
                var y = new double[Batch * Hidden];
                for (int row = 0; row < Batch; row++)
                {
                    for (int j = 0; j < Hidden; j++)
                    {
                        int g = row * 3 * Hidden;
                        double r = Reference.Sigmoid(gx[g + j] + gh[g + j]);
                        double z = Reference.Sigmoid(gx[g + Hidden + j] + gh[g + Hidden + j]);
                        double n = Math.Tanh(gx[g + 2 * Hidden + j] + r * gh[g + 2 * Hidden + j]);
                        y[row * Hidden + j] = (1 - z) * n + z * v[1][row * Hidden + j];
                    }
                }
                return y;
            },
            Forward = () =>
            {
                Nn.GruCellInto(ref result, ref saved, p[0], p[1], p[2], p[3], p[4], site);
                return result!.ToArray();
            },
            Pullback = (g, t) => Nn.GruCellPullback(
                p[0], p[1], p[2], p[3], p[4], result!, saved!, Tensor.FromValues(g, Batch, Hidden), t[0], t[1], t[2], t[3], t[4], site),
        }.Run();
    }

    [Fact]
    public void CellsTakeAnEmptyBatch()
    {
        // The gates' sigmoids ran TensorPrimitives.Sigmoid, which refuses empty spans.
        Tensor lstm = Nn.LstmCell(Tensor.Zeros(0, 3), Tensor.Zeros(0, 8), Tensor.Zeros(16, 3), Tensor.Zeros(16, 4), Tensor.Zeros(16));
        Assert.Equal(new[] { 0, 8 }, lstm.Shape.ToArray());
        Tensor gru = Nn.GruCell(Tensor.Zeros(0, 3), Tensor.Zeros(0, 4), Tensor.Zeros(12, 3), Tensor.Zeros(12, 4), Tensor.Zeros(12));
        Assert.Equal(new[] { 0, 4 }, gru.Shape.ToArray());
    }

    [Fact]
    public void AnLstmStateOfHAloneIsNamedAsTheOddOneOut()
    {
        // PyTorch users pass h0 [batch, hidden]; here the state is h and c side by side. The message blamed wx.
        var error = Assert.Throws<ShapeMismatchException>(() =>
            Nn.LstmCell(Tensor.Zeros(2, 3), Tensor.Zeros(2, 4), Tensor.Zeros(16, 3), Tensor.Zeros(16, 4), Tensor.Zeros(16)));
        Assert.EndsWith("LstmCell's state is [2, 4] but LstmCell's wx and LstmCell's wh are for 4 hidden units, so LstmCell's state must be [2, 8] (an LSTM's state is h and c side by side: [batch, 2·hidden])", error.Message);
        var gru = Assert.Throws<ShapeMismatchException>(() =>
            Nn.GruCell(Tensor.Zeros(2, 3), Tensor.Zeros(2, 5), Tensor.Zeros(12, 3), Tensor.Zeros(12, 4), Tensor.Zeros(12)));
        Assert.EndsWith("GruCell's h is [2, 5] but GruCell's wx and GruCell's wh are for 4 hidden units, so GruCell's h must be [2, 4]", gru.Message);
    }

    [Fact]
    public void WrongRecurrentWeightShapeNamesTheUnits()
    {
        var error = Assert.Throws<ShapeMismatchException>(() =>
            Nn.LstmCell(Tensor.Zeros(2, 3), Tensor.Zeros(2, 8), Tensor.Zeros(16, 3), Tensor.Zeros(16, 5), Tensor.Zeros(16)));
        Assert.EndsWith("LstmCell's wh has shape [16, 5] but must be [16, 4] for 4 hidden units (LstmCell's state is [2, 8])", error.Message);
    }

    [Fact]
    public void AnInputWithOtherFeaturesIsNamedRatherThanTheWeights()
    {
        Tensor[] xs = [Tensor.Zeros(3, 4), Tensor.Zeros(3, 5)];
        var error = Assert.Throws<ShapeMismatchException>(() =>
            Nn.RnnCell(xs[1], Tensor.Zeros(3, 5), Tensor.Zeros(5, 4), Tensor.Zeros(5, 5), Tensor.Zeros(5)));
        Assert.EndsWith("xs[1] has 5 features but RnnCell's wx expects 4 (xs[1] is [3, 5], RnnCell's wx is [5, 4])", error.Message);
    }
}
