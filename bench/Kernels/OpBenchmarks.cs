using System;
using BenchmarkDotNet.Attributes;

namespace AutoGrad.Kernels.Benchmarks;

/// <summary>
/// Forward and backward of the non-GEMM ops on a [256, 1024] activation (1 MiB, so the numbers show memory
/// passes), plus one LSTM step, whose cost is its GEMMs plus the gate algebra.
/// </summary>
public class OpBenchmarks
{
    private const int Rows = 256, Cols = 1024, Hidden = 256;
    private static readonly OpSite Site = new("Op", "Ops.cs", 1);
    private Tensor _x = null!, _dy = null!, _dx = null!, _gamma = null!, _beta = null!, _dGamma = null!, _dBeta = null!;
    private Tensor? _y;
    private NormalizationState? _norm;
    private Tensor _state = null!, _wx = null!, _wh = null!, _b = null!, _dState = null!, _dWx = null!, _dWh = null!, _dB = null!, _dyState = null!;
    private Tensor _xs = null!, _dxs = null!;
    private Tensor? _lstmOut;
    private LstmCellState? _lstm;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        Tensor Fill(params int[] shape)
        {
            var t = Tensor.Zeros(shape);
            for (int i = 0; i < t.Length; i++)
            {
                t[i] = (float)random.NextDouble() * 2 - 1;
            }
            return t;
        }
        (_x, _dy, _dx, _gamma, _beta) = (Fill(Rows, Cols), Fill(Rows, Cols), Fill(Rows, Cols), Fill(Cols), Fill(Cols));
        (_dGamma, _dBeta) = (Fill(Cols), Fill(Cols));
        (_xs, _dxs, _state, _dyState) = (Fill(64, Hidden), Fill(64, Hidden), Fill(64, 2 * Hidden), Fill(64, 2 * Hidden));
        (_wx, _wh, _b) = (Fill(4 * Hidden, Hidden), Fill(4 * Hidden, Hidden), Fill(4 * Hidden));
        (_dState, _dWx, _dWh, _dB) = (Fill(64, 2 * Hidden), Fill(4 * Hidden, Hidden), Fill(4 * Hidden, Hidden), Fill(4 * Hidden));
        Nn.TanhInto(ref _y, _x, Site);
        KernelOptions.MaxDegreeOfParallelism = 1;
    }

    [Benchmark]
    public void TanhForward() => Nn.TanhInto(ref _y, _x, Site);

    [Benchmark]
    public void TanhBackward() => Nn.TanhPullback(_x, _y!, _dy, GradTarget.Overwrite(_dx), Site);

    [Benchmark]
    public void ReluBackwardAccumulate() => Nn.ReluPullback(_x, _y!, _dy, GradTarget.Accumulate(_dx), Site);

    [Benchmark]
    public void GeluForwardBackward()
    {
        Nn.GeluInto(ref _y, _x, Site);
        Nn.GeluPullback(_x, _y!, _dy, GradTarget.Overwrite(_dx), Site);
    }

    [Benchmark]
    public void SoftmaxForwardBackward()
    {
        Nn.SoftmaxInto(ref _y, _x, Site);
        Nn.SoftmaxPullback(_x, _y!, _dy, GradTarget.Overwrite(_dx), Site);
    }

    [Benchmark]
    public void LayerNormForwardBackward()
    {
        Nn.LayerNormInto(ref _y, ref _norm, _x, _gamma, _beta, Site);
        Nn.LayerNormPullback(_x, _gamma, _beta, _y!, _norm!, _dy, GradTarget.Overwrite(_dx), GradTarget.Overwrite(_dGamma), GradTarget.Overwrite(_dBeta), Site);
    }

    [Benchmark]
    public void LstmCellForwardBackward()
    {
        Nn.LstmCellInto(ref _lstmOut, ref _lstm, _xs, _state, _wx, _wh, _b, Site);
        Nn.LstmCellPullback(_xs, _state, _wx, _wh, _b, _lstmOut!, _lstm!, _dyState,
            GradTarget.Overwrite(_dxs), GradTarget.Overwrite(_dState), GradTarget.Overwrite(_dWx), GradTarget.Overwrite(_dWh), GradTarget.Overwrite(_dB), Site);
    }
}
