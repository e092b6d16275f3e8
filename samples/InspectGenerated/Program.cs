using AutoGrad.Samples.Cli;

namespace InspectGenerated;

/// <summary>Entry point: <c>dotnet run --project samples/InspectGenerated [-- --out DIR] [--data FILE]</c>.</summary>
public static class Program
{
    /// <summary>Runs the sample; the exit code is 0 when every check held (see <see cref="ExitCodes"/>).</summary>
    public static int Main(string[] args) => SampleCommand.Run(args,
        "Shows where the generated gradient code is, checks a generated gradient against finite differences, and prints a network's probe layout with one step's readings.",
        InspectSample.Run,
        outputs: "the probe layout (Markdown) and a copy of the generated file");
}
