namespace VanishingGradients;

/// <summary>
/// The same 20-layer network (19 hidden layers of 64 units and a 10-way output layer) with four choices of
/// activation and connection. The activation is fixed at compile time, so each variant is its own method; the
/// generator unrolls the constant-bound loop, so the probes name every layer (<c>w[0]</c> … <c>w[19]</c>).
/// Each loss has a plain forward twin that returns the logits, used for predictions.
/// </summary>
public static partial class DeepNets
{
    /// <summary>Layers with weights: 19 hidden, 1 output.</summary>
    public const int Layers = 20;

    /// <summary>Units per hidden layer (the digits have 64 pixels, so residual sums line up with the input).</summary>
    public const int Width = 64;

    /// <summary>Sigmoid hidden layers: σ′ ≤ 0.25, so the gradient can shrink by 4× or more per layer.</summary>
    [Differentiable]
    public static float SigmoidNet(Tensor[] w, Tensor[] b, [NoGrad] Tensor x, [NoGrad] int[] labels)
    {
        var h = x;
        for (int l = 0; l < 19; l++)
        {
            h = Nn.Sigmoid(Nn.Linear(h, w[l], b[l]));
        }
        return Nn.SoftmaxCrossEntropy(Nn.Linear(h, w[19], b[19]), labels);
    }

    /// <summary>Tanh hidden layers: tanh′(0) = 1, so with Xavier initialization the signal keeps its scale.</summary>
    [Differentiable]
    public static float TanhNet(Tensor[] w, Tensor[] b, [NoGrad] Tensor x, [NoGrad] int[] labels)
    {
        var h = x;
        for (int l = 0; l < 19; l++)
        {
            h = Nn.Tanh(Nn.Linear(h, w[l], b[l]));
        }
        return Nn.SoftmaxCrossEntropy(Nn.Linear(h, w[19], b[19]), labels);
    }

    /// <summary>ReLU hidden layers: the derivative is 0 or 1, and He initialization keeps the variance.</summary>
    [Differentiable]
    public static float ReluNet(Tensor[] w, Tensor[] b, [NoGrad] Tensor x, [NoGrad] int[] labels)
    {
        var h = x;
        for (int l = 0; l < 19; l++)
        {
            h = Nn.Relu(Nn.Linear(h, w[l], b[l]));
        }
        return Nn.SoftmaxCrossEntropy(Nn.Linear(h, w[19], b[19]), labels);
    }

    /// <summary>The sigmoid layers of <see cref="SigmoidNet"/> with skip connections: h ← h + σ(W·h + b). The
    /// identity path carries the gradient past every layer, whatever σ′ is.</summary>
    [Differentiable]
    public static float ResidualNet(Tensor[] w, Tensor[] b, [NoGrad] Tensor x, [NoGrad] int[] labels)
    {
        var h = x;
        for (int l = 0; l < 19; l++)
        {
            h = Nn.Add(h, Nn.Sigmoid(Nn.Linear(h, w[l], b[l])));
        }
        return Nn.SoftmaxCrossEntropy(Nn.Linear(h, w[19], b[19]), labels);
    }
}
