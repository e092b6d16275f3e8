using AutoGrad.Samples.Cli;

namespace ExplodingGradients;

/// <summary>Entry point: <c>dotnet run --project samples/ExplodingGradients [-- --quick] [--out DIR] [--data FILE]</c>.</summary>
public static class Program
{
    /// <summary>Runs the sample; the exit code is 0 when every claim held (see <see cref="ExitCodes"/>).</summary>
    public static int Main(string[] args) => SampleCommand.Run(args,
        "Makes gradients explode in an MLP and a vanilla RNN, lets the health monitor say where and why, and shows the fixes side by side.",
        ExplodingSample.Run);
}
