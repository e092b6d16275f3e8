using AutoGrad.Optim;

namespace ExplodingGradients;

/// <summary>How a recurrent model's initial weights are drawn: input, recurrent and output weights.</summary>
/// <param name="Input">Fills Wx.</param>
/// <param name="Recurrent">Fills Wh.</param>
/// <param name="Output">Fills Wo.</param>
public sealed record RecurrentInit(AutoGrad.Samples.Training.WeightInit Input, AutoGrad.Samples.Training.WeightInit Recurrent,
    AutoGrad.Samples.Training.WeightInit Output);

/// <summary>
/// The parameters of <see cref="ExplodingNets.Rnn"/> or <see cref="ExplodingNets.Lstm"/> (gates = 1 or 4), with
/// gradients, named as the probe layout names them (<c>wx</c>, <c>wh</c>, <c>b</c>, <c>wo</c>, <c>bo</c>).
/// </summary>
public sealed class RecurrentModel
{
    /// <summary>Creates the weights; biases start at zero.</summary>
    public RecurrentModel(int inputs, int hidden, int outputs, int gates, RecurrentInit init, ulong seed)
    {
        Hidden = hidden;
        Wx = Tensor.Zeros(gates * hidden, inputs);
        Wh = Tensor.Zeros(gates * hidden, hidden);
        B = Tensor.Zeros(gates * hidden);
        Wo = Tensor.Zeros(outputs, hidden);
        Bo = Tensor.Zeros(outputs);
        init.Input(Wx, seed);
        init.Recurrent(Wh, seed + 1);
        init.Output(Wo, seed + 2);
        DWx = Tensor.Zeros(gates * hidden, inputs);
        DWh = Tensor.Zeros(gates * hidden, hidden);
        DB = Tensor.Zeros(gates * hidden);
        DWo = Tensor.Zeros(outputs, hidden);
        DBo = Tensor.Zeros(outputs);
        Parameters = new ParameterList { { "wx", Wx, DWx }, { "wh", Wh, DWh }, { "b", B, DB }, { "wo", Wo, DWo }, { "bo", Bo, DBo } };
    }

    /// <summary>Hidden units.</summary>
    public int Hidden { get; }

    /// <summary>Input weights, <c>[gates·hidden, inputs]</c>.</summary>
    public Tensor Wx { get; }

    /// <summary>Recurrent weights, <c>[gates·hidden, hidden]</c>.</summary>
    public Tensor Wh { get; }

    /// <summary>Cell bias, <c>[gates·hidden]</c>.</summary>
    public Tensor B { get; }

    /// <summary>Output weights, <c>[outputs, hidden]</c>.</summary>
    public Tensor Wo { get; }

    /// <summary>Output bias, <c>[outputs]</c>.</summary>
    public Tensor Bo { get; }

    /// <summary>Gradient of <see cref="Wx"/>.</summary>
    public Tensor DWx { get; }

    /// <summary>Gradient of <see cref="Wh"/>.</summary>
    public Tensor DWh { get; }

    /// <summary>Gradient of <see cref="B"/>.</summary>
    public Tensor DB { get; }

    /// <summary>Gradient of <see cref="Wo"/>.</summary>
    public Tensor DWo { get; }

    /// <summary>Gradient of <see cref="Bo"/>.</summary>
    public Tensor DBo { get; }

    /// <summary>All parameters with their gradients.</summary>
    public ParameterList Parameters { get; }
}
