using System;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using Xunit;

namespace AutoGrad.Generator.Tests.Infrastructure;

/// <summary>
/// The generated source of one method from a file of tests/AutoGrad.Tests/Scalar, whose methods AutoGrad.Tests checks
/// against finite differences: generator tests then check the shape of code whose values are checked there.
/// </summary>
internal static class ScalarTestSources
{
    /// <summary>Runs the generator on <paramref name="file"/> (which must compile cleanly with its output) and returns
    /// the source generated for <paramref name="type"/>.<paramref name="method"/>.</summary>
    public static string Generated(string file, string type, string method)
    {
        GeneratorRunner.Result result = GeneratorRunner.Run(File.ReadAllText(PathOf(file)));
        Assert.True(result.GeneratorDiagnostics.IsEmpty, GeneratorRunner.Describe(result.GeneratorDiagnostics));
        Assert.True(result.CompilationDiagnostics.IsEmpty, GeneratorRunner.Describe(result.CompilationDiagnostics));
        return result.Sources.Single(s => s.HintName.EndsWith(type + "." + method + ".AutoGrad.g.cs", StringComparison.Ordinal)).Text;
    }

    private static string PathOf(string file, [CallerFilePath] string here = "") =>
        Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "AutoGrad.Tests", "Scalar", file);
}
