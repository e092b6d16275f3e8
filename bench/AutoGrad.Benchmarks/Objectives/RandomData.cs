using System;

namespace AutoGrad.Benchmarks.Objectives;

/// <summary>Deterministic inputs for the objectives, so every run and every test sees the same numbers.</summary>
public static class RandomData
{
    /// <summary>
    /// <paramref name="count"/> values drawn uniformly from [<paramref name="low"/>, <paramref name="high"/>).
    /// A seeded <see cref="Random"/> uses the same legacy algorithm on every .NET version, so the data is stable.
    /// </summary>
    /// <param name="random">The seeded source; advanced by <paramref name="count"/> draws.</param>
    /// <param name="count">How many values.</param>
    /// <param name="low">The lower bound.</param>
    /// <param name="high">The upper bound.</param>
    /// <returns>A new array.</returns>
    public static double[] Uniform(Random random, int count, double low, double high)
    {
        ArgumentNullException.ThrowIfNull(random);
        double[] values = new double[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = low + (high - low) * random.NextDouble();
        }
        return values;
    }
}
