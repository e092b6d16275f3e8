using System;

namespace AutoGrad.Benchmarks.Networks;

/// <summary>
/// A network's weights and biases (or their gradients), one <c>[out, in]</c> weight and one <c>[out]</c> bias per
/// layer. The hidden layers are also kept as their own arrays, built once, because the deep network's generated
/// step takes them apart from the output layer and must not allocate per call.
/// </summary>
public sealed class NetworkParameters
{
    private NetworkParameters(Tensor[] w, Tensor[] b)
    {
        W = w;
        B = b;
        HiddenW = w[..^1];
        HiddenB = b[..^1];
    }

    /// <summary>Weights, input layer first.</summary>
    public Tensor[] W { get; }

    /// <summary>Biases, input layer first.</summary>
    public Tensor[] B { get; }

    /// <summary>The weights of every layer but the output layer.</summary>
    public Tensor[] HiddenW { get; }

    /// <summary>The biases of every layer but the output layer.</summary>
    public Tensor[] HiddenB { get; }

    /// <summary>The output layer's weights.</summary>
    public Tensor OutW => W[^1];

    /// <summary>The output layer's bias.</summary>
    public Tensor OutB => B[^1];

    /// <summary>Zeros shaped for <paramref name="config"/>: gradient buffers.</summary>
    /// <param name="config">The network.</param>
    /// <returns>The tensors.</returns>
    public static NetworkParameters Zeros(NetworkConfig config) => Create(config, null);

    /// <summary>
    /// PyTorch's default <c>nn.Linear</c> initialization: weights and biases uniform in ±1/√fan-in, so activations
    /// and gradients stay in the normal float range through all layers, as in a real training step.
    /// </summary>
    /// <param name="config">The network.</param>
    /// <param name="random">The source of the values.</param>
    /// <returns>The tensors.</returns>
    public static NetworkParameters Initialized(NetworkConfig config, Random random) => Create(config, random);

    private static NetworkParameters Create(NetworkConfig config, Random? random)
    {
        int layers = config.Layers;
        var w = new Tensor[layers];
        var b = new Tensor[layers];
        for (int l = 0; l < layers; l++)
        {
            int inputs = config.Widths[l], outputs = config.Widths[l + 1];
            float bound = 1f / MathF.Sqrt(inputs);
            w[l] = Tensor.Zeros(outputs, inputs);
            b[l] = Tensor.Zeros(outputs);
            if (random is not null)
            {
                Fill(w[l], random, bound);
                Fill(b[l], random, bound);
            }
        }
        return new NetworkParameters(w, b);
    }

    /// <summary>Fills <paramref name="tensor"/> uniformly in [−bound, bound].</summary>
    /// <param name="tensor">The tensor to overwrite.</param>
    /// <param name="random">The source of the values.</param>
    /// <param name="bound">The largest magnitude.</param>
    internal static void Fill(Tensor tensor, Random random, float bound)
    {
        Span<float> values = tensor.Span;
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = ((float)random.NextDouble() * 2f - 1f) * bound;
        }
    }
}
