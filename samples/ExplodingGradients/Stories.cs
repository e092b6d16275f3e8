using AutoGrad.Health;
using AutoGrad.Init;
using AutoGrad.Samples.Training;

namespace ExplodingGradients;

/// <summary>
/// The two stories as run plans: a broken setup first, then the same setup with one change each. Everything not
/// named in a run's name (data, batches, seeds, optimizer: SGD with momentum 0.9) is the same across a story.
/// </summary>
public static class Stories
{
    /// <summary>Standard deviation of the MLP's "large" initialization: N(0, 0.4²) gives n_in·Var(W) ≈ 10 on 64
    /// inputs, five times what He initialization gives a ReLU layer.</summary>
    public const double LargeStd = 0.4;

    /// <summary>The MLP's high learning rate.</summary>
    public const float HighLearningRate = 0.1f;

    /// <summary>The MLP's lower learning rate.</summary>
    public const float LowLearningRate = 0.001f;

    /// <summary>Global-norm limit of the clipping fixes (Pascanu et al. 2013 clip at a small multiple of a typical norm).</summary>
    public const double ClipNorm = 1;

    /// <summary>Pixels per time step: the recurrent networks read an image as 32 steps of 2 pixels.</summary>
    public const int PixelsPerStep = 2;

    /// <summary>The recurrent story's learning rate.</summary>
    public const float RecurrentLearningRate = 0.05f;

    /// <summary>Run names.</summary>
    public const string MlpBroken = "MLP, N(0, 0.4²) init, lr 0.1", MlpClipped = "MLP + clipping at norm 1",
        MlpXavier = "MLP + Xavier init", MlpLowLr = "MLP + lr 0.001",
        RnnBroken = "vanilla RNN, 32 steps, lr 0.05", RnnClipped = "RNN + clipping at norm 1", Lstm = "LSTM instead of RNN";

    /// <summary>MLP steps per run: 600 by default, 300 with --quick.</summary>
    public static int MlpSteps(bool quick) => quick ? 300 : 600;

    /// <summary>Recurrent steps per run: 800 by default, 300 with --quick.</summary>
    public static int RecurrentSteps(bool quick) => quick ? 300 : 800;

    /// <summary>The MLP story: large initialization and a high learning rate, then clipping, Xavier, a lower rate.</summary>
    public static RunPlan[] Mlp(bool quick)
    {
        WeightInit large = (w, seed) => Initializers.FillNormal(w, LargeStd, seed);
        var broken = new TrainingSettings { Steps = MlpSteps(quick), LearningRate = HighLearningRate };
        return
        [
            new(MlpBroken, () => Models.Mlp(MlpBroken, large), broken),
            new(MlpClipped, () => Models.Mlp(MlpClipped, large), broken with { Health = new HealthOptions { ClipGlobalNorm = ClipNorm } }),
            new(MlpXavier, () => Models.Mlp(MlpXavier, (w, seed) => Initializers.XavierNormal(w, seed)), broken),
            new(MlpLowLr, () => Models.Mlp(MlpLowLr, large), broken with { LearningRate = LowLearningRate }),
        ];
    }

    /// <summary>The recurrent story: a vanilla RNN over long sequences, then clipping, then an LSTM.</summary>
    public static RunPlan[] Recurrent(bool quick)
    {
        // Xavier input and output weights; orthogonal recurrent weights (Saxe et al. 2014), the usual careful start:
        // the explosion comes from the long product over time steps, not from a bad scale.
        var init = new RecurrentInit((w, seed) => Initializers.XavierNormal(w, seed), (w, seed) => Initializers.Orthogonal(w, seed),
            (w, seed) => Initializers.XavierNormal(w, seed));
        var broken = new TrainingSettings { Steps = RecurrentSteps(quick), LearningRate = RecurrentLearningRate };
        return
        [
            new(RnnBroken, () => Models.Rnn(RnnBroken, init, PixelsPerStep), broken),
            new(RnnClipped, () => Models.Rnn(RnnClipped, init, PixelsPerStep), broken with { Health = new HealthOptions { ClipGlobalNorm = ClipNorm } }),
            new(Lstm, () => Models.Lstm(Lstm, init, PixelsPerStep), broken),
        ];
    }
}
