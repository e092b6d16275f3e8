using AutoGrad.Samples.Data;
using Spectre.Console;

namespace AutoGrad.Samples.Cli;

/// <summary>The options every sample takes, from the command line or from a test.</summary>
public sealed record SampleOptions
{
    /// <summary>Short runs (seconds, for tests and a first look) instead of the full ones.</summary>
    public bool Quick { get; init; }

    /// <summary>Where the SVG charts and HTML reports go; null for the sample's default under <c>out/</c>.</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>The digits file.</summary>
    public string DataPath { get; init; } = Digits.DefaultPath;

    /// <summary>Where the sample writes; tests pass a console over a string.</summary>
    public IAnsiConsole Console { get; init; } = AnsiConsole.Console;

    /// <summary>Where errors go (standard error from the command line, so a pipe of the output does not swallow
    /// them); the output console unless set.</summary>
    public IAnsiConsole? ErrorConsole { get; init; }

    /// <summary><see cref="ErrorConsole"/>, or <see cref="Console"/>.</summary>
    public IAnsiConsole Errors => ErrorConsole ?? Console;

    /// <summary><see cref="OutputDirectory"/>, or <c>out/<paramref name="sample"/></c> under the current directory.</summary>
    public string OutputFor(string sample) =>
        System.IO.Path.GetFullPath(OutputDirectory ?? System.IO.Path.Combine("out", sample));
}
