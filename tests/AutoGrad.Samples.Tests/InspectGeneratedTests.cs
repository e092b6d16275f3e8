using System.IO;
using System.Linq;
using InspectGenerated;
using Xunit;

namespace AutoGrad.Samples.Tests;

public sealed class InspectFixture() : SampleFixture<InspectResult>("inspect", InspectSample.Run);

[Collection(SampleCollection.Name)]
public class InspectGeneratedTests(InspectFixture fixture) : IClassFixture<InspectFixture>
{
    [Fact]
    public void FindsTheGeneratedFilesAndPrintsAnExcerpt()
    {
        InspectResult result = fixture.Result;
        Assert.Contains(result.GeneratedFiles, f => f.Name == "InspectGenerated.Examples.Classifier.AutoGrad.g.cs");
        Assert.Contains(result.GeneratedFiles, f => f.Name == "InspectGenerated.Examples.LeastSquares.AutoGrad.g.cs");
        Assert.All(result.GeneratedFiles, f => Assert.Contains("generated" + Path.DirectorySeparatorChar + "AutoGrad.Generator", f.FullName));
        Assert.Contains("// Reverse sweep", fixture.Text);
        Assert.Contains("LinearPullback", fixture.Text);
    }

    [Fact]
    public void GradientMatchesFiniteDifferencesAndTheLayoutIsWrittenOut()
    {
        InspectResult result = fixture.Result;
        Assert.Equal(3, result.Checks.Count);
        Assert.All(result.Checks, c => Assert.True(c.RelativeDifference < InspectSample.ScalarTolerance, $"{c.Name}: {c.Generated} vs {c.FiniteDifference}"));
        string markdown = File.ReadAllText(Path.Combine(result.OutputDirectory, "probe-layout.md"));
        Assert.Contains("| 0 | w1 | Parameter | 0 | Examples.cs:", markdown);
        // Every row has as many cells as the header: a '|' inside a cell ("max |g|") is escaped.
        string[] rows = markdown.Split('\n', System.StringSplitOptions.RemoveEmptyEntries)[1..];
        int Cells(string row) => System.Text.RegularExpressions.Regex.Matches(row, @"(?<!\\)\|").Count;
        Assert.All(rows, r => Assert.Equal(Cells(rows[0]), Cells(r)));
        Assert.Contains(@"max \|g\|", markdown);
        Assert.True(File.Exists(Path.Combine(result.OutputDirectory, "InspectGenerated.Examples.Classifier.AutoGrad.g.cs")));
        Assert.All(result.Claims, c => Assert.True(c.Holds, $"{c.Statement}: {c.Evidence}"));
    }

    [Fact]
    public void TheReadmeShowsTheReverseSweepAsItIsGenerated()
    {
        // The copy the sample wrote out: the generated file of the build it runs in.
        string generated = Path.Combine(fixture.Result.OutputDirectory, "InspectGenerated.Examples.Classifier.AutoGrad.g.cs");
        string dir = System.AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "AutoGrad.sln"))) dir = Path.GetDirectoryName(dir)!;
        string readme = File.ReadAllText(Path.Combine(dir, "README.md")).Replace("\r\n", "\n");
        int start = readme.IndexOf("```csharp\n// Reverse sweep", System.StringComparison.Ordinal);
        Assert.True(start >= 0, "README has no reverse-sweep excerpt");
        start += "```csharp\n".Length;
        string[] shown = readme[start..readme.IndexOf("```", start, System.StringComparison.Ordinal)].TrimEnd('\n').Split('\n');
        Assert.Equal(shown, GeneratedExcerpt.ReverseSweep(File.ReadAllLines(generated), lines: shown.Length).ToArray());
    }

    [Fact]
    public void ExcerptStartsAtTheReverseSweepWithoutItsIndentation()
    {
        string[] source = ["    {", "        x = 1;", "        // Reverse sweep: here", "        a();", "            b();", "        c();"];
        Assert.Equal(["// Reverse sweep: here", "a();", "    b();"], GeneratedExcerpt.ReverseSweep(source, lines: 3).ToArray());
        Assert.Empty(GeneratedExcerpt.ReverseSweep(["no sweep"], lines: 3));
    }
}
