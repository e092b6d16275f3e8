using System.Linq;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Tensors;

/// <summary>A batch-normalized layer trained with running statistics, and its inference form.</summary>
public static partial class NormalizedLayer
{
    [Differentiable]
    public static float Train(Tensor w, Tensor gamma, Tensor beta, [NoGrad] BatchNormStatistics statistics, [NoGrad] Tensor x, [NoGrad] int[] labels)
    {
        var h = Nn.Relu(Nn.BatchNorm(Nn.MatMul(x, w), gamma, beta, statistics));
        return Nn.SoftmaxCrossEntropy(h, labels);
    }

    [Differentiable]
    public static float Evaluate(Tensor w, Tensor gamma, Tensor beta, [NoGrad] BatchNormStatistics statistics, [NoGrad] Tensor x, [NoGrad] int[] labels)
    {
        var h = Nn.Relu(Nn.BatchNormInference(Nn.MatMul(x, w), gamma, beta, statistics));
        return Nn.SoftmaxCrossEntropy(h, labels);
    }
}

public class RunningStatisticsTests
{
    private static Tensor Random(int seed, params int[] shape) =>
        Tensor.FromValues(GradCheck.RandomFloat(shape.Aggregate(1, (a, d) => a * d), seed, -0.8f, 0.8f), shape);

    [Fact]
    public void AGeneratedStepUpdatesTheStatisticsOnceAndInferenceUsesThem()
    {
        Tensor w = Random(1, 5, 4), gamma = Random(2, 4), beta = Random(3, 4), x = Random(4, 6, 5);
        int[] labels = [0, 1, 2, 3, 1, 0];
        Tensor dW = Tensor.Zeros(5, 4), dGamma = Tensor.Zeros(4), dBeta = Tensor.Zeros(4);
        var statistics = new BatchNormStatistics(4);
        var reference = new BatchNormStatistics(4);

        float loss = NormalizedLayer.TrainGradient(w, gamma, beta, statistics, x, labels, dW, dGamma, dBeta);
        Assert.Equal(1, statistics.BatchesTracked);
        // The plain call of the same op moves a second set of statistics the same way.
        Nn.BatchNorm(Nn.MatMul(x, w), gamma, beta, reference);
        Assert.Equal(reference.RunningMean.ToArray(), statistics.RunningMean.ToArray());
        Assert.Equal(reference.RunningVariance.ToArray(), statistics.RunningVariance.ToArray());
        Assert.Equal(NormalizedLayer.Train(w, gamma, beta, reference, x, labels), loss, 5);
        GradCheck.Tensors([w, gamma, beta], [dW, dGamma, dBeta], () => NormalizedLayer.Train(w, gamma, beta, reference, x, labels));

        // Inference normalizes with the running estimates (no batch statistics, nothing updated), and is differentiable.
        long tracked = statistics.BatchesTracked;
        float[] mean = statistics.RunningMean.ToArray();
        NormalizedLayer.EvaluateGradient(w, gamma, beta, statistics, x, labels, dW, dGamma, dBeta);
        Assert.Equal(tracked, statistics.BatchesTracked);
        Assert.Equal(mean, statistics.RunningMean.ToArray());
        Assert.NotEqual(NormalizedLayer.Train(w, gamma, beta, reference, x, labels), NormalizedLayer.Evaluate(w, gamma, beta, statistics, x, labels));
        GradCheck.Tensors([w, gamma, beta], [dW, dGamma, dBeta], () => NormalizedLayer.Evaluate(w, gamma, beta, statistics, x, labels));
    }

    /// <summary>
    /// Review helper-71: the statistics are a [NoGrad] object whose tensors the call's aliasing check does not see; a
    /// gradient buffer that was one of them silently overwrote the running mean with the beta gradient.
    /// </summary>
    [Fact]
    public void AGradientBufferThatIsARunningStatisticIsRefused()
    {
        Tensor w = Random(1, 5, 4), gamma = Random(2, 4), beta = Random(3, 4), x = Random(4, 6, 5);
        int[] labels = [0, 1, 2, 3, 1, 0];
        Tensor dW = Tensor.Zeros(5, 4), dGamma = Tensor.Zeros(4);
        var statistics = new BatchNormStatistics(4);
        var e = Assert.Throws<System.ArgumentException>(() => NormalizedLayer.TrainGradient(w, gamma, beta, statistics, x, labels, dW, dGamma, statistics.RunningMean));
        Assert.Contains("BatchNorm at RunningStatistics.cs:", e.Message);
        Assert.Contains("'beta'", e.Message);
        Assert.Contains("RunningMean", e.Message);
        e = Assert.Throws<System.ArgumentException>(() => NormalizedLayer.EvaluateGradient(w, gamma, beta, statistics, x, labels, dW, statistics.RunningVariance, Tensor.Zeros(4)));
        Assert.Contains("'gamma'", e.Message);
        Assert.Contains("RunningVariance", e.Message);
    }
}
