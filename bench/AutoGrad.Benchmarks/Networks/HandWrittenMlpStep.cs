namespace AutoGrad.Benchmarks.Networks;

/// <summary>
/// A training step written by hand on the same ops the generated code calls, the way a careful engineer would:
/// hidden layers as the fused <see cref="Nn.LinearActivation"/>, each handing the next its output's feature-major copy
/// (as the generated chain does), every buffer preallocated once, gradients written with
/// <see cref="GradTarget.Overwrite"/> (no clearing pass), and no input gradient for the first layer.
/// </summary>
public sealed class HandWrittenMlpStep
{
    private static readonly OpSite Site = new("HandWritten", "HandWrittenMlpStep.cs", 1);
    private readonly FusedActivation _activation;
    private readonly bool _chainLayers;
    private readonly Tensor?[] _out;
    private readonly Tensor?[] _outTransposed;
    private readonly Tensor[] _dOut;
    private SoftmaxCrossEntropyState? _loss;

    /// <summary>Allocates the step's buffers for <paramref name="config"/>.</summary>
    /// <param name="config">The network and batch.</param>
    /// <param name="chainLayers">Hand each fused layer's feature-major copy to the next (the generated step does);
    /// false calls the plain overload, for tests that compare the two.</param>
    public HandWrittenMlpStep(NetworkConfig config, bool chainLayers = true)
    {
        _chainLayers = chainLayers;
        _activation = config.Activation;
        int layers = config.Layers;
        // _out[l] is layer l's output (activations, then the logits); _dOut[l] its gradient.
        _out = new Tensor?[layers];
        _outTransposed = new Tensor?[layers];
        _dOut = new Tensor[layers];
        for (int l = 0; l < layers; l++)
        {
            _out[l] = Tensor.Zeros(config.Batch, config.Widths[l + 1]);
            _dOut[l] = Tensor.Zeros(config.Batch, config.Widths[l + 1]);
        }
    }

    /// <summary>Forward, loss and backward; overwrites every parameter gradient.</summary>
    /// <param name="parameters">Weights and biases, one pair per layer.</param>
    /// <param name="gradients">Receives the gradients; the same shapes as <paramref name="parameters"/>.</param>
    /// <param name="x">Inputs, <c>[batch, widths[0]]</c>.</param>
    /// <param name="labels">One class per row.</param>
    /// <returns>The mean cross-entropy.</returns>
    public float Run(NetworkParameters parameters, NetworkParameters gradients, Tensor x, int[] labels)
    {
        Tensor[] w = parameters.W, b = parameters.B, dW = gradients.W, dB = gradients.B;
        int last = w.Length - 1;
        Tensor input = x;
        Tensor? inputTransposed = null;
        for (int l = 0; l < last; l++)
        {
            if (_chainLayers)
            {
                Nn.LinearActivationInto(ref _out[l], ref _outTransposed[l], input, inputTransposed, w[l], b[l], _activation, Site);
            }
            else
            {
                Nn.LinearActivationInto(ref _out[l], input, w[l], b[l], _activation, Site);
            }
            input = _out[l]!;
            inputTransposed = _outTransposed[l];
        }
        Nn.LinearInto(ref _out[last], input, w[last], b[last], Site);
        Tensor logits = _out[last]!;

        float loss = Nn.SoftmaxCrossEntropyInto(ref _loss, logits, labels, Site);
        Nn.SoftmaxCrossEntropyPullback(logits, labels, loss, _loss!, 1f, GradTarget.Overwrite(_dOut[last]), Site);
        Nn.LinearPullback(_out[last - 1]!, w[last], b[last], logits, _dOut[last],
            GradTarget.Overwrite(_dOut[last - 1]), GradTarget.Overwrite(dW[last]), GradTarget.Overwrite(dB[last]), Site);
        for (int l = last - 1; l >= 0; l--)
        {
            Tensor layerInput = l == 0 ? x : _out[l - 1]!;
            // The inputs need no gradient, so the first layer skips its input product entirely.
            GradTarget dInput = l == 0 ? GradTarget.None : GradTarget.Overwrite(_dOut[l - 1]);
            Nn.LinearActivationPullback(layerInput, w[l], b[l], _activation, _out[l]!, _dOut[l],
                dInput, GradTarget.Overwrite(dW[l]), GradTarget.Overwrite(dB[l]), Site);
        }
        return loss;
    }

    /// <summary>The gradient of layer <paramref name="layer"/>'s output from the last <see cref="Run"/> (tests compare
    /// the generated step's layer-output probes with it).</summary>
    internal Tensor OutputGradient(int layer) => _dOut[layer];
}
