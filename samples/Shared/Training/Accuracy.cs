using System;
using AutoGrad.Samples.Data;

namespace AutoGrad.Samples.Training;

/// <summary>Classification accuracy of a network's logits.</summary>
public static class Accuracy
{
    /// <summary>The fraction of <paramref name="data"/> whose largest logit is at the true label. A row with a NaN
    /// logit counts as wrong: a network that produced NaN has not classified anything.</summary>
    public static double Of(LogitsFunction logits, DigitsSubset data)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(data);
        Tensor z = logits(data.ToTensor());
        int classes = z.Dim(1);
        int correct = 0;
        for (int r = 0; r < data.Count; r++)
        {
            correct += ArgMax(z.Span.Slice(r * classes, classes)) == data.Labels[r] ? 1 : 0;
        }
        return (double)correct / data.Count;
    }

    /// <summary>The index of the largest value, or -1 when any value is NaN.</summary>
    public static int ArgMax(ReadOnlySpan<float> row)
    {
        int best = -1;
        float max = float.NegativeInfinity;
        for (int i = 0; i < row.Length; i++)
        {
            if (float.IsNaN(row[i])) return -1;
            if (best < 0 || row[i] > max)
            {
                best = i;
                max = row[i];
            }
        }
        return best;
    }
}
