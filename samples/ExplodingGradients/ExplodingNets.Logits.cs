namespace ExplodingGradients;

public static partial class ExplodingNets
{
    // The forward passes again, returning logits for predictions (a tensor [Differentiable] method returns its loss
    // and cannot be called from another one); ExplodingNetsTests checks they agree with the losses above.

    /// <summary>Logits of <see cref="Mlp"/>.</summary>
    public static Tensor MlpLogits(Tensor[] w, Tensor[] b, Tensor x)
    {
        var h = x;
        for (int l = 0; l < MlpLayers - 1; l++) h = Nn.Relu(Nn.Linear(h, w[l], b[l]));
        return Nn.Linear(h, w[MlpLayers - 1], b[MlpLayers - 1]);
    }

    /// <summary>Logits of <see cref="Rnn"/>.</summary>
    public static Tensor RnnLogits(Tensor wx, Tensor wh, Tensor b, Tensor wo, Tensor bo, Tensor[] xs, Tensor h0, int steps)
    {
        var h = h0;
        for (int t = 0; t < steps; t++) h = Nn.RnnCell(xs[t], h, wx, wh, b);
        return Nn.Linear(h, wo, bo);
    }

    /// <summary>Logits of <see cref="Lstm"/>.</summary>
    public static Tensor LstmLogits(Tensor wx, Tensor wh, Tensor b, Tensor wo, Tensor bo, Tensor[] xs, Tensor s0, int steps)
    {
        var state = s0;
        for (int t = 0; t < steps; t++) state = Nn.LstmCell(xs[t], state, wx, wh, b);
        return Nn.Linear(Nn.LstmHidden(state), wo, bo);
    }
}
