using AutoGrad.Health;

namespace DigitsTraining;

/// <summary>Where training stood at one step.</summary>
/// <param name="Step">Steps done.</param>
/// <param name="Loss">The last batch's loss.</param>
/// <param name="Status">The monitor's status at that step.</param>
/// <param name="TestAccuracy">Accuracy on the held-out digits.</param>
public sealed record Checkpoint(int Step, double Loss, HealthStatus Status, double TestAccuracy);
