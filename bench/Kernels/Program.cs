using BenchmarkDotNet.Running;

namespace AutoGrad.Kernels.Benchmarks;

/// <summary>Entry point: <c>dotnet run -c Release --project bench/Kernels -- --filter '*Gemm*'</c>.</summary>
public static class Program
{
    public static void Main(string[] args) =>
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, new KernelBenchmarkConfig());
}
