namespace AutoGrad.Kernels.Benchmarks;

/// <summary>A benchmark parameter that knows how many floating-point operations one invocation performs.</summary>
public interface IFlopCount
{
    /// <summary>Floating-point operations per benchmark invocation (a multiply-add counts 2).</summary>
    double Flops { get; }
}
