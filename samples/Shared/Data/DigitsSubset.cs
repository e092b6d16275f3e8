using System;

namespace AutoGrad.Samples.Data;

/// <summary>Some of the digits, as network inputs: pixels scaled to [0, 1] (value / 16), row-major, with labels.</summary>
public sealed class DigitsSubset
{
    private readonly float[] _features;
    private readonly int[] _labels;

    internal DigitsSubset(float[] features, int[] labels)
    {
        _features = features;
        _labels = labels;
    }

    /// <summary>Number of images.</summary>
    public int Count => _labels.Length;

    /// <summary>The scaled pixels, <see cref="Count"/> × <see cref="Digits.Features"/>.</summary>
    public ReadOnlySpan<float> Features => _features;

    /// <summary>The labels.</summary>
    public ReadOnlySpan<int> Labels => _labels;

    /// <summary>The pixels of image <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> Image(int index) => _features.AsSpan(index * Digits.Features, Digits.Features);

    /// <summary>All images as one tensor <c>[Count, 64]</c> (a copy).</summary>
    public Tensor ToTensor() => Tensor.FromValues(_features, Count, Digits.Features);

    /// <summary>A copy of the labels.</summary>
    public int[] LabelArray() => (int[])_labels.Clone();
}
