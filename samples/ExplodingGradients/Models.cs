using System.Collections.Generic;
using AutoGrad.Samples.Data;
using AutoGrad.Samples.Training;

namespace ExplodingGradients;

/// <summary>Builds the sample's networks as <see cref="Classifier"/>s over the generated gradients.</summary>
public static class Models
{
    /// <summary>Seed of the weights: every run of a story starts from the same random numbers, scaled differently.</summary>
    public const ulong Seed = 200;

    /// <summary>Hidden units of the MLP's layers and of the recurrent cells.</summary>
    public const int Width = 64;

    /// <summary>The 6-layer ReLU MLP with weights from <paramref name="init"/>.</summary>
    public static Classifier Mlp(string name, WeightInit init)
    {
        var s = new LayerStack(LayerStack.Sizes(Digits.Features, Width, ExplodingNets.MlpLayers - 1, Digits.Classes), init, Seed);
        return new Classifier(name, ExplodingNets.MlpProbeLayout, s.Parameters,
            (x, labels, probes) => ExplodingNets.MlpGradient(s.W, s.B, x, labels, s.DW, s.DB, probes),
            x => ExplodingNets.MlpLogits(s.W, s.B, x));
    }

    /// <summary>The vanilla RNN reading <paramref name="pixelsPerStep"/> pixels a step.</summary>
    public static Classifier Rnn(string name, RecurrentInit init, int pixelsPerStep)
    {
        var m = new RecurrentModel(pixelsPerStep, Width, Digits.Classes, gates: 1, init, Seed);
        var inputs = new SequenceInputs(pixelsPerStep, Width);
        return new Classifier(name, ExplodingNets.RnnProbeLayout, m.Parameters,
            (x, labels, probes) =>
            {
                PixelSequences xs = inputs.For(x);
                return ExplodingNets.RnnGradient(m.Wx, m.Wh, m.B, m.Wo, m.Bo, xs.Steps, inputs.State(x), labels, xs.Length,
                    m.DWx, m.DWh, m.DB, m.DWo, m.DBo, probes);
            },
            x =>
            {
                PixelSequences xs = inputs.For(x);
                return ExplodingNets.RnnLogits(m.Wx, m.Wh, m.B, m.Wo, m.Bo, xs.Steps, inputs.State(x), xs.Length);
            });
    }

    /// <summary>The LSTM reading <paramref name="pixelsPerStep"/> pixels a step, forget-gate bias 1.</summary>
    public static Classifier Lstm(string name, RecurrentInit init, int pixelsPerStep)
    {
        var m = new RecurrentModel(pixelsPerStep, Width, Digits.Classes, gates: 4, init, Seed);
        // Forget-gate bias 1 (gates are ordered i, f, g, o): the cell starts by keeping its state, the usual LSTM
        // initialization (Gers et al. 2000; Jozefowicz et al. 2015), so it carries the gradient from the first step.
        m.B.Span.Slice(Width, Width).Fill(1f);
        var inputs = new SequenceInputs(pixelsPerStep, 2 * Width); // an LSTM state is [h, c]
        return new Classifier(name, ExplodingNets.LstmProbeLayout, m.Parameters,
            (x, labels, probes) =>
            {
                PixelSequences xs = inputs.For(x);
                return ExplodingNets.LstmGradient(m.Wx, m.Wh, m.B, m.Wo, m.Bo, xs.Steps, inputs.State(x), labels, xs.Length,
                    m.DWx, m.DWh, m.DB, m.DWo, m.DBo, probes);
            },
            x =>
            {
                PixelSequences xs = inputs.For(x);
                return ExplodingNets.LstmLogits(m.Wx, m.Wh, m.B, m.Wo, m.Bo, xs.Steps, inputs.State(x), xs.Length);
            });
    }

    /// <summary>Sequence buffers and zero initial states, kept per batch size (training batches and the test set).</summary>
    private sealed class SequenceInputs(int pixelsPerStep, int stateWidth)
    {
        private readonly Dictionary<int, (PixelSequences Steps, Tensor State)> _byBatch = new();

        public PixelSequences For(Tensor x) => Get(x.Dim(0)).Steps.Fill(x);

        public Tensor State(Tensor x) => Get(x.Dim(0)).State;

        private (PixelSequences Steps, Tensor State) Get(int batch)
        {
            if (!_byBatch.TryGetValue(batch, out var buffers))
            {
                buffers = (new PixelSequences(batch, pixelsPerStep), Tensor.Zeros(batch, stateWidth));
                _byBatch[batch] = buffers;
            }
            return buffers;
        }
    }
}
