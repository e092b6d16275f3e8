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
    /// False for leaky ReLU and PReLU, the members of ReLU's family whose units cannot die: their slope below zero is a
    /// constant, so the zeros of their weight gradients come from the inputs (one-hot columns). ReLU's derivative is 0
    /// below zero, and GELU's, SiLU's, ELU's and SELU's decay to exactly 0 in float far below it (about -13 for GELU),
    /// so their units can die.
    /// </summary>
    internal static bool UnitsCanDie(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }
        Span<char> buffer = stackalloc char[Math.Min(name.Length, 32)];
        return ParseActivation(name) == ActivationKind.Relu && Key(name, buffer) is not ("leakyrelu" or "prelu");
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
