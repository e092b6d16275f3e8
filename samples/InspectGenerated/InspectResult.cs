using System.Collections.Generic;
using System.IO;
using System.Linq;
using AutoGrad.Health;
using AutoGrad.Probes;
using AutoGrad.Samples.Cli;

namespace InspectGenerated;

/// <summary>What the sample found, and its checks.</summary>
public sealed class InspectResult : SampleResult
{
    internal InspectResult(string outputDirectory, string? projectDirectory, IReadOnlyList<FileInfo> generatedFiles,
        IReadOnlyList<GradientCheck> checks, GradientProbes probes)
        : base(outputDirectory)
    {
        ProjectDirectory = projectDirectory;
        GeneratedFiles = generatedFiles;
        Checks = checks;
        Probes = probes;
    }

    /// <summary>The sample's source folder, when found.</summary>
    public string? ProjectDirectory { get; }

    /// <summary>The generated files found on disk.</summary>
    public IReadOnlyList<FileInfo> GeneratedFiles { get; }

    /// <summary>The scalar gradient checks.</summary>
    public IReadOnlyList<GradientCheck> Checks { get; }

    /// <summary>The readings of one probed call of <see cref="Examples.Classifier"/>.</summary>
    public GradientProbes Probes { get; }

    /// <inheritdoc />
    public override IReadOnlyList<Claim> Claims
    {
        get
        {
            string[] parameters = ["w1", "b1", "w2", "b2"];
            ProbeLayout layout = Probes.Layout;
            bool named = parameters.All(p => layout.Sites.Any(s => s.Name == p && s.Kind == ProbeKind.Parameter && s.Line > 0));
            bool read = parameters.All(p => Probes.L2(layout.IndexOf(p, ProbeKind.Parameter)) > 0);
            double worst = Checks.Max(c => c.RelativeDifference);
            return
            [
                new("the generated files are on disk", GeneratedFiles.Count >= 2,
                    $"{GeneratedFiles.Count} files under {ProjectDirectory ?? "(source folder not found)"}"),
                new("the generated gradient matches central finite differences", worst < InspectSample.ScalarTolerance,
                    $"largest relative difference {HealthFormat.Number(worst)} (tolerance {HealthFormat.Number(InspectSample.ScalarTolerance)})"),
                new("the probe layout names every parameter with its source line, and one call reads them all", named && read,
                    $"{layout.Count} sites: {string.Join(", ", layout.Sites.Select(s => s.Name))}"),
            ];
        }
    }
}
