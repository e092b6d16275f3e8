namespace AutoGrad.Health;

/// <summary>What the monitor did or asked for at the reported step.</summary>
/// <param name="ClipScale">The factor clipping by global norm scaled the gradients by (1 when it did not).</param>
/// <param name="UpdateSkipped">True when the step's update should be (was) skipped.</param>
/// <param name="ShouldStop">True when training should stop (persistent non-finite values).</param>
/// <param name="ConsecutiveNonFiniteSteps">Non-finite steps in a row.</param>
/// <param name="LossSpike">True while the loss-spike rule holds.</param>
/// <param name="LossWindowMean">The mean loss of the spike window (NaN until it is full).</param>
/// <param name="LossOutliers">Consecutive losses above the spike factor.</param>
/// <param name="ClippedValues">How many gradient values clipping by value clamped (it scales nothing, so
/// <paramref name="ClipScale"/> does not show it).</param>
public sealed record HealthActions(
    double ClipScale,
    bool UpdateSkipped,
    bool ShouldStop,
    int ConsecutiveNonFiniteSteps,
    bool LossSpike,
    double LossWindowMean,
    int LossOutliers,
    long ClippedValues = 0);
