using System;
using System.Linq;
using System.Text.RegularExpressions;
using AutoGrad.Generator.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Generator.Tests;

/// <summary>
/// Which counted loops write a tape through a span reserved before them (Differentiation/TapeSegments.cs). The
/// methods are the ones AutoGrad.Tests checks against finite differences (tests/AutoGrad.Tests/Scalar/TapeSegments.cs),
/// so a wrong span fails there, and a lost one fails here.
/// </summary>
public class TapeSegmentTests
{
    [Theory]
    [InlineData("TwoPerIteration", 1, 3)]  // the branch tape; h is saved 2 or 3 times an iteration
    [InlineData("BothArmsSave", 2, 0)]
    [InlineData("NestedOnOneTape", 1, 1)]  // the inner loop; the outer one shares its tape
    [InlineData("DownwardByTwo", 1, 0)]
    [InlineData("UntilSmall", 0, 1)]       // a while loop: its trip count is known only after it
    [InlineData("TwoLoopsOneTape", 2, 0)]
    public void LoopsThatGetASpan(string method, int spans, int pushes)
    {
        string text = ScalarTestSources.Generated("TapeSegments.cs", "TapeSegments", method);
        Assert.Equal(spans, Regex.Matches(text, @"\.Reserve\(").Count);
        Assert.Equal(spans, Regex.Matches(text, @"\.PopSpan\(").Count);
        Assert.Equal(pushes, Regex.Matches(text, @"\.Push\(").Count);
        Assert.Equal(pushes, Regex.Matches(text, @"_tape_\w+\.Pop\(\)").Count);
    }

    /// <summary>
    /// Review helper-58: with '&lt;=' the last counter value is the bound itself, so a stride of 100 from a bound of
    /// 2147483548 wraps; such a loop counts its trips (a span reserved from a formula was overrun).
    /// </summary>
    [Theory]
    [InlineData("for (int i = a; i <= 2147483548; i += 100)", false)]
    [InlineData("for (int i = a; i >= -2147483549; i -= 100)", false)]
    [InlineData("for (int i = a; i <= 2147483547; i += 100)", true)]
    [InlineData("for (int i = a; i < 2147483548; i += 100)", true)]
    public void AStridedLoopNearIntsLimitIsCountedOnlyWhenItCannotWrap(string header, bool counted)
    {
        GeneratorRunner.Result result = GeneratorRunner.Run("using System;\nusing AutoGrad;\npublic static partial class S { [Differentiable] public static double W(double[] w, int a) { double s = 0.5; " +
            header + " s = Math.Sin(s + w[0]); return s; } }");
        Assert.True(result.GeneratorDiagnostics.IsEmpty, GeneratorRunner.Describe(result.GeneratorDiagnostics));
        string text = result.Sources.Single().Text;
        Assert.Equal(counted, text.Contains(".Reserve(", StringComparison.Ordinal));
        Assert.Equal(!counted, text.Contains("_iterations", StringComparison.Ordinal));
    }
}
