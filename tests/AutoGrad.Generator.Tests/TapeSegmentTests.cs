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
}
