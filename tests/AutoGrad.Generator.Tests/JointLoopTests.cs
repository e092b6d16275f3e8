using System.Text.RegularExpressions;
using AutoGrad.Generator.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Generator.Tests;

/// <summary>
/// Which loops run each iteration's reverse sweep right after its forward sweep. The methods are the ones
/// AutoGrad.Tests checks against finite differences (tests/AutoGrad.Tests/Scalar/JointLoops.cs), so a loop that
/// wrongly runs jointly fails there, and one that stops running jointly fails here.
/// </summary>
public class JointLoopTests
{
    private const string Marker = "each iteration's reverse sweep runs right after it";

    [Theory]
    [InlineData("MeanSquaredError", 1)]
    [InlineData("ThroughIntermediate", 1)]
    [InlineData("NonLinearTail", 0)]
    [InlineData("ReadValueOverwrittenAfter", 0)]
    [InlineData("CarriedCounter", 0)]
    [InlineData("CarriedProduct", 0)]
    [InlineData("ScratchPerIteration", 1)]
    [InlineData("TwoLoops", 1)]
    [InlineData("FloatWithBreak", 1)]
    [InlineData("FloatWithBranch", 1)]
    [InlineData("GuardedSum", 1)]
    [InlineData("DataAndPenalty", 2)]
    [InlineData("ReassignedLocals", 1)]
    [InlineData("BranchThenNonLinear", 0)]
    [InlineData("While", 1)]
    [InlineData("DoWhile", 1)]
    [InlineData("SliceWrittenAfter", 0)]
    [InlineData("ViewIncrementedAfter", 0)]
    [InlineData("AliasIncrementedAfter", 0)]
    [InlineData("ViewReadArrayWrittenAfter", 0)]
    [InlineData("CoefficientChangedThroughView", 0)]
    public void LoopsThatRunJointly(string method, int jointLoops)
    {
        string text = ScalarTestSources.Generated("JointLoops.cs", "JointLoops", method);
        Assert.Equal(jointLoops, Regex.Matches(text, Regex.Escape(Marker)).Count);
    }

    [Fact]
    public void TheAccumulatorsAdjointIsComputedBeforeTheLoop()
    {
        string text = ScalarTestSources.Generated("JointLoops.cs", "JointLoops", "ThroughIntermediate");
        // mean = -s / n + 2.0 * t; result = 3.0 * mean + scale * mean + ...: both adjoints go through mean's.
        Assert.Contains("double _d_s_ahead = -1.0 / (double)n * ((3.0 + scale) * dResult);", text);
        Assert.Contains("double _d_t_ahead = 2.0 * ((3.0 + scale) * dResult);", text);
    }
}
