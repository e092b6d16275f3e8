using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using AutoGrad.Health;
using AutoGrad.Init;
using AutoGrad.Probes;
using AutoGrad.Samples.Cli;
using AutoGrad.Samples.Data;
using Spectre.Console;

namespace InspectGenerated;

/// <summary>
/// Looks at what the generator produced: the files on disk and an excerpt, a scalar gradient against central finite
/// differences, and the probe layout of a small network with the readings of one probed gradient call on the digits.
/// </summary>
public static class InspectSample
{
    /// <summary>Largest relative difference accepted between a double gradient and its finite difference.</summary>
    public const double ScalarTolerance = 1e-6;

    /// <summary>Runs the sample. <c>--quick</c> changes nothing (it takes well under a second); <c>--out</c> receives the
    /// probe layout as Markdown and a copy of the generated file.</summary>
    public static InspectResult Run(SampleOptions options)
    {
        IAnsiConsole console = options.Console;
        DigitsSplit data = DigitsSplit.Create(Digits.Load(options.DataPath));

        console.Write(new Rule("[bold]1. The generated files[/]").LeftJustified());
        string? project = GeneratedFiles.FindProjectDirectory(AppContext.BaseDirectory);
        IReadOnlyList<FileInfo> files = project is null ? [] : GeneratedFiles.Find(project, GeneratedFiles.RunningConfiguration(AppContext.BaseDirectory));
        WriteFiles(console, project, files);

        console.Write(new Rule("[bold]2. A scalar gradient next to finite differences[/]").LeftJustified());
        IReadOnlyList<GradientCheck> checks = ScalarChecks.Run();
        WriteChecks(console, checks);

        console.Write(new Rule("[bold]3. The probe layout of Examples.Classifier, with one step's readings[/]").LeftJustified());
        GradientProbes probes = ProbeOneStep(data);
        WriteLayout(console, probes);

        string output = options.OutputFor("InspectGenerated");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "probe-layout.md"), LayoutMarkdown.Render(probes));
        FileInfo? classifier = files.FirstOrDefault(f => f.Name.EndsWith("Examples.Classifier.AutoGrad.g.cs", StringComparison.Ordinal));
        if (classifier is not null) classifier.CopyTo(Path.Combine(output, classifier.Name), overwrite: true);
        console.MarkupLine($"The probe layout (Markdown) and a copy of the generated file are in [bold]{Markup.Escape(output)}[/]");
        return new InspectResult(output, project, files, checks, probes);
    }

    /// <summary>One probed gradient call of <see cref="Examples.Classifier"/> on 64 training digits.</summary>
    private static GradientProbes ProbeOneStep(DigitsSplit data)
    {
        Tensor w1 = Tensor.Zeros(32, Digits.Features), b1 = Tensor.Zeros(32), w2 = Tensor.Zeros(Digits.Classes, 32), b2 = Tensor.Zeros(Digits.Classes);
        Initializers.HeNormal(w1, seed: 1);
        Initializers.XavierNormal(w2, seed: 2);
        var batches = new BatchSampler(data.Train, batchSize: 64, seed: 1);
        batches.Next();
        var probes = new GradientProbes(Examples.ClassifierProbeLayout);
        Examples.ClassifierGradient(w1, b1, w2, b2, batches.X, batches.Labels,
            Tensor.Zeros(32, Digits.Features), Tensor.Zeros(32), Tensor.Zeros(Digits.Classes, 32), Tensor.Zeros(Digits.Classes), probes);
        return probes;
    }

    private static void WriteFiles(IAnsiConsole console, string? project, IReadOnlyList<FileInfo> files)
    {
        console.MarkupLine("InspectGenerated.csproj sets [bold]<EmitCompilerGeneratedFiles>true</EmitCompilerGeneratedFiles>[/], so the " +
            "compiler writes what the generator produced under [bold]obj/<configuration>/<tfm>/generated/AutoGrad.Generator/[/]: one " +
            "file per [[Differentiable]] method, with {Method}Gradient, {Method}Pullback (scalar methods) and {Method}ProbeLayout.");
        if (project is null)
        {
            console.MarkupLine("[yellow]The project's source folder was not found above the binaries, so the files cannot be listed.[/]");
            return;
        }
        foreach (FileInfo f in files) console.MarkupLine($"  {Markup.Escape(Path.GetRelativePath(project, f.FullName))}");
        FileInfo? classifier = files.FirstOrDefault(f => f.Name.EndsWith("Examples.Classifier.AutoGrad.g.cs", StringComparison.Ordinal));
        if (classifier is null) return;
        console.MarkupLine("The start of the reverse sweep of ClassifierGradient, as generated:");
        foreach (string line in GeneratedExcerpt.ReverseSweep(File.ReadAllLines(classifier.FullName), lines: 14))
        {
            console.MarkupLine($"  [grey]{Markup.Escape(line)}[/]");
        }
    }

    private static void WriteChecks(IAnsiConsole console, IReadOnlyList<GradientCheck> checks)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (string h in new[] { "derivative", "generated", "finite difference", "relative difference" }) table.AddColumn(h);
        foreach (GradientCheck c in checks)
        {
            table.AddRow(Markup.Escape(c.Name), c.Generated.ToString("G10", System.Globalization.CultureInfo.InvariantCulture),
                c.FiniteDifference.ToString("G10", System.Globalization.CultureInfo.InvariantCulture), HealthFormat.Number(c.RelativeDifference));
        }
        console.Write(table);
    }

    private static void WriteLayout(IAnsiConsole console, GradientProbes probes)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (string h in LayoutMarkdown.Headers) table.AddColumn(h);
        foreach (string[] row in LayoutMarkdown.Rows(probes)) table.AddRow(row.Select(Markup.Escape).ToArray());
        console.Write(table);
        console.MarkupLine("Parameter sites hold ∂L/∂w; layer outputs hold ∂L/∂h, the signal on its way back; operation sites are where " +
            "a NaN/∞ is traced to its first op. A HealthMonitor built on this layout groups the sites by depth into layers.");
    }
}
