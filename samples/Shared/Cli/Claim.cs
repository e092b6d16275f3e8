namespace AutoGrad.Samples.Cli;

/// <summary>Something a sample says its run shows, checked against the run itself.</summary>
/// <param name="Statement">The claim, e.g. "sigmoid with small initialization is diagnosed VANISHING".</param>
/// <param name="Holds">Whether this run bears it out.</param>
/// <param name="Evidence">The numbers behind the verdict.</param>
public sealed record Claim(string Statement, bool Holds, string Evidence);
