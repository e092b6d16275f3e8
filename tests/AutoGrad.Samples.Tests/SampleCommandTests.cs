using System.Collections.Generic;
using AutoGrad.Samples.Cli;
using Xunit;

namespace AutoGrad.Samples.Tests;

public class SampleCommandTests
{
    private sealed class FixedResult(params Claim[] claims) : SampleResult("")
    {
        public override IReadOnlyList<Claim> Claims => claims;
    }

    [Fact]
    public void ExitCodeIsZeroOnlyWhenEveryClaimHolds()
    {
        var run = new TestRun("claims");
        Assert.Equal(ExitCodes.Success, SampleCommand.Execute(run.Options(), _ => new FixedResult(new Claim("a", true, "x"))));
        Assert.Equal(ExitCodes.ClaimFailed, SampleCommand.Execute(run.Options(),
            _ => new FixedResult(new Claim("a", true, "x"), new Claim("b did not hold", false, "y = 3"))));
        Assert.Contains("b did not hold", run.Text);
        Assert.Contains("NO", run.Text);
    }

    [Fact]
    public void CommandLineParsesTheSharedOptions()
    {
        SampleOptions? seen = null;
        int code = SampleCommand.Run(["--quick", "--out", "somewhere", "--data", "file.csv.gz"], "test", o =>
        {
            seen = o;
            return new FixedResult();
        });
        Assert.Equal(ExitCodes.Success, code);
        Assert.NotNull(seen);
        Assert.True(seen.Quick);
        Assert.Equal("somewhere", seen.OutputDirectory);
        Assert.Equal("file.csv.gz", seen.DataPath);
        Assert.EndsWith(System.IO.Path.Combine("out", "X"), new SampleOptions().OutputFor("X"));
    }

    [Fact]
    public void AnOutputFolderThatCannotBeWrittenIsRefusedBeforeTheRun()
    {
        var run = new TestRun("bad-out");
        string file = System.IO.Path.GetTempFileName();
        bool ran = false;
        int code = SampleCommand.Execute(run.Options() with { OutputDirectory = file }, _ => { ran = true; return new FixedResult(); });
        Assert.Equal(ExitCodes.UsageProblem, code);
        Assert.False(ran);
        Assert.Contains("it is a file, not a folder", run.Text);
        Assert.Equal("the path is empty", SampleCommand.OutputProblem(" "));
        Assert.Null(SampleCommand.OutputProblem(run.Output));
        System.IO.File.Delete(file);
    }

    [Fact]
    public void AReportThatCannotBeWrittenIsAMessageNotAStackTrace()
    {
        var run = new TestRun("io-error");
        int code = SampleCommand.Execute(run.Options(), _ => throw new System.IO.IOException("disk full"));
        Assert.Equal(ExitCodes.UsageProblem, code);
        Assert.Contains("error:", run.Text);
        Assert.Contains("disk full", run.Text);
    }

    /// <summary>Review helper-73: an exception in the sample (out of memory) exited 1, the code of a claim that did not hold.</summary>
    [Fact]
    public void AnExceptionInTheSampleIsNotAFailedClaim()
    {
        var run = new TestRun("crash");
        int code = SampleCommand.Execute(run.Options(), _ => throw new System.InvalidOperationException("a bug"));
        Assert.Equal(ExitCodes.Failed, code);
        Assert.NotEqual(ExitCodes.ClaimFailed, code);
        Assert.Contains("the sample failed", run.Text);
        Assert.Contains("InvalidOperationException: a bug", run.Text);
    }

    [Fact]
    public void ACommandLineThatDoesNotParseHasItsOwnExitCode()
    {
        bool ran = false;
        int code = SampleCommand.Run(["--bogus"], "test", _ => { ran = true; return new FixedResult(); });
        Assert.Equal(ExitCodes.UsageProblem, code);
        Assert.False(ran);
    }
}
