using AutoGrad.Samples.Cli;

namespace DigitsTraining;

/// <summary>Entry point: <c>dotnet run --project samples/Digits [-- --quick] [--out DIR] [--data FILE]</c>.</summary>
public static class Program
{
    /// <summary>Runs the sample; the exit code is 0 when it reached its stated accuracy (see <see cref="ExitCodes"/>).</summary>
    public static int Main(string[] args) => SampleCommand.Run(args,
        "Trains a small ReLU network on the handwritten digits with the gradient-health monitor on, to a stated test accuracy.",
        DigitsSample.Run);
}
