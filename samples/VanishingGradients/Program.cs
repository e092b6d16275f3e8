using AutoGrad.Samples.Cli;

namespace VanishingGradients;

/// <summary>Entry point: <c>dotnet run --project samples/VanishingGradients [-- --quick] [--out DIR] [--data FILE]</c>.</summary>
public static class Program
{
    /// <summary>Runs the sample; the exit code is 0 when every claim held (see <see cref="ExitCodes"/>).</summary>
    public static int Main(string[] args) => SampleCommand.Run(args,
        "Trains one 20-layer network on the handwritten digits four ways and lets the gradient-health monitor say which ways fail, where and why.",
        VanishingSample.Run);
}
