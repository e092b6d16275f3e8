namespace AutoGrad.Kernels;

/// <summary>
/// Whether a kernel takes a probe reading of the values it produces or consumes, as a type argument: the JIT compiles
/// the kernel once per mode, so the loop run without probes carries no reading code and no test for it.
/// </summary>
internal interface IReadingMode
{
    static abstract bool Reads { get; }
}

/// <summary>The kernel reads (a <see cref="KernelReading"/> was passed).</summary>
internal readonly struct Reading : IReadingMode
{
    public static bool Reads => true;
}

/// <summary>The kernel does no probe work.</summary>
internal readonly struct NoReading : IReadingMode
{
    public static bool Reads => false;
}
