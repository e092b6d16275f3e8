namespace AutoGrad;

/// <summary>
/// Where a tensor pullback writes one gradient: nowhere (<see cref="None"/>), over the buffer's contents
/// (<see cref="Overwrite"/>, for the first contribution, saving a clear and a read), or added to them
/// (<see cref="Accumulate"/>). The generator picks the mode per call site.
/// </summary>
public readonly struct GradTarget
{
    private GradTarget(Tensor? tensor, bool accumulate)
    {
        Tensor = tensor;
        IsAccumulate = accumulate;
    }

    /// <summary>No gradient is needed for this input.</summary>
    public static GradTarget None => default;

    /// <summary>Write the gradient into <paramref name="tensor"/>, replacing its contents.</summary>
    public static GradTarget Overwrite(Tensor tensor) => new(tensor, accumulate: false);

    /// <summary>Add the gradient to <paramref name="tensor"/>'s contents.</summary>
    public static GradTarget Accumulate(Tensor tensor) => new(tensor, accumulate: true);

    /// <summary>The buffer, or null for <see cref="None"/>.</summary>
    public Tensor? Tensor { get; }

    /// <summary>True when the gradient is added to the buffer rather than written over it.</summary>
    public bool IsAccumulate { get; }

    /// <summary>True when a gradient is wanted.</summary>
    public bool IsActive => Tensor is not null;

    /// <summary>The GEMM-style beta: 1 when accumulating, 0 when overwriting.</summary>
    public float Beta => IsAccumulate ? 1f : 0f;
}
