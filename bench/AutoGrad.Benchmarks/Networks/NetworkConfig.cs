using System;
using System.Collections.Generic;
using System.Globalization;

namespace AutoGrad.Benchmarks.Networks;

/// <summary>Which <c>[Differentiable]</c> method a configuration's generated step calls.</summary>
public enum NetworkArchitecture
{
    /// <summary><see cref="TanhMlp.Loss"/>: two tanh layers and an output layer.</summary>
    TanhMlp,

    /// <summary><see cref="ReluMlp.Loss"/>: two ReLU layers and an output layer.</summary>
    ReluMlp,

    /// <summary><see cref="DeepTanhMlp.Loss"/>: 21 tanh layers and an output layer.</summary>
    DeepTanhMlp,
}

/// <summary>
/// One of the five training-step configurations of bench/networks.json (a test keeps the two lists equal).
/// </summary>
/// <param name="Architecture">The network's <c>[Differentiable]</c> method.</param>
/// <param name="Widths">Layer widths from input to output.</param>
/// <param name="Activation">The hidden layers' activation.</param>
/// <param name="Batch">Rows per step.</param>
public sealed record NetworkConfig(NetworkArchitecture Architecture, int[] Widths, FusedActivation Activation, int Batch)
{
    /// <summary>The five configurations, in networks.json's order.</summary>
    public static IReadOnlyList<NetworkConfig> All { get; } =
    [
        new(NetworkArchitecture.TanhMlp, [2, 16, 16, 2], FusedActivation.Tanh, 1),
        new(NetworkArchitecture.ReluMlp, [784, 128, 64, 10], FusedActivation.Relu, 1),
        new(NetworkArchitecture.ReluMlp, [784, 128, 64, 10], FusedActivation.Relu, 64),
        new(NetworkArchitecture.DeepTanhMlp, DeepWidths(), FusedActivation.Tanh, 32),
        new(NetworkArchitecture.ReluMlp, [1024, 1024, 1024, 10], FusedActivation.Relu, 256),
    ];

    /// <summary>
    /// The row key, e.g. <c>784-128-64-10_relu_b64</c>; benchmark rows are <c>mlp_</c> + key, the names in
    /// networks.json. The deep network is written <c>64x21-10</c> rather than listing 23 widths.
    /// </summary>
    public string Key
    {
        get
        {
            string layers = Architecture == NetworkArchitecture.DeepTanhMlp
                ? string.Create(CultureInfo.InvariantCulture, $"{Widths[0]}x{DeepTanhMlp.HiddenLayers}-{Widths[^1]}")
                : string.Join('-', Widths);
            return string.Create(CultureInfo.InvariantCulture, $"{layers}_{Activation.ToString().ToLowerInvariant()}_b{Batch}");
        }
    }

    /// <summary>The number of weight layers (hidden layers plus the output layer).</summary>
    public int Layers => Widths.Length - 1;

    /// <summary>The configuration whose <see cref="Key"/> is <paramref name="key"/>.</summary>
    /// <param name="key">A key such as <c>2-16-16-2_tanh_b1</c>.</param>
    /// <returns>The configuration.</returns>
    public static NetworkConfig Find(string key)
    {
        foreach (NetworkConfig config in All)
        {
            if (config.Key == key)
            {
                return config;
            }
        }
        throw new ArgumentException($"No network configuration '{key}'.", nameof(key));
    }

    /// <inheritdoc/>
    public override string ToString() => Key;

    private static int[] DeepWidths()
    {
        var widths = new int[DeepTanhMlp.HiddenLayers + 2];
        Array.Fill(widths, 64);
        widths[^1] = 10;
        return widths;
    }
}
