using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace InspectGenerated;

/// <summary>
/// Finds the files the generator wrote for this project. With <c>EmitCompilerGeneratedFiles</c> on, the compiler
/// writes them under <c>obj/&lt;configuration&gt;/&lt;tfm&gt;/generated/AutoGrad.Generator/AutoGrad.Generator.DifferentiableGenerator/</c>,
/// one <c>{Namespace}.{Type}.{Method}.AutoGrad.g.cs</c> per differentiable method.
/// </summary>
public static class GeneratedFiles
{
    /// <summary>The project file this sample looks for, walking up from its binaries.</summary>
    public const string ProjectFile = "InspectGenerated.csproj";

    /// <summary>The folder with this project's source (found by walking up from <paramref name="start"/> to a folder
    /// holding <see cref="ProjectFile"/>, directly or under <c>samples/InspectGenerated</c>), or null.</summary>
    public static string? FindProjectDirectory(string start)
    {
        for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, ProjectFile))) return dir.FullName;
            string nested = Path.Combine(dir.FullName, "samples", "InspectGenerated");
            if (File.Exists(Path.Combine(nested, ProjectFile))) return nested;
        }
        return null;
    }

    /// <summary>
    /// The generated files under <paramref name="projectDirectory"/>/obj, newest first; only those of
    /// <paramref name="configuration"/> when it is given and was built (another configuration's files may be stale).
    /// </summary>
    public static IReadOnlyList<FileInfo> Find(string projectDirectory, string? configuration = null)
    {
        string obj = Path.Combine(projectDirectory, "obj");
        if (configuration is not null && Directory.Exists(Path.Combine(obj, configuration))) obj = Path.Combine(obj, configuration);
        if (!Directory.Exists(obj)) return [];
        return new DirectoryInfo(obj).EnumerateFiles("*.AutoGrad.g.cs", SearchOption.AllDirectories)
            .Where(f => f.FullName.Contains(Path.DirectorySeparatorChar + "generated" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .OrderByDescending(f => f.LastWriteTimeUtc)
            .ToList();
    }

    /// <summary>The configuration this program was built in: the folder above its target framework's, <c>bin/Release/net10.0</c>.</summary>
    public static string RunningConfiguration(string baseDirectory) =>
        Path.GetFileName(Path.GetDirectoryName(baseDirectory.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar))) ?? string.Empty;
}
