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

    /// <summary>The generated files under <paramref name="projectDirectory"/>/obj, newest first.</summary>
    public static IReadOnlyList<FileInfo> Find(string projectDirectory)
    {
        string obj = Path.Combine(projectDirectory, "obj");
        if (!Directory.Exists(obj)) return [];
        return new DirectoryInfo(obj).EnumerateFiles("*.AutoGrad.g.cs", SearchOption.AllDirectories)
            .Where(f => f.FullName.Contains(Path.DirectorySeparatorChar + "generated" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .OrderByDescending(f => f.LastWriteTimeUtc)
            .ToList();
    }
}
