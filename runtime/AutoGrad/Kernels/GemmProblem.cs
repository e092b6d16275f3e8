namespace AutoGrad.Kernels;

/// <summary>
/// One product <c>C[M,N] = op(A)·op(B)</c> (plus C when accumulating, plus a bias row) over pinned memory, as the
/// GEMM paths pass it around. <c>op(A)[m,k]</c> is <c>A[m*Lda + k]</c>, or <c>A[k*Lda + m]</c> when
/// <see cref="TransA"/>; likewise for B with <c>op(B)[k,n]</c>.
/// </summary>
internal unsafe struct GemmProblem
{
    public bool TransA;
    public bool TransB;
    public int M;
    public int N;
    public int K;
    public float* A;
    public nint Lda;
    public float* B;
    public nint Ldb;
    public float* C;
    public nint Ldc;

    /// <summary>Add to C's contents (beta = 1) instead of overwriting them (beta = 0).</summary>
    public bool Accumulate;

    /// <summary>Null, or N floats added to every row of C (a linear layer's bias, fused into the epilogue).</summary>
    public float* Bias;

    /// <summary>
    /// Null, or M floats that receive <c>Σ_k op(A)[m,k]</c>. For a weight gradient <c>dW = dYᵀ·X</c> these are the
    /// bias gradient, computed while A is packed anyway instead of in a separate pass over dY.
    /// </summary>
    public float* RowSums;

    /// <summary>Add the row sums to <see cref="RowSums"/>'s contents instead of overwriting them.</summary>
    public bool AccumulateRowSums;

    /// <summary>Null, or where the packed path's epilogue reads C's final values for a probe (see <see cref="KernelReading"/>).</summary>
    public KernelReading* Reading;

    /// <summary>
    /// Replace C's final values by <c>max(c, 0)</c> (a ReLU layer's activation): the packed and in-place paths do it to
    /// each tile as the last k block stores it, while the tile is in L1; the direct and degenerate ones in a pass after.
    /// </summary>
    public bool Relu;

    /// <summary><c>op(A)[m,k]</c>'s address.</summary>
    public readonly float* AAt(int m, int k) => TransA ? A + k * Lda + m : A + m * Lda + k;
}
