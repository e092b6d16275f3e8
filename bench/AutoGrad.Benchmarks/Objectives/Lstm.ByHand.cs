using System;
using System.Buffers;
using AutoGrad.Internal;

namespace AutoGrad.Benchmarks.Objectives;

public static partial class Lstm
{
    // Per step and layer the reverse sweep needs, for each unit: the layer's input, the previous hidden and cell
    // states, the four gate values and tanh of the new cell. Storing them (8·b doubles) is cheaper than recomputing
    // the exponentials, and the whole tape is only (c − 1)·l·8·b doubles (1.8 MB at l = 2, c = 1024, b = 14).
    private const int SlotInput = 0;
    private const int SlotPrevious = 1;
    private const int SlotCell = 2;
    private const int SlotForget = 3;
    private const int SlotInGate = 4;
    private const int SlotOutGate = 5;
    private const int SlotChange = 6;
    private const int SlotTanhCell = 7;
    private const int Slots = 8;

    /// <summary>
    /// The hand-written gradient of <see cref="Objective"/>: a forward sweep that stores the gate values and, since
    /// each prediction's loss depends on that step alone, already turns the loss into the adjoint of the top hidden
    /// state; then one reverse sweep through time and layers. Scratch memory is pooled, so a call allocates nothing
    /// in steady state.
    /// </summary>
    /// <param name="mainParams">Layer weights and biases, 8·b·l.</param>
    /// <param name="extraParams">Input weights, output weights and output biases, 3·b.</param>
    /// <param name="state">The initial hidden and cell states, 2·b·l; not modified.</param>
    /// <param name="sequence">The character sequence, c·b.</param>
    /// <param name="l">The number of layers.</param>
    /// <param name="c">The number of characters.</param>
    /// <param name="b">The number of hidden units.</param>
    /// <param name="dMainParams">Receives ∂loss/∂mainParams (overwritten).</param>
    /// <param name="dExtraParams">Receives ∂loss/∂extraParams (overwritten).</param>
    /// <returns>The loss, as <see cref="Objective"/> computes it.</returns>
    public static double ObjectiveGradientByHand(
        ReadOnlySpan<double> mainParams,
        ReadOnlySpan<double> extraParams,
        ReadOnlySpan<double> state,
        ReadOnlySpan<double> sequence,
        int l,
        int c,
        int b,
        Span<double> dMainParams,
        Span<double> dExtraParams)
    {
        GradientArguments.CheckLength(mainParams.Length, 8 * b * l, nameof(mainParams), "8·b·l");
        GradientArguments.CheckLength(extraParams.Length, 3 * b, nameof(extraParams), "3·b");
        GradientArguments.CheckLength(state.Length, 2 * b * l, nameof(state), "2·b·l");
        GradientArguments.CheckLength(sequence.Length, c * b, nameof(sequence), "c·b");
        GradientArguments.CheckLength(dMainParams.Length, mainParams.Length, nameof(dMainParams), nameof(mainParams));
        GradientArguments.CheckLength(dExtraParams.Length, extraParams.Length, nameof(dExtraParams), nameof(extraParams));

        int steps = Math.Max(c - 1, 0);
        int tapeLength = steps * l * Slots * b;
        int scratchLength = tapeLength + steps * b + 4 * l * b + 4 * b;
        double[] rented = ArrayPool<double>.Shared.Rent(scratchLength);
        try
        {
            Span<double> scratch = rented.AsSpan(0, scratchLength);
            Span<double> tape = scratch.Slice(0, tapeLength);
            Span<double> topAdjoints = scratch.Slice(tapeLength, steps * b);
            Span<double> rest = scratch.Slice(tapeLength + steps * b);
            Span<double> current = rest.Slice(0, 2 * l * b);
            Span<double> carryHidden = rest.Slice(2 * l * b, l * b);
            Span<double> carryCell = rest.Slice(3 * l * b, l * b);
            Span<double> layerInput = rest.Slice(4 * l * b, b);
            Span<double> prediction = rest.Slice(4 * l * b + b, b);
            Span<double> exps = rest.Slice(4 * l * b + 2 * b, b);
            Span<double> inputAdjoint = rest.Slice(4 * l * b + 3 * b, b);

            dMainParams.Clear();
            dExtraParams.Clear();
            state.CopyTo(current);
            double total = Forward(mainParams, extraParams, sequence, l, steps, b, current, layerInput, prediction,
                exps, tape, topAdjoints, dExtraParams);

            carryHidden.Clear();
            carryCell.Clear();
            for (int t = steps - 1; t >= 0; t--)
            {
                for (int layer = l - 1; layer >= 0; layer--)
                {
                    ReadOnlySpan<double> fromAbove = layer == l - 1 ? topAdjoints.Slice(t * b, b) : inputAdjoint;
                    LayerBackward(mainParams.Slice(8 * b * layer, 8 * b), tape.Slice((t * l + layer) * Slots * b, Slots * b),
                        fromAbove, carryHidden.Slice(layer * b, b), carryCell.Slice(layer * b, b), inputAdjoint,
                        dMainParams.Slice(8 * b * layer, 8 * b));
                }
                // Layer 0's input is sequence[t]·inWeight.
                for (int i = 0; i < b; i++)
                {
                    dExtraParams[i] += inputAdjoint[i] * sequence[t * b + i];
                }
            }
            return -total / (steps * b);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Runs the forward sweep, filling the tape, and returns the log-likelihood total. Because step t's loss reads
    /// only step t's prediction, its adjoint is known at once: the output layer's gradients are accumulated here and
    /// the adjoint of the top hidden state is stored for the reverse sweep.
    /// </summary>
    private static double Forward(
        ReadOnlySpan<double> mainParams,
        ReadOnlySpan<double> extraParams,
        ReadOnlySpan<double> sequence,
        int l,
        int steps,
        int b,
        Span<double> current,
        Span<double> layerInput,
        Span<double> prediction,
        Span<double> exps,
        Span<double> tape,
        Span<double> topAdjoints,
        Span<double> dExtraParams)
    {
        double inverseCount = 1.0 / (steps * b);
        double total = 0.0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < b; i++)
            {
                layerInput[i] = sequence[t * b + i] * extraParams[i];
            }
            for (int layer = 0; layer < l; layer++)
            {
                LayerForward(mainParams.Slice(8 * b * layer, 8 * b), current.Slice(2 * b * layer, 2 * b), layerInput,
                    tape.Slice((t * l + layer) * Slots * b, Slots * b));
            }
            double sumExp = 0.0;
            for (int i = 0; i < b; i++)
            {
                double y = layerInput[i] * extraParams[b + i] + extraParams[2 * b + i];
                prediction[i] = y;
                double e = Math.Exp(y);
                exps[i] = e;
                sumExp += e;
            }
            double normalizer = sumExp + 2.0;
            double logNormalizer = Math.Log(normalizer);
            double goldSum = 0.0;
            for (int i = 0; i < b; i++)
            {
                double gold = sequence[(t + 1) * b + i];
                total += gold * (prediction[i] - logNormalizer);
                goldSum += gold;
            }
            // loss = −total/count; ∂total/∂yᵢ = goldᵢ − Σgold·exp(yᵢ)/(Σexp + 2).
            double weight = goldSum / normalizer;
            for (int i = 0; i < b; i++)
            {
                double dY = (weight * exps[i] - sequence[(t + 1) * b + i]) * inverseCount;
                dExtraParams[b + i] += dY * layerInput[i];
                dExtraParams[2 * b + i] += dY;
                topAdjoints[t * b + i] = dY * extraParams[b + i];
            }
        }
        return total;
    }

    /// <summary>One layer, one step: updates the layer's state and replaces the input with the new hidden state.</summary>
    private static void LayerForward(ReadOnlySpan<double> weights, Span<double> layerState, Span<double> layerInput, Span<double> tape)
    {
        int b = layerInput.Length;
        for (int i = 0; i < b; i++)
        {
            double input = layerInput[i];
            double previous = layerState[i];
            double cellBefore = layerState[b + i];
            double forget = Sigmoid(input * weights[i] + weights[4 * b + i]);
            double inGate = Sigmoid(previous * weights[b + i] + weights[5 * b + i]);
            double outGate = Sigmoid(input * weights[2 * b + i] + weights[6 * b + i]);
            double change = Math.Tanh(previous * weights[3 * b + i] + weights[7 * b + i]);
            double cell = cellBefore * forget + inGate * change;
            double tanhCell = Math.Tanh(cell);
            double output = outGate * tanhCell;
            layerState[b + i] = cell;
            layerState[i] = output;
            layerInput[i] = output;
            tape[SlotInput * b + i] = input;
            tape[SlotPrevious * b + i] = previous;
            tape[SlotCell * b + i] = cellBefore;
            tape[SlotForget * b + i] = forget;
            tape[SlotInGate * b + i] = inGate;
            tape[SlotOutGate * b + i] = outGate;
            tape[SlotChange * b + i] = change;
            tape[SlotTanhCell * b + i] = tanhCell;
        }
    }

    /// <summary>
    /// One layer, one step, in reverse. The adjoint of the new hidden state is what the step above (or the loss)
    /// sent plus what the next time step sent; the carries are replaced by the adjoints of the previous state, and
    /// <paramref name="inputAdjoint"/> by the adjoint of this layer's input. <paramref name="fromAbove"/> may be
    /// <paramref name="inputAdjoint"/> itself: each unit reads its element before writing it.
    /// </summary>
    private static void LayerBackward(
        ReadOnlySpan<double> weights,
        ReadOnlySpan<double> tape,
        ReadOnlySpan<double> fromAbove,
        Span<double> carryHidden,
        Span<double> carryCell,
        Span<double> inputAdjoint,
        Span<double> dWeights)
    {
        int b = carryHidden.Length;
        for (int i = 0; i < b; i++)
        {
            double input = tape[SlotInput * b + i];
            double previous = tape[SlotPrevious * b + i];
            double forget = tape[SlotForget * b + i];
            double inGate = tape[SlotInGate * b + i];
            double outGate = tape[SlotOutGate * b + i];
            double change = tape[SlotChange * b + i];
            double tanhCell = tape[SlotTanhCell * b + i];

            double dOutput = fromAbove[i] + carryHidden[i];
            double dCell = carryCell[i] + dOutput * outGate * (1.0 - tanhCell * tanhCell);
            double zForget = dCell * tape[SlotCell * b + i] * forget * (1.0 - forget);
            double zInGate = dCell * change * inGate * (1.0 - inGate);
            double zOutGate = dOutput * tanhCell * outGate * (1.0 - outGate);
            double zChange = dCell * inGate * (1.0 - change * change);

            dWeights[i] += zForget * input;
            dWeights[4 * b + i] += zForget;
            dWeights[b + i] += zInGate * previous;
            dWeights[5 * b + i] += zInGate;
            dWeights[2 * b + i] += zOutGate * input;
            dWeights[6 * b + i] += zOutGate;
            dWeights[3 * b + i] += zChange * previous;
            dWeights[7 * b + i] += zChange;

            carryCell[i] = dCell * forget;
            carryHidden[i] = zInGate * weights[b + i] + zChange * weights[3 * b + i];
            inputAdjoint[i] = zForget * weights[i] + zOutGate * weights[2 * b + i];
        }
    }

    private static double Sigmoid(double z) => 1.0 / (1.0 + Math.Exp(-z));
}
