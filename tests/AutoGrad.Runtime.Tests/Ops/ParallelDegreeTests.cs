using System;
using AutoGrad.Kernels;
using AutoGrad.Runtime.Tests.Support;
using Xunit;

namespace AutoGrad.Runtime.Tests.Ops;

/// <summary>Tests that change the process-wide thread count run alone: a concurrent allocation check would see
/// Parallel.For's allocations.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class KernelOptionsCollection
{
    public const string Name = "KernelOptions";
}

[Collection(KernelOptionsCollection.Name)]
public class ParallelDegreeTests
{
    [Fact]
    public void LinearLayerGradientsAreIdenticalForEveryDegree()
    {
        Tensor x = TestRandom.Tensor(1, 256, 300), w = TestRandom.Tensor(2, 200, 300), b = TestRandom.Tensor(3, 200);
        Tensor dY = TestRandom.Tensor(4, 256, 200);
        float[]? reference = null;
        int saved = KernelOptions.MaxDegreeOfParallelism;
        try
        {
            foreach (int degree in new[] { 1, 2, 4 })
            {
                KernelOptions.MaxDegreeOfParallelism = degree;
                Tensor y = Nn.Linear(x, w, b);
                Tensor dX = Tensor.Zeros(256, 300), dW = Tensor.Zeros(200, 300), dB = Tensor.Zeros(200);
                Nn.LinearPullback(x, w, b, y, dY, GradTarget.Overwrite(dX), GradTarget.Overwrite(dW), GradTarget.Overwrite(dB), new OpSite("Linear", "", 0));
                float[] all = [.. y.ToArray(), .. dX.ToArray(), .. dW.ToArray(), .. dB.ToArray()];
                reference ??= all;
                Assert.Equal(reference, all);
            }
        }
        finally
        {
            KernelOptions.MaxDegreeOfParallelism = saved;
        }
    }

    [Fact]
    public void DegreeBelowOneIsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => KernelOptions.MaxDegreeOfParallelism = 0);
        // -1 is "no limit" to ParallelOptions; here the message names the setting and what to pass (review helper-53).
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => KernelOptions.MaxDegreeOfParallelism = -1);
        Assert.Equal("MaxDegreeOfParallelism", e.ParamName);
        Assert.Contains("Environment.ProcessorCount", e.Message);
    }
}
