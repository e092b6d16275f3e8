using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using AutoGrad.Generator.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Generator.Tests;

/// <summary>
/// The workspace the generator plans: an adjoint buffer dies once the reverse sweep has handed it on, so a variable
/// reassigned in every copy of an unrolled layer loop needs two adjoint slots, not one per layer. The methods are the
/// ones AutoGrad.Tests checks against finite differences and the scalar engine.
/// </summary>
public class WorkspaceTests
{
    [Theory]
    [InlineData("Networks.cs", "Mlp.Deep")]             // 20 unrolled residual layers
    [InlineData("Networks.cs", "DeepSigmoid.Loss")]     // 8 unrolled layers
    [InlineData("ReassignedVariables.cs", "Reassigned.Loss")]
    public void AReassignedVariableKeepsTwoAdjointSlots(string file, string method)
    {
        GeneratorRunner.Result result = GeneratorRunner.Run(File.ReadAllText(TensorTestSource(file)));
        Assert.True(result.GeneratorDiagnostics.IsEmpty, GeneratorRunner.Describe(result.GeneratorDiagnostics));
        string text = result.Sources.Single(s => s.HintName.EndsWith("." + method + ".AutoGrad.g.cs", System.StringComparison.Ordinal)).Text;

        var slots = Regex.Matches(text, @"AdjointSlot (Before\w*) = new\(\);").Select(m => m.Groups[1].Value).ToArray();

        Assert.Equal(new[] { "BeforeA_h", "BeforeB_h" }, slots);
    }

    private static string TensorTestSource(string file, [CallerFilePath] string here = "") =>
        Path.Combine(Path.GetDirectoryName(here)!, "..", "AutoGrad.Tests", "Tensors", file);
}
