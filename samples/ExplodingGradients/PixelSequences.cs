using System;
using AutoGrad.Samples.Data;

namespace ExplodingGradients;

/// <summary>
/// A batch of digits read as sequences: step t holds pixels [t·k, (t+1)·k) of every image, row by row, so an image
/// of 64 pixels becomes 64/k steps of k inputs. The step tensors are allocated once per batch size and refilled.
/// </summary>
public sealed class PixelSequences
{
    /// <summary>Allocates the steps for batches of <paramref name="batch"/> images, <paramref name="pixelsPerStep"/> pixels a step.</summary>
    public PixelSequences(int batch, int pixelsPerStep)
    {
        if (pixelsPerStep < 1 || Digits.Features % pixelsPerStep != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(pixelsPerStep), pixelsPerStep, $"Must divide {Digits.Features}.");
        }
        PixelsPerStep = pixelsPerStep;
        Steps = new Tensor[Digits.Features / pixelsPerStep];
        for (int t = 0; t < Steps.Length; t++) Steps[t] = Tensor.Zeros(batch, pixelsPerStep);
    }

    /// <summary>Inputs per step.</summary>
    public int PixelsPerStep { get; }

    /// <summary>The step tensors, <c>[batch, PixelsPerStep]</c> each.</summary>
    public Tensor[] Steps { get; }

    /// <summary>Sequence length.</summary>
    public int Length => Steps.Length;

    /// <summary>Copies the images of <paramref name="x"/> (<c>[batch, 64]</c>) into the steps.</summary>
    public PixelSequences Fill(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        int batch = Steps[0].Dim(0), k = PixelsPerStep;
        if (x.Dim(0) != batch) throw new ArgumentException($"Expected {batch} images, got {x.Dim(0)}.", nameof(x));
        ReadOnlySpan<float> source = x.Span;
        for (int t = 0; t < Steps.Length; t++)
        {
            Span<float> step = Steps[t].Span;
            for (int r = 0; r < batch; r++)
            {
                source.Slice(r * Digits.Features + t * k, k).CopyTo(step.Slice(r * k, k));
            }
        }
        return this;
    }
}
