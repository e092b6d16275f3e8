using System;

namespace AutoGrad.Runtime.Tests.Support;

/// <summary>Seeded random inputs, so every failure reproduces.</summary>
internal static class TestRandom
{
    public static float[] Floats(int count, int seed, float scale = 1f)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1) * scale;
        }
        return values;
    }

    public static Tensor Tensor(int seed, params int[] shape) => Tensor(seed, 1f, shape);

    public static Tensor Tensor(int seed, float scale, params int[] shape)
    {
        var t = AutoGrad.Tensor.Zeros(shape);
        Floats(t.Length, seed, scale).CopyTo(t.Span);
        return t;
    }

    public static int[] Labels(int count, int classes, int seed)
    {
        var random = new Random(seed);
        var labels = new int[count];
        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = random.Next(classes);
        }
        return labels;
    }
}
