using System;

namespace AutoGrad.Samples.Data;

/// <summary>
/// The data file is missing or damaged. The message names the file, what is wrong with it and how to get a good
/// copy back, so a sample can print it as it is and exit with <see cref="Cli.ExitCodes.DataProblem"/>.
/// </summary>
public sealed class DataFileException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The file that was read.</param>
    /// <param name="problem">What is wrong, in one sentence without a final period.</param>
    /// <param name="inner">The I/O or format error behind it, if any.</param>
    public DataFileException(string path, string problem, Exception? inner = null)
        : base($"The digits data file '{path}' cannot be used: {problem}. " +
               (IsSamplesOwn(path) ? Fix : "Pass --data with the path of a good copy (see samples/data/README.md)."), inner)
    {
        Path = path;
        Problem = problem;
    }

    /// <summary>How to get a good copy of the sample's own file back (a file of the user's, passed with --data, is only
    /// told to pass a good copy).</summary>
    public const string Fix =
        "Restore it with `git checkout -- samples/data/digits.csv.gz` (the samples copy it next to their binaries when " +
        "they build), or pass --data with the path of a good copy (see samples/data/README.md).";

    /// <summary>The file that was read.</summary>
    public string Path { get; }

    /// <summary>Whether <paramref name="path"/> is the sample's own copy (next to its binary), which git can restore;
    /// a file of the user's of the same name is not.</summary>
    private static bool IsSamplesOwn(string path)
    {
        try
        {
            return System.IO.Path.GetFullPath(path) == System.IO.Path.GetFullPath(Digits.DefaultPath);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or System.IO.PathTooLongException)
        {
            return false;
        }
    }

    /// <summary>What is wrong with it.</summary>
    public string Problem { get; }
}
