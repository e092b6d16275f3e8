namespace VanishingGradients;

public static partial class DeepNets
{
    // The forward passes again, returning logits for predictions. A [Differentiable] method returns its loss, and one
    // tensor [Differentiable] method cannot call another, so each network's forward is written twice;
    // DeepNetsTests checks that SoftmaxCrossEntropy of these logits equals the differentiable loss.

    /// <summary>Logits of <see cref="SigmoidNet"/>.</summary>
    public static Tensor SigmoidLogits(Tensor[] w, Tensor[] b, Tensor x)
    {
        var h = x;
        for (int l = 0; l < Layers - 1; l++) h = Nn.Sigmoid(Nn.Linear(h, w[l], b[l]));
        return Nn.Linear(h, w[Layers - 1], b[Layers - 1]);
    }

    /// <summary>Logits of <see cref="TanhNet"/>.</summary>
    public static Tensor TanhLogits(Tensor[] w, Tensor[] b, Tensor x)
    {
        var h = x;
        for (int l = 0; l < Layers - 1; l++) h = Nn.Tanh(Nn.Linear(h, w[l], b[l]));
        return Nn.Linear(h, w[Layers - 1], b[Layers - 1]);
    }

    /// <summary>Logits of <see cref="ReluNet"/>.</summary>
    public static Tensor ReluLogits(Tensor[] w, Tensor[] b, Tensor x)
    {
        var h = x;
        for (int l = 0; l < Layers - 1; l++) h = Nn.Relu(Nn.Linear(h, w[l], b[l]));
        return Nn.Linear(h, w[Layers - 1], b[Layers - 1]);
    }

    /// <summary>Logits of <see cref="ResidualNet"/>.</summary>
    public static Tensor ResidualLogits(Tensor[] w, Tensor[] b, Tensor x)
    {
        var h = x;
        for (int l = 0; l < Layers - 1; l++) h = Nn.Add(h, Nn.Sigmoid(Nn.Linear(h, w[l], b[l])));
        return Nn.Linear(h, w[Layers - 1], b[Layers - 1]);
    }
}
