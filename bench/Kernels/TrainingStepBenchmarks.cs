using System.Collections.Generic;
using BenchmarkDotNet.Attributes;

namespace AutoGrad.Kernels.Benchmarks;

/// <summary>Whole training steps (forward, loss, backward) of the MLPs the performance targets name.</summary>
public class TrainingStepBenchmarks
{
    [ParamsSource(nameof(Steps))]
    public MlpStep Step { get; set; } = null!;

    public static IEnumerable<MlpStep> Steps() =>
    [
        new([784, 128, 64, 10], 64, FusedActivation.Relu, fused: false),
        new([784, 128, 64, 10], 64, FusedActivation.Relu, fused: true),
        new([1024, 1024, 1024, 10], 256, FusedActivation.Relu, fused: false),
        new([784, 128, 64, 10], 1, FusedActivation.Relu, fused: false),
        new([2, 16, 16, 2], 1, FusedActivation.Tanh, fused: false, crossEntropy: false),
        new([2, 16, 16, 2], 1, FusedActivation.Tanh, fused: true, crossEntropy: false),
    ];

    [GlobalSetup]
    public void Setup() => KernelOptions.MaxDegreeOfParallelism = 1;

    [Benchmark]
    public float TrainingStep() => Step.Run();
}
