using System;
using System.Globalization;
using AutoGrad.Optim;

namespace AutoGrad.Samples.Training;

/// <summary>How a layer's weight is initialized: fills <c>weight</c> ([out, in]) deterministically from <c>seed</c>.</summary>
public delegate void WeightInit(Tensor weight, ulong seed);

/// <summary>
/// The weights and biases of a stack of fully connected layers as the <c>Tensor[] w, Tensor[] b</c> a
/// <c>[Differentiable]</c> network takes, with their gradient tensors, and a <see cref="ParameterList"/> whose names
/// (<c>w[3]</c>, <c>b[3]</c>) are the probe layout's, so the health monitor can match layers to weights.
/// </summary>
public sealed class LayerStack
{
    /// <summary>Creates layer l mapping <c>sizes[l]</c> inputs to <c>sizes[l + 1]</c> outputs; biases start at zero.</summary>
    /// <param name="sizes">Input size, then every layer's output size.</param>
    /// <param name="init">Initializer of every weight.</param>
    /// <param name="seed">Layer l's weight uses seed + l.</param>
    public LayerStack(int[] sizes, WeightInit init, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        ArgumentNullException.ThrowIfNull(init);
        if (sizes.Length < 2) throw new ArgumentException("Needs an input size and at least one layer.", nameof(sizes));
        int layers = sizes.Length - 1;
        W = new Tensor[layers];
        B = new Tensor[layers];
        DW = new Tensor[layers];
        DB = new Tensor[layers];
        Parameters = new ParameterList();
        for (int l = 0; l < layers; l++)
        {
            W[l] = Tensor.Zeros(sizes[l + 1], sizes[l]);
            init(W[l], seed + (ulong)l);
            B[l] = Tensor.Zeros(sizes[l + 1]);
            DW[l] = Tensor.Zeros(sizes[l + 1], sizes[l]);
            DB[l] = Tensor.Zeros(sizes[l + 1]);
            string index = l.ToString(CultureInfo.InvariantCulture);
            Parameters.Add($"w[{index}]", W[l], DW[l]);
            Parameters.Add($"b[{index}]", B[l], DB[l]);
        }
    }

    /// <summary>Weights, <c>[out, in]</c> per layer.</summary>
    public Tensor[] W { get; }

    /// <summary>Biases, <c>[out]</c> per layer.</summary>
    public Tensor[] B { get; }

    /// <summary>Gradients of the weights (written by the generated gradient).</summary>
    public Tensor[] DW { get; }

    /// <summary>Gradients of the biases.</summary>
    public Tensor[] DB { get; }

    /// <summary>All of the above, named as the probe layout names them.</summary>
    public ParameterList Parameters { get; }

    /// <summary>Layer sizes for <paramref name="hidden"/> layers of <paramref name="width"/> units between
    /// <paramref name="inputs"/> and <paramref name="outputs"/>.</summary>
    public static int[] Sizes(int inputs, int width, int hidden, int outputs)
    {
        var sizes = new int[hidden + 2];
        sizes[0] = inputs;
        for (int l = 1; l <= hidden; l++) sizes[l] = width;
        sizes[^1] = outputs;
        return sizes;
    }
}
