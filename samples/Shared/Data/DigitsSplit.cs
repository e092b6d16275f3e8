using System;
using System.Collections.Generic;
using AutoGrad.Init;

namespace AutoGrad.Samples.Data;

/// <summary>
/// A seeded, stratified train/test split: each digit's images are shuffled with <see cref="InitRandom"/> (the same
/// on every machine) and the first <c>testFraction</c> of them go to the test set, so both sets keep the classes'
/// proportions and every run of a sample sees the same split.
/// </summary>
public sealed class DigitsSplit
{
    private DigitsSplit(DigitsSubset train, DigitsSubset test)
    {
        Train = train;
        Test = test;
    }

    /// <summary>The training images.</summary>
    public DigitsSubset Train { get; }

    /// <summary>The held-out images, used only to report accuracy.</summary>
    public DigitsSubset Test { get; }

    /// <summary>Splits <paramref name="digits"/>.</summary>
    /// <param name="digits">The loaded data.</param>
    /// <param name="testFraction">Share of each class held out, in (0, 1).</param>
    /// <param name="seed">Seed of the shuffle.</param>
    public static DigitsSplit Create(Digits digits, double testFraction = 0.2, ulong seed = 20240501)
    {
        ArgumentNullException.ThrowIfNull(digits);
        if (!(testFraction > 0 && testFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "Must be between 0 and 1.");
        }
        var byClass = new List<int>[Digits.Classes];
        for (int c = 0; c < byClass.Length; c++) byClass[c] = new List<int>();
        ReadOnlySpan<int> labels = digits.Labels.Span;
        for (int i = 0; i < labels.Length; i++) byClass[labels[i]].Add(i);

        var random = new InitRandom(seed);
        var train = new List<int>();
        var test = new List<int>();
        foreach (List<int> members in byClass)
        {
            int[] shuffled = members.ToArray();
            Shuffle(shuffled, random);
            int held = (int)Math.Round(shuffled.Length * testFraction);
            test.AddRange(shuffled.AsSpan(0, held));
            train.AddRange(shuffled.AsSpan(held));
        }
        // Interleave the classes again, so a prefix of either set is not all zeros.
        int[] trainRows = train.ToArray(), testRows = test.ToArray();
        Shuffle(trainRows, random);
        Shuffle(testRows, random);
        return new DigitsSplit(Subset(digits, trainRows), Subset(digits, testRows));
    }

    /// <summary>Fisher–Yates with the given generator.</summary>
    internal static void Shuffle(Span<int> items, InitRandom random)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = (int)(random.NextUInt64() % (ulong)(i + 1));
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static DigitsSubset Subset(Digits digits, int[] rows)
    {
        var features = new float[rows.Length * Digits.Features];
        var labels = new int[rows.Length];
        ReadOnlySpan<byte> pixels = digits.Pixels.Span;
        for (int r = 0; r < rows.Length; r++)
        {
            ReadOnlySpan<byte> source = pixels.Slice(rows[r] * Digits.Features, Digits.Features);
            Span<float> target = features.AsSpan(r * Digits.Features, Digits.Features);
            for (int i = 0; i < Digits.Features; i++) target[i] = source[i] / (float)Digits.MaxPixel;
            labels[r] = digits.Labels.Span[rows[r]];
        }
        return new DigitsSubset(features, labels);
    }
}
