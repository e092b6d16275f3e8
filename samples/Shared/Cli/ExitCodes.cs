namespace AutoGrad.Samples.Cli;

/// <summary>What a sample's exit code means.</summary>
public static class ExitCodes
{
    /// <summary>Training ran and every claim the sample makes held.</summary>
    public const int Success = 0;

    /// <summary>Training ran but a claim the sample makes (a status, an accuracy) did not hold.</summary>
    public const int ClaimFailed = 1;

    /// <summary>The data file is missing or damaged.</summary>
    public const int DataProblem = 2;

    /// <summary>The command line could not be parsed, or the output folder cannot be written.</summary>
    public const int UsageProblem = 3;

    /// <summary>The sample failed with an unexpected exception (a bug, or the machine ran out of memory): not a claim.</summary>
    public const int Failed = 4;
}
