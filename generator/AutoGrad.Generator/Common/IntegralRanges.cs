using System.Collections.Generic;
using System.Numerics;

namespace AutoGrad.Generator.Common;

/// <summary>The values each C# integral type holds, by the type's keyword.</summary>
internal static class IntegralRanges
{
    private static readonly Dictionary<string, (BigInteger Min, BigInteger Max)> Ranges = new()
    {
        ["int"] = (int.MinValue, int.MaxValue),
        ["uint"] = (uint.MinValue, uint.MaxValue),
        ["long"] = (long.MinValue, long.MaxValue),
        ["ulong"] = (ulong.MinValue, ulong.MaxValue),
        ["short"] = (short.MinValue, short.MaxValue),
        ["ushort"] = (ushort.MinValue, ushort.MaxValue),
        ["byte"] = (byte.MinValue, byte.MaxValue),
        ["sbyte"] = (sbyte.MinValue, sbyte.MaxValue),
        ["char"] = (char.MinValue, (int)char.MaxValue),
        // What every platform holds: a value beyond it is not a constant the generator may fold.
        ["nint"] = (int.MinValue, int.MaxValue),
        ["nuint"] = (uint.MinValue, uint.MaxValue),
    };

    /// <summary>The range of the type spelled <paramref name="keyword"/>, or null when it is not integral.</summary>
    public static (BigInteger Min, BigInteger Max)? Of(string keyword) => Ranges.TryGetValue(keyword, out var range) ? range : null;

    /// <summary>Whether <paramref name="value"/> lies in <paramref name="range"/>.</summary>
    public static bool Holds(this (BigInteger Min, BigInteger Max) range, BigInteger value) => value >= range.Min && value <= range.Max;
}
