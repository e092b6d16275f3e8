namespace AutoGrad.Benchmarks.Networks;

/// <summary>
/// A three-layer tanh MLP ending in softmax cross-entropy, written the way a user writes it: the generator fuses
/// each <c>Tanh(Linear(...))</c> into <see cref="Nn.LinearActivation"/> and writes <c>LossGradient</c>. Benchmarked
/// as 2-16-16-2 at batch 1.
/// </summary>
public static partial class TanhMlp
{
    /// <summary>The mean cross-entropy of the network's logits against <paramref name="labels"/>.</summary>
    /// <param name="w1">First layer weights, <c>[h1, in]</c>.</param>
    /// <param name="b1">First layer bias, <c>[h1]</c>.</param>
    /// <param name="w2">Second layer weights, <c>[h2, h1]</c>.</param>
    /// <param name="b2">Second layer bias, <c>[h2]</c>.</param>
    /// <param name="w3">Output layer weights, <c>[classes, h2]</c>.</param>
    /// <param name="b3">Output layer bias, <c>[classes]</c>.</param>
    /// <param name="x">Inputs, <c>[batch, in]</c>.</param>
    /// <param name="labels">One class per row of <paramref name="x"/>.</param>
    /// <returns>The loss.</returns>
    [Differentiable]
    public static float Loss(Tensor w1, Tensor b1, Tensor w2, Tensor b2, Tensor w3, Tensor b3,
                             [NoGrad] Tensor x, [NoGrad] int[] labels)
    {
        var h1 = Nn.Tanh(Nn.Linear(x, w1, b1));
        var h2 = Nn.Tanh(Nn.Linear(h1, w2, b2));
        return Nn.SoftmaxCrossEntropy(Nn.Linear(h2, w3, b3), labels);
    }
}

/// <summary>
/// A three-layer ReLU MLP ending in softmax cross-entropy (the generator fuses each <c>Relu(Linear(...))</c>).
/// Benchmarked as 784-128-64-10 at batches 1 and 64 and as 1024-1024-1024-10 at batch 256.
/// </summary>
public static partial class ReluMlp
{
    /// <inheritdoc cref="TanhMlp.Loss"/>
    [Differentiable]
    public static float Loss(Tensor w1, Tensor b1, Tensor w2, Tensor b2, Tensor w3, Tensor b3,
                             [NoGrad] Tensor x, [NoGrad] int[] labels)
    {
        var h1 = Nn.Relu(Nn.Linear(x, w1, b1));
        var h2 = Nn.Relu(Nn.Linear(h1, w2, b2));
        return Nn.SoftmaxCrossEntropy(Nn.Linear(h2, w3, b3), labels);
    }
}
