using System;
using AutoGrad.Init;
using AutoGrad.Samples.Data;
using AutoGrad.Samples.Training;
using Xunit;

namespace AutoGrad.Samples.Tests;

/// <summary>Each network's forward is written twice (the differentiable loss and a logits twin for predictions);
/// these tests keep the two in step.</summary>
public class LogitsMatchLossTests
{
    private static readonly DigitsSplit Data = DigitsSplit.Create(Digits.Load(Digits.DefaultPath));

    private static (Tensor X, int[] Labels) Batch(int size = 16)
    {
        var sampler = new BatchSampler(Data.Train, size, seed: 5);
        sampler.Next();
        return (sampler.X, sampler.Labels);
    }

    private static void AssertSame(float loss, Tensor logits, int[] labels) =>
        Assert.Equal(loss, Nn.SoftmaxCrossEntropy(logits, labels), 5);

    [Theory]
    [InlineData("sigmoid")]
    [InlineData("tanh")]
    [InlineData("relu")]
    [InlineData("residual")]
    public void DeepNets(string variant)
    {
        var s = new LayerStack(LayerStack.Sizes(64, 64, 19, 10), (w, seed) => Initializers.XavierNormal(w, seed), 1);
        var (x, labels) = Batch();
        var (loss, logits) = variant switch
        {
            "sigmoid" => (VanishingGradients.DeepNets.SigmoidNet(s.W, s.B, x, labels), VanishingGradients.DeepNets.SigmoidLogits(s.W, s.B, x)),
            "tanh" => (VanishingGradients.DeepNets.TanhNet(s.W, s.B, x, labels), VanishingGradients.DeepNets.TanhLogits(s.W, s.B, x)),
            "relu" => (VanishingGradients.DeepNets.ReluNet(s.W, s.B, x, labels), VanishingGradients.DeepNets.ReluLogits(s.W, s.B, x)),
            _ => (VanishingGradients.DeepNets.ResidualNet(s.W, s.B, x, labels), VanishingGradients.DeepNets.ResidualLogits(s.W, s.B, x)),
        };
        AssertSame(loss, logits, labels);
    }

    [Fact]
    public void ExplodingMlp()
    {
        var s = new LayerStack(LayerStack.Sizes(64, 64, 5, 10), (w, seed) => Initializers.HeNormal(w, seed), 2);
        var (x, labels) = Batch();
        AssertSame(ExplodingGradients.ExplodingNets.Mlp(s.W, s.B, x, labels), ExplodingGradients.ExplodingNets.MlpLogits(s.W, s.B, x), labels);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void Recurrent(int gates)
    {
        var init = new ExplodingGradients.RecurrentInit((w, seed) => Initializers.XavierNormal(w, seed),
            (w, seed) => Initializers.Orthogonal(w, seed), (w, seed) => Initializers.XavierNormal(w, seed));
        var m = new ExplodingGradients.RecurrentModel(2, 8, 10, gates, init, 3);
        var (x, labels) = Batch();
        var xs = new ExplodingGradients.PixelSequences(x.Dim(0), 2).Fill(x);
        Tensor state = Tensor.Zeros(x.Dim(0), gates == 1 ? 8 : 16);
        float loss = gates == 1
            ? ExplodingGradients.ExplodingNets.Rnn(m.Wx, m.Wh, m.B, m.Wo, m.Bo, xs.Steps, state, labels, xs.Length)
            : ExplodingGradients.ExplodingNets.Lstm(m.Wx, m.Wh, m.B, m.Wo, m.Bo, xs.Steps, state, labels, xs.Length);
        Tensor logits = gates == 1
            ? ExplodingGradients.ExplodingNets.RnnLogits(m.Wx, m.Wh, m.B, m.Wo, m.Bo, xs.Steps, state, xs.Length)
            : ExplodingGradients.ExplodingNets.LstmLogits(m.Wx, m.Wh, m.B, m.Wo, m.Bo, xs.Steps, state, xs.Length);
        AssertSame(loss, logits, labels);
    }

    [Fact]
    public void PixelSequencesReadImagesRowByRow()
    {
        var (x, _) = Batch(3);
        var xs = new ExplodingGradients.PixelSequences(3, 2).Fill(x);
        Assert.Equal(32, xs.Length);
        Assert.Equal(x[1, 2 * 7 + 1], xs.Steps[7][1, 1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExplodingGradients.PixelSequences(3, 5));
    }

    [Fact]
    public void DigitsNet()
    {
        int[] n = DigitsTraining.DigitsNet.Sizes;
        Tensor w1 = Tensor.Zeros(n[1], n[0]), b1 = Tensor.Zeros(n[1]), w2 = Tensor.Zeros(n[2], n[1]), b2 = Tensor.Zeros(n[2]), w3 = Tensor.Zeros(n[3], n[2]), b3 = Tensor.Zeros(n[3]);
        Initializers.HeNormal(w1, 1);
        Initializers.HeNormal(w2, 2);
        Initializers.XavierNormal(w3, 3);
        var (x, labels) = Batch();
        AssertSame(DigitsTraining.DigitsNet.Loss(w1, b1, w2, b2, w3, b3, x, labels), DigitsTraining.DigitsNet.Logits(w1, b1, w2, b2, w3, b3, x), labels);
    }

    [Fact]
    public void AccuracyCountsNaNRowsAsWrong()
    {
        Assert.Equal(2, Accuracy.ArgMax([0f, 1f, 3f, 2f]));
        Assert.Equal(-1, Accuracy.ArgMax([0f, float.NaN, 3f]));
    }
}
