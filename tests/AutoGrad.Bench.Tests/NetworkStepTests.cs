using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using AutoGrad.Benchmarks.Networks;
using AutoGrad.Probes;
using AutoGrad.Testing;
using Xunit;

namespace AutoGrad.Bench.Tests;

/// <summary>
/// The benchmarked training steps: the generated gradients equal the hand-written step's, both overwrite their
/// outputs, neither allocates once warm, and the configurations are networks.json's. Every network runs at its
/// benchmarked size except the 1024-wide one, whose batch is cut from 256 to 8 to keep this project fast (the
/// packed GEMM path it would exercise is already taken by the batch-64 and batch-32 steps).
/// </summary>
public sealed class NetworkStepTests
{
    /// <summary>Every configuration's key, for the theories.</summary>
    public static TheoryData<string> Keys => new(NetworkConfig.All.Select(c => c.Key));

    /// <summary>The configuration a test runs for <paramref name="key"/>: the benchmarked one, or a smaller batch of it
    /// when one step would take more than about 10⁸ multiply-adds.</summary>
    private static NetworkProblem Problem(string key, int seed = 1)
    {
        NetworkConfig config = NetworkConfig.Find(key);
        long multiplyAdds = 0;
        for (int l = 0; l < config.Layers; l++)
        {
            multiplyAdds += 3L * config.Batch * config.Widths[l] * config.Widths[l + 1];
        }
        return new NetworkProblem(multiplyAdds > 100_000_000 ? config with { Batch = 8 } : config, seed);
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public void GeneratedGradientsEqualTheHandWrittenStep(string key)
    {
        var problem = Problem(key, seed: 7);
        Poison(problem.HandWrittenGradients);
        Poison(problem.GeneratedGradients);

        float handWritten = problem.HandWritten();
        float generated = problem.Generated(null);

        Assert.True(float.IsFinite(handWritten) && handWritten > 0, $"loss {handWritten}");
        Assert.Equal(handWritten, generated, 6);
        AssertSame(problem.HandWrittenGradients, problem.GeneratedGradients, key);
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public void ChainedLayersGiveThePlainLayersBits(string key)
    {
        // The generated step hands each fused tanh layer's feature-major copy to the next; a step calling the plain
        // overload must get every loss and gradient bit for bit.
        var problem = Problem(key, seed: 9);
        NetworkParameters plain = NetworkParameters.Zeros(problem.Config);
        Poison(problem.GeneratedGradients);

        float chained = problem.Generated(null);
        float unchained = new HandWrittenMlpStep(problem.Config, chainLayers: false).Run(problem.Parameters, plain, problem.X, problem.Labels);

        Assert.Equal(BitConverter.SingleToInt32Bits(unchained), BitConverter.SingleToInt32Bits(chained));
        foreach ((Tensor e, Tensor a) in plain.W.Zip(problem.GeneratedGradients.W).Concat(plain.B.Zip(problem.GeneratedGradients.B)))
        {
            Assert.Equal(e.ToArray().Select(BitConverter.SingleToInt32Bits), a.ToArray().Select(BitConverter.SingleToInt32Bits));
        }
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public void ProbesDoNotChangeTheGradients(string key)
    {
        var problem = Problem(key, seed: 8);
        problem.HandWritten();
        var probes = new GradientProbes(problem.ProbeLayout);
        Poison(problem.GeneratedGradients);

        problem.Generated(probes);

        AssertSame(problem.HandWrittenGradients, problem.GeneratedGradients, key + " with probes");
        int firstWeight = Enumerable.Range(0, probes.Layout.Count).First(i => probes.Layout.Sites[i].Kind == ProbeKind.Parameter);
        Assert.True(probes.L2(firstWeight) > 0, "the probes took no reading of the first parameter");
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public void ParameterReadingsEqualNormsComputedFromTheGradients(string key)
    {
        // The weight gradients' readings are taken inside the GEMM (epilogue of the packed path, edge tiles
        // included) or by a pass afterwards (small products): either way they must be the gradients' own numbers.
        var problem = Problem(key, seed: 9);
        var probes = new GradientProbes(problem.ProbeLayout);
        problem.Generated(probes);

        var sites = Enumerable.Range(0, probes.Layout.Count).Where(i => probes.Layout.Sites[i].Kind == ProbeKind.Parameter)
            .Select(i => (Count: probes.Count(i), L2: probes.L2(i), Max: probes.MaxAbs(i), Zeros: probes.ZeroCount(i)))
            .OrderBy(r => r.Count).ThenBy(r => r.L2).ToList();
        var gradients = problem.GeneratedGradients.W.Concat(problem.GeneratedGradients.B)
            .Select(g => g.ToArray())
            .Select(g => (Count: (long)g.Length, L2: Math.Sqrt(g.Sum(v => (double)v * v)), Max: (double)g.Max(MathF.Abs), Zeros: (long)g.Count(v => v == 0)))
            .OrderBy(r => r.Count).ThenBy(r => r.L2).ToList();

        Assert.Equal(gradients.Count, sites.Count);
        for (int i = 0; i < sites.Count; i++)
        {
            Assert.Equal(gradients[i].Count, sites[i].Count);
            Assert.True(Math.Abs(sites[i].L2 - gradients[i].L2) <= 1e-5 * gradients[i].L2, $"{key}: L2 {sites[i].L2} vs {gradients[i].L2}");
            Assert.Equal(gradients[i].Max, sites[i].Max, 6);
            Assert.Equal(gradients[i].Zeros, sites[i].Zeros);
        }
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public void LayerOutputReadingsEqualTheHandWrittenAdjoints(string key)
    {
        // The fused layers read their output's adjoint while applying the activation's derivative (dResultReading);
        // the hand-written step computes the same adjoints with the same ops, into buffers we can read.
        var problem = Problem(key, seed: 9);
        var probes = new GradientProbes(problem.ProbeLayout);
        problem.HandWritten();
        problem.Generated(probes);

        var outputs = Enumerable.Range(0, probes.Layout.Count).Where(i => probes.Layout.Sites[i].Kind == ProbeKind.LayerOutput).ToList();
        Assert.Equal(problem.Config.Layers - 1, outputs.Count);
        for (int layer = 0; layer < outputs.Count; layer++)
        {
            int site = outputs[layer];
            float[] g = problem.HandWrittenOutputGradient(layer).ToArray();
            double l2 = Math.Sqrt(g.Sum(v => (double)v * v));
            Assert.True(Math.Abs(probes.L2(site) - l2) <= 1e-5 * l2, $"{key} h[{layer}]: L2 {probes.L2(site)} vs {l2}");
            Assert.Equal(g.Max(MathF.Abs), probes.MaxAbs(site), 6);
            Assert.Equal(g.Count(v => v == 0), probes.ZeroCount(site));
            Assert.Equal(g.Length, probes.Count(site));
        }
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public void WarmStepsAllocateNothing(string key)
    {
        var problem = Problem(key);
        var probes = new GradientProbes(problem.ProbeLayout);
        // The first round allocates the workspaces, pullback scratch and GEMM packing buffers.
        Allocations.AssertNoneAfterWarmUp(() => problem.HandWritten(), warmUp: 5, window: 5);
        Allocations.AssertNoneAfterWarmUp(() => problem.Generated(null), warmUp: 5, window: 5);
        Allocations.AssertNoneAfterWarmUp(() => problem.Generated(probes), warmUp: 5, window: 5);
    }

    [Fact]
    public void HandWrittenStepAgreesWithFiniteDifferences()
    {
        // The small tanh network is smooth, so central differences of the float loss pin down every component to
        // about 1e-4; the larger steps are checked against this one's code path by the equality test above.
        var problem = new NetworkProblem(NetworkConfig.Find("2-16-16-2_tanh_b1"), seed: 9);
        problem.HandWritten();
        NetworkParameters p = problem.Parameters, g = problem.HandWrittenGradients;
        Tensor[] parameters = [.. p.W, .. p.B], gradients = [.. g.W, .. g.B];
        const float h = 1e-2f;
        for (int t = 0; t < parameters.Length; t++)
        {
            Span<float> values = parameters[t].Span;
            for (int i = 0; i < values.Length; i++)
            {
                float saved = values[i];
                values[i] = saved + h;
                double plus = TanhMlp.Loss(p.W[0], p.B[0], p.W[1], p.B[1], p.W[2], p.B[2], problem.X, problem.Labels);
                values[i] = saved - h;
                double minus = TanhMlp.Loss(p.W[0], p.B[0], p.W[1], p.B[1], p.W[2], p.B[2], problem.X, problem.Labels);
                values[i] = saved;
                double expected = (plus - minus) / (2 * h);
                float actual = gradients[t].Span[i];
                Assert.True(Math.Abs(actual - expected) <= 2e-4 + 1e-2 * Math.Abs(expected), $"tensor {t}[{i}]: finite differences {expected:R}, hand-written {actual:R}");
            }
        }
    }

    [Fact]
    public void ConfigurationsAreTheOnesInNetworksJson()
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(NetworksJson()));
        var expected = document.RootElement.GetProperty("networks").EnumerateArray()
            .Select(n => (Name: n.GetProperty("name").GetString(), Layers: string.Join(',', n.GetProperty("layers").EnumerateArray().Select(v => v.GetInt32())),
                          Activation: n.GetProperty("activation").GetString(), Batch: n.GetProperty("batch").GetInt32()))
            .ToList();
        var actual = NetworkConfig.All
            .Select(c => (Name: (string?)("mlp_" + c.Key), Layers: string.Join(',', c.Widths), Activation: (string?)c.Activation.ToString().ToLowerInvariant(), c.Batch))
            .ToList();
        Assert.Equal(expected, actual);
    }

    private static void AssertSame(NetworkParameters expected, NetworkParameters actual, string what)
    {
        IEnumerable<(string Name, Tensor E, Tensor A)> pairs =
            expected.W.Select((w, l) => ($"dW[{l}]", w, actual.W[l])).Concat(expected.B.Select((b, l) => ($"dB[{l}]", b, actual.B[l])));
        foreach ((string name, Tensor e, Tensor a) in pairs)
        {
            float[] ev = e.ToArray(), av = a.ToArray();
            float scale = ev.Max(MathF.Abs);
            Assert.True(scale > 0 && float.IsFinite(scale), $"{what} {name}: the hand-written gradient is {scale} at most");
            for (int i = 0; i < ev.Length; i++)
            {
                // Same kernels on the same data: any difference beyond rounding is a wrong or missing term.
                Assert.True(MathF.Abs(ev[i] - av[i]) <= 1e-6f * scale, $"{what} {name}[{i}]: hand-written {ev[i]:R}, generated {av[i]:R}");
            }
        }
    }

    private static void Poison(NetworkParameters gradients)
    {
        foreach (Tensor t in gradients.W.Concat(gradients.B))
        {
            t.Span.Fill(float.NaN);
        }
    }

    private static string NetworksJson()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "bench", "networks.json");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException("bench/networks.json not found above " + AppContext.BaseDirectory);
    }
}
