using AutoGrad.Init;
using AutoGrad.Samples.Data;
using AutoGrad.Samples.Training;

namespace VanishingGradients;

/// <summary>The four ways to build the 20-layer network, each a generated gradient plus an initialization.</summary>
public static class Variants
{
    /// <summary>Standard deviation of the "small" initialization: N(0, 0.01²), a common default in older code.
    /// With 64 inputs, n_in·Var(W) = 0.0064, far below the 1 that keeps a signal's scale.</summary>
    public const double SmallStd = 0.01;

    /// <summary>Seed of the weights (layer l uses Seed + l): every run starts from the same random numbers.</summary>
    public const ulong Seed = 100;

    private static int[] Sizes => LayerStack.Sizes(Digits.Features, DeepNets.Width, DeepNets.Layers - 1, Digits.Classes);

    /// <summary>Sigmoid layers, N(0, 0.01²) weights.</summary>
    public static Classifier SigmoidSmallInit(string name)
    {
        var s = new LayerStack(Sizes, (w, seed) => Initializers.FillNormal(w, SmallStd, seed), Seed);
        return new Classifier(name, DeepNets.SigmoidNetProbeLayout, s.Parameters,
            (x, labels, probes) => DeepNets.SigmoidNetGradient(s.W, s.B, x, labels, s.DW, s.DB, probes),
            x => DeepNets.SigmoidLogits(s.W, s.B, x));
    }

    /// <summary>Tanh layers, Xavier/Glorot normal weights.</summary>
    public static Classifier TanhXavier(string name)
    {
        var s = new LayerStack(Sizes, (w, seed) => Initializers.XavierNormal(w, seed), Seed);
        return new Classifier(name, DeepNets.TanhNetProbeLayout, s.Parameters,
            (x, labels, probes) => DeepNets.TanhNetGradient(s.W, s.B, x, labels, s.DW, s.DB, probes),
            x => DeepNets.TanhLogits(s.W, s.B, x));
    }

    /// <summary>ReLU layers, He/Kaiming normal weights.</summary>
    public static Classifier ReluHe(string name)
    {
        var s = new LayerStack(Sizes, (w, seed) => Initializers.HeNormal(w, seed), Seed);
        return new Classifier(name, DeepNets.ReluNetProbeLayout, s.Parameters,
            (x, labels, probes) => DeepNets.ReluNetGradient(s.W, s.B, x, labels, s.DW, s.DB, probes),
            x => DeepNets.ReluLogits(s.W, s.B, x));
    }

    /// <summary>The sigmoid layers and small initialization of <see cref="SigmoidSmallInit"/>, with skip connections.</summary>
    public static Classifier ResidualSmallInit(string name)
    {
        var s = new LayerStack(Sizes, (w, seed) => Initializers.FillNormal(w, SmallStd, seed), Seed);
        return new Classifier(name, DeepNets.ResidualNetProbeLayout, s.Parameters,
            (x, labels, probes) => DeepNets.ResidualNetGradient(s.W, s.B, x, labels, s.DW, s.DB, probes),
            x => DeepNets.ResidualLogits(s.W, s.B, x));
    }
}
