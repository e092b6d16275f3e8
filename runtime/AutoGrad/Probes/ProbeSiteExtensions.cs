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
        int n = 0;
        foreach (char c in name)
        {
            if (char.IsLetter(c) && n < buffer.Length)
            {
                buffer[n++] = char.ToLowerInvariant(c);
            }
        }
        ReadOnlySpan<char> key = buffer[..n];
        return key switch
        {
            "sigmoid" or "logistic" => ActivationKind.Sigmoid,
            "tanh" => ActivationKind.Tanh,
            "relu" or "leakyrelu" or "prelu" or "elu" or "selu" or "gelu" or "silu" or "swish" => ActivationKind.Relu,
            _ => ActivationKind.None,
        };
    }
}
