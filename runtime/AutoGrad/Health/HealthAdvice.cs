namespace AutoGrad.Health;

/// <summary>
/// One piece of advice, with the reading and the threshold that triggered it, so a user can check the claim.
/// </summary>
/// <param name="Subject">What it is about: layer names, "loss", "step".</param>
/// <param name="Trigger">The status word or condition: VANISHING, EXPLODING, NON-FINITE, SATURATED, DEAD, loss spike, update ratio.</param>
/// <param name="Reading">The measured value(s), e.g. <c>‖g_w1‖/‖g_w8‖ = 6.1e-05, ‖g_w1‖ = 3.1e-05</c>.</param>
/// <param name="Threshold">The threshold crossed and its source, e.g. <c>&lt; 1e-3 with ‖g‖ &lt; 1e-4 (AUTOTRAINER)</c>.</param>
/// <param name="Suggestion">What to change.</param>
public sealed record HealthAdvice(string Subject, string Trigger, string Reading, string Threshold, string Suggestion)
{
    /// <inheritdoc />
    public override string ToString() => $"{Subject} {Trigger}: {Reading} ({Threshold}) -> {Suggestion}";
}
