using System;

namespace AutoGrad.Probes;

/// <summary>Reads the generator's activation names as the families the health monitor reasons about.</summary>
public static class ProbeSiteExtensions
{
    /// <summary>
    /// The activation family of <paramref name="site"/>: <c>sigmoid</c>/<c>logistic</c> → Sigmoid, <c>tanh</c> →
    /// Tanh, ReLU-like names (<c>relu</c>, <c>leakyrelu</c>, <c>elu</c>, <c>selu</c>, <c>gelu</c>, <c>silu</c>,
    /// <c>swish</c>) → Relu, anything else → None. Case and separators are ignored, so <c>Leaky_ReLU</c> works.
    /// </summary>
    public static ActivationKind ActivationFamily(this ProbeSite site)
    {
        ArgumentNullException.ThrowIfNull(site);
        return ParseActivation(site.Activation);
    }

    /// <summary>Maps an activation name to its family; see <see cref="ActivationFamily"/>.</summary>
    public static ActivationKind ParseActivation(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return ActivationKind.None;
        }
        Span<char> buffer = stackalloc char[Math.Min(name.Length, 32)];
        return Key(name, buffer) switch
        {
            "sigmoid" or "logistic" => ActivationKind.Sigmoid,
            "tanh" => ActivationKind.Tanh,
            "relu" or "leakyrelu" or "prelu" or "elu" or "selu" or "gelu" or "silu" or "swish" => ActivationKind.Relu,
            _ => ActivationKind.None,
        };
    }

    /// <summary>
    /// True for ReLU and GELU, whose units can die: ReLU's derivative is 0 below zero, and GELU's reaches exactly 0 in
    /// float not far below it (about -14). Leaky ReLU and PReLU have a constant slope there, and ELU's, SELU's and
    /// SiLU's derivatives decay but stay above 0 down to about -88, so the zeros of those layers' weight gradients come
    /// from the inputs (one-hot columns), not from dead units.
    /// </summary>
    internal static bool UnitsCanDie(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }
        Span<char> buffer = stackalloc char[Math.Min(name.Length, 32)];
        return Key(name, buffer) is "relu" or "gelu";
    }

    /// <summary>The name's letters, lower case, so <c>Leaky_ReLU</c> reads as <c>leakyrelu</c>.</summary>
    private static ReadOnlySpan<char> Key(string name, Span<char> buffer)
    {
        int n = 0;
        foreach (char c in name)
        {
            if (char.IsLetter(c) && n < buffer.Length)
            {
                buffer[n++] = char.ToLowerInvariant(c);
            }
        }
        return buffer[..n];
    }
}
