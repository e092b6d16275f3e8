namespace ExplodingGradients;

/// <summary>
/// The networks of this sample as <c>[Differentiable]</c> methods: a 6-layer ReLU MLP (unrolled, probes
/// <c>w[0]</c> … <c>w[5]</c>), and two recurrent classifiers that read a digit as a sequence of pixels whose length
/// is known only at run time (the loop is reversed with a tape, and its probes are marked as in a recurrence).
/// </summary>
public static partial class ExplodingNets
{
    /// <summary>Layers with weights in <see cref="Mlp"/>: 5 hidden, 1 output.</summary>
    public const int MlpLayers = 6;

    /// <summary>Five ReLU layers and a linear output.</summary>
    [Differentiable]
    public static float Mlp(Tensor[] w, Tensor[] b, [NoGrad] Tensor x, [NoGrad] int[] labels)
    {
        var h = x;
        for (int l = 0; l < 5; l++)
        {
            h = Nn.Relu(Nn.Linear(h, w[l], b[l]));
        }
        return Nn.SoftmaxCrossEntropy(Nn.Linear(h, w[5], b[5]), labels);
    }

    /// <summary>An Elman RNN, h ← tanh(x_t·Wxᵀ + h·Whᵀ + b), classifying from its last state.</summary>
    [Differentiable]
    public static float Rnn(Tensor wx, Tensor wh, Tensor b, Tensor wo, Tensor bo,
                            [NoGrad] Tensor[] xs, [NoGrad] Tensor h0, [NoGrad] int[] labels, int steps)
    {
        var h = h0;
        for (int t = 0; t < steps; t++)
        {
            h = Nn.RnnCell(xs[t], h, wx, wh, b);
        }
        return Nn.SoftmaxCrossEntropy(Nn.Linear(h, wo, bo), labels);
    }

    /// <summary>An LSTM over the same sequences: its gated cell state carries the gradient across time steps.</summary>
    [Differentiable]
    public static float Lstm(Tensor wx, Tensor wh, Tensor b, Tensor wo, Tensor bo,
                             [NoGrad] Tensor[] xs, [NoGrad] Tensor s0, [NoGrad] int[] labels, int steps)
    {
        var state = s0;
        for (int t = 0; t < steps; t++)
        {
            state = Nn.LstmCell(xs[t], state, wx, wh, b);
        }
        return Nn.SoftmaxCrossEntropy(Nn.Linear(Nn.LstmHidden(state), wo, bo), labels);
    }
}
