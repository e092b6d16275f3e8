using System;
using AutoGrad.Probes;

namespace AutoGrad.Benchmarks.Networks;

/// <summary>
/// One configuration's data, parameters and gradient buffers, with its two training steps: the generated
/// <c>LossGradient</c> and <see cref="HandWrittenMlpStep"/>. Each step writes its own gradient buffers, so the two
/// can be compared.
/// </summary>
public sealed class NetworkProblem
{
    private readonly HandWrittenMlpStep _handWritten;

    /// <summary>Builds the problem with seeded random inputs, labels and parameters.</summary>
    /// <param name="config">The network and batch.</param>
    /// <param name="seed">The random seed.</param>
    public NetworkProblem(NetworkConfig config, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        var random = new Random(seed);
        X = Tensor.Zeros(config.Batch, config.Widths[0]);
        NetworkParameters.Fill(X, random, 1f);
        Labels = new int[config.Batch];
        for (int i = 0; i < Labels.Length; i++)
        {
            Labels[i] = random.Next(config.Widths[^1]);
        }
        Parameters = NetworkParameters.Initialized(config, random);
        HandWrittenGradients = NetworkParameters.Zeros(config);
        GeneratedGradients = NetworkParameters.Zeros(config);
        _handWritten = new HandWrittenMlpStep(config);
    }

    /// <summary>The configuration.</summary>
    public NetworkConfig Config { get; }

    /// <summary>Inputs, <c>[batch, widths[0]]</c>.</summary>
    public Tensor X { get; }

    /// <summary>One class per row of <see cref="X"/>.</summary>
    public int[] Labels { get; }

    /// <summary>Weights and biases.</summary>
    public NetworkParameters Parameters { get; }

    /// <summary>What <see cref="HandWritten"/> writes.</summary>
    public NetworkParameters HandWrittenGradients { get; }

    /// <summary>What <see cref="Generated"/> writes.</summary>
    public NetworkParameters GeneratedGradients { get; }

    /// <summary>The probe layout of the configuration's generated gradient.</summary>
    public ProbeLayout ProbeLayout => Config.Architecture switch
    {
        NetworkArchitecture.TanhMlp => TanhMlp.LossProbeLayout,
        NetworkArchitecture.ReluMlp => ReluMlp.LossProbeLayout,
        _ => DeepTanhMlp.LossProbeLayout,
    };

    /// <summary>The gradient of layer <paramref name="layer"/>'s output computed by the last <see cref="HandWritten"/> step.</summary>
    internal Tensor HandWrittenOutputGradient(int layer) => _handWritten.OutputGradient(layer);

    /// <summary>One hand-written training step into <see cref="HandWrittenGradients"/>.</summary>
    /// <returns>The loss.</returns>
    public float HandWritten() => _handWritten.Run(Parameters, HandWrittenGradients, X, Labels);

    /// <summary>One generated training step into <see cref="GeneratedGradients"/>.</summary>
    /// <param name="probes">Probe readings to take, or null for none.</param>
    /// <returns>The loss.</returns>
    public float Generated(GradientProbes? probes)
    {
        NetworkParameters p = Parameters, g = GeneratedGradients;
        return Config.Architecture switch
        {
            NetworkArchitecture.TanhMlp => TanhMlp.LossGradient(
                p.W[0], p.B[0], p.W[1], p.B[1], p.W[2], p.B[2], X, Labels, g.W[0], g.B[0], g.W[1], g.B[1], g.W[2], g.B[2], probes),
            NetworkArchitecture.ReluMlp => ReluMlp.LossGradient(
                p.W[0], p.B[0], p.W[1], p.B[1], p.W[2], p.B[2], X, Labels, g.W[0], g.B[0], g.W[1], g.B[1], g.W[2], g.B[2], probes),
            _ => DeepTanhMlp.LossGradient(
                p.HiddenW, p.HiddenB, p.OutW, p.OutB, X, Labels, g.HiddenW, g.HiddenB, g.OutW, g.OutB, probes),
        };
    }
}
