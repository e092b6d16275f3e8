namespace AutoGrad.Probes;

/// <summary>
/// One place in a differentiable method where the generated backward pass takes a reading. The generator emits
/// these as a constant table per method (see <see cref="ProbeLayout"/>); nothing is discovered by reflection.
/// </summary>
/// <param name="Name">The name from the source: <c>w1</c>, <c>h2</c>, <c>w[3]</c> after unrolling.</param>
/// <param name="Kind">What the site measures.</param>
/// <param name="Depth">Layer depth in forward order, starting at 0 for the layer nearest the input.</param>
/// <param name="Activation">The activation applied at (or right after) this layer: <c>Sigmoid</c>, <c>Tanh</c>,
/// <c>Relu</c>, ..., or <c>None</c>.</param>
/// <param name="ParameterCount">Number of scalars in the parameter (0 when the size is known only at run time or
/// the site is not a parameter).</param>
/// <param name="File">Source file of the statement that defines the site.</param>
/// <param name="Line">1-based source line of that statement.</param>
/// <param name="InRecurrence">True when the site sits inside a loop with a run-time trip count that carries state
/// from one iteration to the next (a recurrence), where exploding gradients come from long products.</param>
/// <param name="FanInAxis">For a weight: the axis that counts each output unit's inputs, 1 in the <c>[out, in]</c> layout
/// of <c>Nn.Linear</c>, 0 for the <c>[in, out]</c> weight of <c>Nn.MatMul(x, w)</c> (see <see cref="FanInAttribute"/>).</param>
/// <param name="AcrossLayers">With <paramref name="InRecurrence"/>: the loop is a stack of layers of run-time depth, each
/// iteration with weights of its own (<c>w[l]</c>), not a recurrence sharing them across time steps. Its iterations are
/// layers, and advice speaks of them.</param>
public sealed record ProbeSite(
    string Name,
    ProbeKind Kind,
    int Depth,
    string Activation,
    int ParameterCount,
    string File,
    int Line,
    bool InRecurrence,
    int FanInAxis = 1,
    bool AcrossLayers = false);
