namespace AutoGrad.Benchmarks.Networks;

/// <summary>
/// 21 hidden tanh layers of one width, then an output layer and softmax cross-entropy: the networks issue's deep
/// MLP (21 × 64 tanh + 10, batch 32). The loop has a constant bound, so the generator unrolls it.
/// </summary>
public static partial class DeepTanhMlp
{
    /// <summary>The number of hidden layers, the loop bound in <see cref="Loss"/>.</summary>
    public const int HiddenLayers = 21;

    /// <summary>The mean cross-entropy of the network's logits against <paramref name="labels"/>.</summary>
    /// <param name="w">Hidden layer weights, <see cref="HiddenLayers"/> tensors <c>[width, width]</c>.</param>
    /// <param name="b">Hidden layer biases, <see cref="HiddenLayers"/> tensors <c>[width]</c>.</param>
    /// <param name="wOut">Output layer weights, <c>[classes, width]</c>.</param>
    /// <param name="bOut">Output layer bias, <c>[classes]</c>.</param>
    /// <param name="x">Inputs, <c>[batch, width]</c>.</param>
    /// <param name="labels">One class per row of <paramref name="x"/>.</param>
    /// <returns>The loss.</returns>
    [Differentiable]
    public static float Loss(Tensor[] w, Tensor[] b, Tensor wOut, Tensor bOut, [NoGrad] Tensor x, [NoGrad] int[] labels)
    {
        var h = x;
        for (int l = 0; l < 21; l++)
            h = Nn.Tanh(Nn.Linear(h, w[l], b[l]));
        return Nn.SoftmaxCrossEntropy(Nn.Linear(h, wOut, bOut), labels);
    }
}
