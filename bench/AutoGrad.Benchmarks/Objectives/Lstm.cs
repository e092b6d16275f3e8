using System;

namespace AutoGrad.Benchmarks.Objectives;

/// <summary>
/// The ADBench LSTM objective: a stack of l "diagonal" LSTM layers (every weight is per hidden unit, b units) reads a
/// sequence of c characters of b values each and predicts the next; the loss is the mean negative log-likelihood
/// of the true next character under ADBench's log-softmax with a +2 in the normaliser.
/// </summary>
/// <remarks>
/// <para>Layouts, as in ADBench: <c>mainParams[8·b·l]</c>, per layer: weights (forget, input gate, output gate,
/// change; b each), then biases (same order). <c>extraParams[3·b]</c>: input weights, output weights, output biases.
/// <c>state[2·b·l]</c>, per layer: hidden, then cell. <c>sequence[c·b]</c>.</para>
/// <para>In each layer the forget and output gates read the layer's input, the input gate and the change read its
/// previous hidden state (ADBench's definition, unlike a textbook LSTM). The state is the initial state: the
/// objective works on a copy, like ADBench's pass-by-value <c>std::vector</c>.</para>
/// </remarks>
public static partial class Lstm
{
    /// <summary>The primal, written in the scalar subset the generator differentiates.</summary>
    /// <param name="mainParams">Layer weights and biases, 8·b·l.</param>
    /// <param name="extraParams">Input weights, output weights and output biases, 3·b.</param>
    /// <param name="state">The initial hidden and cell states, 2·b·l; not modified.</param>
    /// <param name="sequence">The character sequence, c·b.</param>
    /// <param name="l">The number of layers.</param>
    /// <param name="c">The number of characters (c − 1 predictions).</param>
    /// <param name="b">The number of hidden units, equal to the character width.</param>
    /// <returns>The loss.</returns>
    [Differentiable]
    public static double Objective(
        ReadOnlySpan<double> mainParams,
        ReadOnlySpan<double> extraParams,
        [NoGrad] ReadOnlySpan<double> state,
        [NoGrad] ReadOnlySpan<double> sequence,
        int l,
        int c,
        int b)
    {
        double[] current = new double[2 * l * b];
        double[] layerInput = new double[b];
        double[] prediction = new double[b];
        for (int i = 0; i < 2 * l * b; i++)
        {
            current[i] = state[i];
        }

        double total = 0.0;
        for (int t = 0; t < c - 1; t++)
        {
            for (int i = 0; i < b; i++)
            {
                layerInput[i] = sequence[t * b + i] * extraParams[i];
            }
            for (int layer = 0; layer < l; layer++)
            {
                int w = 8 * b * layer;
                int hidden = 2 * b * layer;
                for (int i = 0; i < b; i++)
                {
                    double input = layerInput[i];
                    double previous = current[hidden + i];
                    double forget = 1.0 / (1.0 + Math.Exp(-(input * mainParams[w + i] + mainParams[w + 4 * b + i])));
                    double inGate = 1.0 / (1.0 + Math.Exp(-(previous * mainParams[w + b + i] + mainParams[w + 5 * b + i])));
                    double outGate = 1.0 / (1.0 + Math.Exp(-(input * mainParams[w + 2 * b + i] + mainParams[w + 6 * b + i])));
                    double change = Math.Tanh(previous * mainParams[w + 3 * b + i] + mainParams[w + 7 * b + i]);
                    double cell = current[hidden + b + i] * forget + inGate * change;
                    current[hidden + b + i] = cell;
                    double output = outGate * Math.Tanh(cell);
                    current[hidden + i] = output;
                    // The next layer reads this layer's new hidden state as its input.
                    layerInput[i] = output;
                }
            }
            double sumExp = 0.0;
            for (int i = 0; i < b; i++)
            {
                prediction[i] = layerInput[i] * extraParams[b + i] + extraParams[2 * b + i];
                sumExp += Math.Exp(prediction[i]);
            }
            // ADBench's normaliser: log(Σ exp + 2), no max subtraction.
            double logNormalizer = Math.Log(sumExp + 2.0);
            for (int i = 0; i < b; i++)
            {
                total += sequence[(t + 1) * b + i] * (prediction[i] - logNormalizer);
            }
        }
        return -total / ((c - 1) * b);
    }
}
