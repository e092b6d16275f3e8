using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using AutoGrad.Samples.Cli;
using AutoGrad.Samples.Data;
using Xunit;

namespace AutoGrad.Samples.Tests;

public class DigitsDataTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "autograd-samples-data-" + Guid.NewGuid().ToString("N")[..8]);

    public DigitsDataTests() => Directory.CreateDirectory(_folder);

    public void Dispose()
    {
        Directory.Delete(_folder, recursive: true);
        GC.SuppressFinalize(this);
    }

    [Fact]
    public void LoadsTheShippedFile()
    {
        Digits digits = Digits.Load(Digits.DefaultPath);
        Assert.Equal(Digits.Rows * Digits.Features, digits.Pixels.Length);
        Assert.Equal(Enumerable.Range(0, 10), digits.Labels.ToArray().Distinct().Order());
        Assert.Equal(16, digits.Pixels.ToArray().Max());
        Assert.Equal(Digits.Sha256, File.ReadAllText(Digits.DefaultPath + ".sha256").Split(' ')[0]);
    }

    [Fact]
    public void SplitIsStratifiedDeterministicAndDisjoint()
    {
        Digits digits = Digits.Load(Digits.DefaultPath);
        DigitsSplit a = DigitsSplit.Create(digits), b = DigitsSplit.Create(digits), other = DigitsSplit.Create(digits, seed: 99);
        Assert.Equal(Digits.Rows, a.Train.Count + a.Test.Count);
        Assert.InRange(a.Test.Count, 350, 370);
        Assert.Equal(a.Test.Features.ToArray(), b.Test.Features.ToArray());
        Assert.NotEqual(a.Test.Features.ToArray(), other.Test.Features.ToArray());
        for (int c = 0; c < Digits.Classes; c++)
        {
            int all = digits.Labels.ToArray().Count(l => l == c), test = a.Test.Labels.ToArray().Count(l => l == c);
            Assert.InRange(test, (int)Math.Floor(all * 0.2) - 1, (int)Math.Ceiling(all * 0.2) + 1);
        }
        Assert.InRange(a.Train.Features.ToArray().Max(), 0.99f, 1f); // scaled to [0, 1]
    }

    [Fact]
    public void BatchesCoverAnEpochWithoutRepeats()
    {
        DigitsSubset train = DigitsSplit.Create(Digits.Load(Digits.DefaultPath)).Train;
        var sampler = new BatchSampler(train, batchSize: 1, seed: 3);
        var seen = new System.Collections.Generic.HashSet<string>();
        for (int i = 0; i < train.Count; i++)
        {
            sampler.Next();
            seen.Add(string.Join(",", sampler.X.ToArray()) + "|" + sampler.Labels[0]);
        }
        int distinct = Enumerable.Range(0, train.Count).Select(i => string.Join(",", train.Image(i).ToArray()) + "|" + train.Labels[i]).Distinct().Count();
        Assert.Equal(distinct, seen.Count);
    }

    [Fact]
    public void MissingFileNamesThePathAndTheFix()
    {
        string path = Path.Combine(_folder, "nowhere.csv.gz");
        var e = Assert.Throws<DataFileException>(() => Digits.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("does not exist", e.Message);
        // A file of the user's is not restored from git; the sample's own is.
        Assert.DoesNotContain("git checkout", e.Message);
        Assert.Contains("Pass --data with the path of a good copy", e.Message);
        // Only the sample's own copy is restored with git; a user's file of the same name is not.
        Assert.DoesNotContain("git checkout", Assert.Throws<DataFileException>(() => Digits.Load(Path.Combine(_folder, "digits.csv.gz"))).Message);
        Assert.Contains("git checkout -- samples/data/digits.csv.gz", new DataFileException(Digits.DefaultPath, "test").Message);
    }

    [Fact]
    public void NotGzip() => AssertProblem(Encoding.ASCII.GetBytes("0,1,2\n"), "not a valid gzip file");

    [Fact]
    public void TruncatedFile() => AssertProblem(Gzip(string.Join("\n", ShippedLines().Take(10))), "has 10 rows but the digits data has 1797");

    [Fact]
    public void PixelOutOfRange() => AssertProblem(Gzip(Edit(3, cells => cells[5] = "17")), "row 4, pixel 6 is 17, outside 0..16");

    [Fact]
    public void LabelOutOfRange() => AssertProblem(Gzip(Edit(0, cells => cells[64] = "12")), "row 1 has label 12, outside 0..9");

    [Fact]
    public void WrongColumnCount() => AssertProblem(Gzip(Edit(1, cells => cells[64] = "")), "row 2, column 65 is ''");

    [Fact]
    public void ChangedValuesFailTheHash() => AssertProblem(Gzip(Edit(2, cells => cells[10] = cells[10] == "0" ? "1" : "0")), "SHA-256");

    [Fact]
    public void AnEmptyPathOrAFolderIsADataProblem()
    {
        Assert.Contains("the path is empty", Assert.Throws<DataFileException>(() => Digits.Load("")).Message);
        Assert.Contains("it is a folder", Assert.Throws<DataFileException>(() => Digits.Load(_folder)).Message);
    }

    [Fact]
    public void SampleExitsWithTheDataCodeAndPrintsTheMessage()
    {
        var run = new TestRun("missing-data");
        string path = Path.Combine(_folder, "gone.csv.gz");
        int code = SampleCommand.Execute(run.Options(path), VanishingGradients.VanishingSample.Run);
        Assert.Equal(ExitCodes.DataProblem, code);
        Assert.Contains("error:", run.Text);
        Assert.Contains("gone.csv.gz", run.Text);
        Assert.Contains("does not exist", run.Text);
    }

    private void AssertProblem(byte[] content, string expected)
    {
        string path = Path.Combine(_folder, "digits.csv.gz");
        File.WriteAllBytes(path, content);
        var e = Assert.Throws<DataFileException>(() => Digits.Load(path));
        Assert.Contains(expected, e.Message);
        Assert.Contains(path, e.Message);
    }

    private static string[] ShippedLines()
    {
        using var gzip = new GZipStream(File.OpenRead(Digits.DefaultPath), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private static string Edit(int row, Action<string[]> edit)
    {
        string[] lines = ShippedLines();
        string[] cells = lines[row].Split(',');
        edit(cells);
        lines[row] = string.Join(",", cells);
        return string.Join("\n", lines);
    }

    private static byte[] Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.ASCII.GetBytes(text));
        }
        return buffer.ToArray();
    }
}
