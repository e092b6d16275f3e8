using AutoGrad.Testing;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Tensors;

/// <summary>
/// Reshape and Flatten views in steady state (review helper-53): a view's slot made a new view every step when its
/// input alternated between buffers, 528 bytes a step with two batch sizes and 168 with batches taken in turn from
/// three preallocated tensors.
/// </summary>
public static partial class ViewSlots
{
    [Differentiable]
    public static float Reshaped(Tensor w, Tensor w2, [NoGrad] Tensor x, [NoGrad] Tensor y)
    {
        var h = Nn.Tanh(Nn.MatMul(x, w));
        var r = Nn.Reshape(h, [-1, 6]);
        var f = Nn.Flatten(Nn.Reshape(h, [-1, 3, 4]));
        return Nn.Mse(Nn.MatMul(r, w2), y) + Nn.Mean(f);
    }

    [Differentiable]
    public static float Images(Tensor w, Tensor b, [NoGrad] Tensor images, [NoGrad] int[] labels) =>
        Nn.SoftmaxCrossEntropy(Nn.Linear(Nn.Flatten(images), w, b), labels);
}

public class ViewSlotTests
{
    [Fact]
    public void AlternatingBatchSizesThroughViewsAllocateNothing()
    {
        Tensor w = Tensor.FromValues(GradCheck.RandomFloat(120, 800), 10, 12), w2 = Tensor.FromValues(GradCheck.RandomFloat(30, 801), 6, 5);
        Tensor dW = Tensor.Zeros(10, 12), dW2 = Tensor.Zeros(6, 5);
        Tensor xBig = Tensor.FromValues(GradCheck.RandomFloat(320, 802), 32, 10), yBig = Tensor.FromValues(GradCheck.RandomFloat(320, 803), 64, 5);
        Tensor xSmall = Tensor.FromValues(GradCheck.RandomFloat(70, 804), 7, 10), ySmall = Tensor.FromValues(GradCheck.RandomFloat(70, 805), 14, 5);
        float first = ViewSlots.ReshapedGradient(w, w2, xBig, yBig, dW, dW2);
        float[] expected = dW.ToArray();
        int step = 0;
        Allocations.AssertNoneAfterWarmUp(() =>
        {
            bool big = step++ % 2 == 0;
            ViewSlots.ReshapedGradient(w, w2, big ? xBig : xSmall, big ? yBig : ySmall, dW, dW2);
        });
        Assert.Equal(first, ViewSlots.ReshapedGradient(w, w2, xBig, yBig, dW, dW2));
        Assert.Equal(expected, dW.ToArray());
    }

    [Fact]
    public void BatchesTakenInTurnFromPreallocatedTensorsAllocateNothing()
    {
        Tensor w = Tensor.FromValues(GradCheck.RandomFloat(360, 810), 10, 36), b = Tensor.Zeros(10);
        Tensor dW = Tensor.Zeros(10, 36), dB = Tensor.Zeros(10);
        var batches = new Tensor[3];
        for (int i = 0; i < 3; i++) batches[i] = Tensor.FromValues(GradCheck.RandomFloat(16 * 36, 811 + i), 16, 1, 6, 6);
        int[] labels = new int[16];
        for (int i = 0; i < 16; i++) labels[i] = i % 10;
        int step = 0;
        Allocations.AssertNoneAfterWarmUp(() => ViewSlots.ImagesGradient(w, b, batches[step++ % 3], labels, dW, dB));
    }
}
