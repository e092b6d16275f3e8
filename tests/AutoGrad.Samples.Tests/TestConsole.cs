using System;
using System.IO;
using AutoGrad.Samples.Cli;
using Spectre.Console;

namespace AutoGrad.Samples.Tests;

/// <summary>Sample options for a test: quick runs, a console captured in a string, a fresh output folder.</summary>
internal sealed class TestRun
{
    private readonly StringWriter _text = new();

    public TestRun(string sample)
    {
        Output = Path.Combine(Path.GetTempPath(), "autograd-samples-tests", sample + "-" + Guid.NewGuid().ToString("N")[..8]);
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(_text),
        });
        Console.Profile.Width = SampleCommand.RedirectedWidth;
    }

    public IAnsiConsole Console { get; }

    public string Output { get; }

    public SampleOptions Options(string? dataPath = null) => new()
    {
        Quick = true,
        OutputDirectory = Output,
        Console = Console,
        DataPath = dataPath ?? Data.Digits.DefaultPath,
    };

    /// <summary>Everything the sample printed.</summary>
    public string Text => _text.ToString();
}
