using System;
using AutoGrad.Probes;

namespace AutoGrad.Health.Tests;

/// <summary>Hand-built probe layouts and readings standing in for generated code.</summary>
internal static class Synthetic
{
    public const string File = "Mlp.cs";

    /// <summary>A dense stack: per layer a weight w{d+1} [width×width], a bias, the output adjoint h{d+1} and its
    /// activation site, in forward order. Lines 10 + 2d.</summary>
    public static ProbeLayout Stack(int depth, string activation, int width = 16, bool recurrent = false)
    {
        var sites = new ProbeSite[depth * 4];
        for (int d = 0; d < depth; d++)
        {
            int line = 10 + 2 * d;
            string n = (d + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            sites[4 * d] = new ProbeSite("w" + n, ProbeKind.Parameter, d, activation, width * width, File, line, recurrent);
            sites[4 * d + 1] = new ProbeSite("b" + n, ProbeKind.Parameter, d, activation, width, File, line, recurrent);
            sites[4 * d + 2] = new ProbeSite("h" + n, ProbeKind.LayerOutput, d, activation, 0, File, line, recurrent);
            sites[4 * d + 3] = new ProbeSite("a" + n, ProbeKind.Activation, d, activation, 0, File, line, recurrent);
        }
        return new ProbeLayout("Mlp.Loss", sites);
    }

    /// <summary>Probes for a layout of one parameter site, begun (as a gradient call would).</summary>
    public static GradientProbes OneParameter()
    {
        var layout = new ProbeLayout("t", new[] { new ProbeSite("w", ProbeKind.Parameter, 0, "None", 0, "f", 1, false) });
        var probes = new GradientProbes(layout);
        probes.Begin();
        return probes;
    }

    /// <summary>A monitor that writes its JSON lines into <paramref name="lines"/> (read it after disposing the writer).</summary>
    public static HealthMonitor WithJsonLines(ProbeLayout layout, HealthOptions? options, out System.IO.MemoryStream lines)
    {
        lines = new System.IO.MemoryStream();
        return new HealthMonitor(layout, options) { JsonLines = new HealthJsonLinesWriter(lines, leaveOpen: true) };
    }

    public static int Weight(int d) => 4 * d;

    public static int Bias(int d) => 4 * d + 1;

    public static int Output(int d) => 4 * d + 2;

    public static int Activation(int d) => 4 * d + 3;

    /// <summary>Values with exactly the given L2 norm (alternating signs, all non-zero).</summary>
    public static float[] WithNorm(int length, double norm)
    {
        var v = new float[length];
        float each = (float)(norm / Math.Sqrt(length));
        for (int i = 0; i < length; i++) v[i] = i % 2 == 0 ? each : -each;
        return v;
    }

    /// <summary>Fills a whole step: layer d's gradients have norm <paramref name="norms"/>[d], activations are
    /// healthy outputs (half positive), the way a generated backward pass would record them.</summary>
    public static void Fill(GradientProbes probes, int depth, Func<int, double> norms, int width = 16, string activation = "sigmoid",
        Func<int, float[]?>? activations = null)
    {
        probes.Begin();
        var healthy = new float[4 * width];
        for (int i = 0; i < healthy.Length; i++) healthy[i] = 0.25f + 0.5f * (i % 2);
        for (int d = 0; d < depth; d++)
        {
            probes.RecordGradient(Weight(d), WithNorm(width * width, norms(d)));
            probes.RecordGradient(Bias(d), WithNorm(width, norms(d) / 4));
            probes.RecordGradient(Output(d), WithNorm(4 * width, norms(d) * 2));
            probes.RecordActivation(Activation(d), activations?.Invoke(d) ?? healthy, 4, ProbeSiteExtensions.ParseActivation(activation));
        }
    }
}
