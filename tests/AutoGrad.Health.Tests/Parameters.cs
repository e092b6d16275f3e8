using AutoGrad.Init;
using AutoGrad.Optim;

namespace AutoGrad.Health.Tests;

/// <summary>Parameter lists that match <see cref="Synthetic.Stack"/> layouts.</summary>
internal static class Parameters
{
    /// <summary>w{d}, b{d} per layer; weights N(0, scale/width) so n_in·Var(W) ≈ scale.</summary>
    public static ParameterList ForStack(int depth, int width = 16, double scale = 2.0, ulong seed = 1)
    {
        var list = new ParameterList();
        for (int d = 0; d < depth; d++)
        {
            string n = (d + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var w = Tensor.Zeros(width, width);
            Initializers.FillNormal(w, System.Math.Sqrt(scale / width), seed + (ulong)d);
            list.Add("w" + n, w, Tensor.Zeros(width, width));
            list.Add("b" + n, Tensor.Zeros(width), Tensor.Zeros(width));
        }
        return list;
    }
}
