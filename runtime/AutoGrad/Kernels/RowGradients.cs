using System.Runtime.Intrinsics;

namespace AutoGrad.Kernels;

// Row-wise backward kernels (softmax, log-softmax, normalization): TensorPrimitives gives the row reductions
// (Dot, Sum) but no call for "combine dY with the saved row and a per-row scalar" in one pass, so each is one
// fused IBinaryOp run by Elementwise.Map, which also handles overwrite versus accumulate.

/// <summary>Softmax's row backward: <c>y·(dY − d)</c> with d = Σ dY·y over the row.</summary>
internal readonly struct SoftmaxGradient(float d) : IBinaryOp
{
    public float Invoke(float dy, float y) => y * (dy - d);
    public Vector128<float> Invoke(Vector128<float> dy, Vector128<float> y) => y * (dy - Vector128.Create(d));
    public Vector256<float> Invoke(Vector256<float> dy, Vector256<float> y) => y * (dy - Vector256.Create(d));
    public Vector512<float> Invoke(Vector512<float> dy, Vector512<float> y) => y * (dy - Vector512.Create(d));
}

/// <summary>Log-softmax's row backward: <c>dY − s·p</c> with p = exp(y) the probabilities and s = Σ dY over the row.</summary>
internal readonly struct LogSoftmaxGradient(float s) : IBinaryOp
{
    public float Invoke(float dy, float p) => dy - s * p;
    public Vector128<float> Invoke(Vector128<float> dy, Vector128<float> p) => dy - p * s;
    public Vector256<float> Invoke(Vector256<float> dy, Vector256<float> p) => dy - p * s;
    public Vector512<float> Invoke(Vector512<float> dy, Vector512<float> p) => dy - p * s;
}

/// <summary>Normalization's input gradient from <c>g = dY ⊙ γ</c> and x̂: <c>(1/σ)·(g − mean(g) − x̂·mean(g ⊙ x̂))</c>.</summary>
internal readonly struct NormalizedInputGradient(float meanG, float meanGh, float rstd) : IBinaryOp
{
    public float Invoke(float g, float h) => rstd * (g - meanG - h * meanGh);
    public Vector128<float> Invoke(Vector128<float> g, Vector128<float> h) => (g - Vector128.Create(meanG) - h * meanGh) * rstd;
    public Vector256<float> Invoke(Vector256<float> g, Vector256<float> h) => (g - Vector256.Create(meanG) - h * meanGh) * rstd;
    public Vector512<float> Invoke(Vector512<float> g, Vector512<float> h) => (g - Vector512.Create(meanG) - h * meanGh) * rstd;
}
