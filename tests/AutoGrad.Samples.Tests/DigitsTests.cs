using AutoGrad.Health;
using DigitsTraining;
using Xunit;

namespace AutoGrad.Samples.Tests;

public sealed class DigitsFixture() : SampleFixture<DigitsResult>("digits", DigitsSample.Run);

[Collection(SampleCollection.Name)]
public class DigitsTests(DigitsFixture fixture) : IClassFixture<DigitsFixture>
{
    [Fact]
    public void ReachesItsStatedAccuracyWithAHealthyReport()
    {
        DigitsResult result = fixture.Result;
        Assert.True(result.TestAccuracy >= DigitsSample.StatedAccuracy(quick: true), $"accuracy {result.TestAccuracy}");
        Assert.Equal(HealthStatus.Ok, result.Report.Status);
        Assert.Equal(5, result.Checkpoints.Count);
        Assert.True(result.Checkpoints[^1].Loss < result.Checkpoints[0].Loss);
        Assert.All(result.Claims, c => Assert.True(c.Holds, $"{c.Statement}: {c.Evidence}"));
        Assert.True(fixture.Seconds < SampleCollection.QuickSeconds, $"--quick took {fixture.Seconds:0.0} s");
        Assert.True(System.IO.File.Exists(System.IO.Path.Combine(result.OutputDirectory, "digits", "report.html")));
    }
}
