using System;
using System.Diagnostics;
using AutoGrad.Samples.Cli;

namespace AutoGrad.Samples.Tests;

/// <summary>Runs one sample's --quick mode once for all the tests of a class, and times it.</summary>
public abstract class SampleFixture<TResult>
    where TResult : SampleResult
{
    private protected SampleFixture(string sample, Func<SampleOptions, TResult> run)
    {
        Run = new TestRun(sample);
        var clock = Stopwatch.StartNew();
        Result = run(Run.Options());
        Seconds = clock.Elapsed.TotalSeconds;
    }

    internal TestRun Run { get; }

    public TResult Result { get; }

    /// <summary>Wall-clock seconds of the whole sample (data, training, reports).</summary>
    public double Seconds { get; }

    /// <summary>What the sample printed.</summary>
    public string Text => Run.Text;
}
