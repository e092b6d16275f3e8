using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace AutoGrad;

public static partial class Nn
{
    /// <summary>The hidden half h of an LSTM state [h, c]: <c>[batch, 2·hidden]</c> → <c>[batch, hidden]</c>.</summary>
    /// <param name="state">An LSTM state from <see cref="LstmCell"/>.</param>
    /// <param name="file">The caller's file (filled in by the compiler).</param>
    /// <param name="line">The caller's line (filled in by the compiler).</param>
    /// <param name="stateExpression">The argument passed as <paramref name="state"/>, as written (filled in by the compiler).</param>
    [CustomPullback(nameof(LstmHiddenPullback), ForwardInto = nameof(LstmHiddenInto))]
    public static Tensor LstmHidden(Tensor state,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0,
        [CallerArgumentExpression(nameof(state))] string stateExpression = "")
    {
        Tensor? result = null;
        LstmHiddenInto(ref result, state, OpSite.FromCaller(nameof(LstmHidden), file, line, stateExpression));
        return result!;
    }

    /// <summary>Copies h into <paramref name="result"/>.</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void LstmHiddenInto(ref Tensor? result, Tensor state, OpSite site) =>
        SliceInto(ref result, state, 0, HiddenWidth(state, site), site);

    /// <summary>dState (+)= [dResult, 0].</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void LstmHiddenPullback(Tensor state, Tensor result, Tensor dResult, GradTarget dState, OpSite site) =>
        SlicePullback(state, 0, HiddenWidth(state, site), result, dResult, dState, site);

    private static int HiddenWidth(Tensor state, OpSite site)
    {
        OpChecks.Matrix(state, site, 0, "state", "batch, 2·hidden");
        if (state.Dim(1) % 2 != 0)
        {
            throw new ShapeMismatchException(
                site, $"{site.Argument(0, "state")} has shape {state.ShapeString}; an LSTM state is [h, c] side by side, so its width must be even");
        }
        return state.Dim(1) / 2;
    }
}
