namespace DigitsTraining;

/// <summary>A two-hidden-layer ReLU classifier of the 8×8 digits: 64 → 128 → 64 → 10.</summary>
public static partial class DigitsNet
{
    /// <summary>Layer sizes, input first.</summary>
    public static readonly int[] Sizes = [64, 128, 64, 10];

    /// <summary>Mean softmax cross-entropy of the network on a batch.</summary>
    [Differentiable]
    public static float Loss(Tensor w1, Tensor b1, Tensor w2, Tensor b2, Tensor w3, Tensor b3, [NoGrad] Tensor x, [NoGrad] int[] labels)
    {
        var h1 = Nn.Relu(Nn.Linear(x, w1, b1));
        var h2 = Nn.Relu(Nn.Linear(h1, w2, b2));
        return Nn.SoftmaxCrossEntropy(Nn.Linear(h2, w3, b3), labels);
    }

    /// <summary>The same forward pass returning logits, for predictions (DigitsNetTests checks it matches <see cref="Loss"/>).</summary>
    public static Tensor Logits(Tensor w1, Tensor b1, Tensor w2, Tensor b2, Tensor w3, Tensor b3, Tensor x)
    {
        var h1 = Nn.Relu(Nn.Linear(x, w1, b1));
        var h2 = Nn.Relu(Nn.Linear(h1, w2, b2));
        return Nn.Linear(h2, w3, b3);
    }
}
