using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using AutoGrad.Generator.Model;
using static AutoGrad.Generator.Differentiation.Exprs;

namespace AutoGrad.Generator.Differentiation;

/// <summary>
/// Probe sites of tensor methods: which parameters, layer outputs and activations get a site, their names and
/// depths, and the checks that name where a NaN first appeared.
/// </summary>
internal sealed partial class Differentiator
{
    /// <summary>An op whose output the non-finite diagnosis inspects, and the parameter inputs it read.</summary>
    private sealed record OpCheck(int Site, Expr? Outputs, List<Expr> Inputs, int LoopDepth, int Loop);

    private readonly List<OpCheck> _opChecks = new();
    private readonly Stack<int> _loopIds = new();
    private int _nextLoopId;

    /// <summary>At the top level, what each tensor variable currently holds (an op's output or a parameter).</summary>
    private readonly Dictionary<string, Expr> _tensorSource = new();

    private int AddSite(string name, string kind, int depth, string activation, int line, bool inRecurrence, int fanInAxis = 1)
    {
        bool acrossLayers = inRecurrence && _loopsOverLayers.Count > 0 && _loopsOverLayers.All(overLayers => overLayers);
        _probes.Add(new ProbeSiteSpec(name, kind, depth, activation, line, inRecurrence, fanInAxis, acrossLayers));
        return _siteCount++;
    }

    /// <summary>
    /// True when every assignment to <paramref name="name"/> is made of differentiable parameters (whole, not indexed),
    /// constants and other such values: a weight under another name. Data, an index or anything else makes it false.
    /// </summary>
    private bool MadeFromParametersOnly(string name, int depth, HashSet<string>? visiting = null)
    {
        if (depth > 8) return false;
        if (_spec.Parameters.Any(p => p.Name == name)) return _spec.Parameters.Any(p => p.Name == name && p.IsDifferentiable);
        // A cycle ('ws = Nn.Scale(ws, 1f)', 'a = b; b = a') adds nothing: what the value is made of is decided elsewhere.
        visiting ??= new HashSet<string>();
        if (!visiting.Add(name)) return true;
        _assignmentsByVariable ??= StmtQueries.Assignments(_body).Where(a => a.Target is VariableExpr)
            .ToLookup(a => ((VariableExpr)a.Target).Name);
        List<AssignStmt> assignments = _assignmentsByVariable[name].ToList();
        if (assignments.Count == 0) return false;
        foreach (AssignStmt a in assignments)
        {
            IEnumerable<Expr> parts = a.Value is PrimitiveCallExpr p ? p.Arguments : new[] { a.Value };
            foreach (Expr part in parts)
            {
                if (part is LiteralExpr || part.Type.CarriesNoDerivative) continue;
                if (part is not VariableExpr v || !MadeFromParametersOnly(v.Name, depth + 1, visiting)) return false;
            }
        }
        return true;
    }

    /// <summary>The method's assignments by the variable they write, built on the first question.</summary>
    private ILookup<string, AssignStmt>? _assignmentsByVariable;

    /// <summary>For each loop being differentiated, innermost first: whether it is a loop over layers.</summary>
    private readonly Stack<bool> _loopsOverLayers = new();

    /// <summary>
    /// A loop left rolled whose ops read parameters only as <c>w[l]</c> at its counter: each iteration has weights of its
    /// own, so it is a stack of layers of run-time depth (<c>for (l &lt; layers) h = Tanh(Linear(h, w[l], b[l]))</c>), not
    /// a recurrence, which shares its weights across time steps. Its sites still read across iterations, as a
    /// recurrence's do; the flag lets the advice speak of layers, not time steps.
    /// </summary>
    private bool IsLoopOverLayers(LoopStmt loop)
    {
        if (loop.Init.Count != 1 || loop.Init[0] is not AssignStmt { Target: VariableExpr counter }) return false;
        bool any = false;
        foreach (AssignStmt a in StmtQueries.Assignments(loop.Body))
        {
            // A weight under another name, inside the loop ('Tensor wl = w;') or made before it ('var ws = Nn.Scale(w, 1f)'):
            // every iteration reads the same weight, so a recurrence. Values made from data too (an input injected into
            // every layer) are activations, not weights.
            IEnumerable<Expr> reads = a.Value is PrimitiveCallExpr { IsTensorOp: true } call ? call.Arguments : new[] { a.Value };
            foreach (Expr read in reads)
            {
                if (IsParameterRead(read))
                {
                    if (read is not ElementExpr { Index: VariableExpr index } || index.Name != counter.Name) return false;
                    any = true;
                }
                else if (read is VariableExpr v && v.Type.IsTensorLike && MadeFromParametersOnly(v.Name, 0))
                {
                    return false;
                }
            }
        }
        return any;
    }

    /// <summary>
    /// An op that reads a differentiable parameter starts a new layer; its parameters become sites. An op marked
    /// <c>[ProbeContinuesLayer]</c> (a bias added) whose other input is the current layer's product, before any
    /// activation, adds its parameters to that layer instead: <c>Nn.Add(Nn.MatMul(x, w), b)</c> is one layer.
    /// </summary>
    private void PlanLayerSites(PrimitiveCallExpr call, VariableExpr result, bool inLoop)
    {
        var parameters = call.Arguments.Select((a, i) => (Read: a, Index: i)).Where(a => IsParameterRead(a.Read)).ToList();
        if (parameters.Count == 0) return;
        bool continues = call.Callee.ContinuesLayer && _layerProduct is not null && _layerDepth >= 0 &&
            call.Arguments.Any(a => !IsParameterRead(a) && ProducedBy(a) == _layerProduct);
        if (!continues) _layerDepth++;
        _layerProduct = result.Name;
        foreach ((Expr p, int index) in parameters)
        {
            string name = ParameterSiteName(p);
            if (_parameterSites.ContainsKey(name)) continue;
            int fanInAxis = index < call.Callee.Parameters.Count ? call.Callee.Parameters[index].FanInAxis : 1;
            _parameterSites[name] = AddSite(name, "Parameter", _layerDepth, "None", call.Line, inLoop, fanInAxis);
            _parameterReads[name] = p;
        }
    }

    /// <summary>The result of the op that started (or continued) the current layer, until an activation ends it.</summary>
    private string? _layerProduct;

    /// <summary>The op result a tensor argument holds (<c>z</c> assigned from <c>_op0</c> is <c>_op0</c>).</summary>
    private string? ProducedBy(Expr argument) => argument is VariableExpr v
        ? (_tensorSource.TryGetValue(v.Name, out Expr? source) && source is VariableExpr s ? s.Name
            : _lastProducer.TryGetValue(v.Name, out string? held) ? held : v.Name)
        : null;

    /// <summary>What each tensor variable holds where the planning stands, inside loops too (see <see cref="ProducedBy"/>).</summary>
    private readonly Dictionary<string, string> _lastProducer = new();

    private readonly Dictionary<string, Expr> _parameterReads = new();

    /// <summary>How many op calls read each parameter site (loops count as many): sites read once are probed early.</summary>
    private readonly Dictionary<string, int> _parameterUses = new();

    private readonly HashSet<string> _recordedEarly = new();

    /// <summary>Finds the <c>Tensor[]</c> parameters some op reads with a run-time index; before any site is named.</summary>
    private void FindArraysReadByRunTimeIndex(IEnumerable<Stmt> body)
    {
        foreach (AssignStmt a in StmtQueries.Assignments(body))
        {
            if (a.Value is not PrimitiveCallExpr { IsTensorOp: true } op) continue;
            foreach (Expr arg in op.Arguments.Where(IsParameterRead))
            {
                if (arg is ElementExpr { Index: not LiteralExpr, Buffer: var b }) _arraysReadByRunTimeIndex.Add(b.Name);
            }
        }
    }

    /// <summary>
    /// Parameters (or <c>Tensor[]</c> parameters) read anywhere but as a tensor op's argument: through <c>.Span</c> in
    /// scalar code, copied into a local (<c>var h = w</c>), indexed. Their gradients get contributions no op pullback
    /// sees, so they are never probed early: a reading taken after one op's pullback missed the rest (a weight penalty
    /// summed over <c>w.Span</c> read as the loss term's gradient alone, and global-norm clipping scaled by it).
    /// </summary>
    private readonly HashSet<string> _parametersReadOutsideOps = new();

    private void FindParametersReadOutsideOps(IEnumerable<Stmt> body)
    {
        var reads = new HashSet<string>();
        CollectReadsOutsideOps(body, reads);
        foreach (ParameterSpec p in _spec.Parameters)
        {
            if (p.IsDifferentiable && p.Type.IsTensorLike && reads.Contains(p.Name)) _parametersReadOutsideOps.Add(p.Name);
        }
    }

    private void CollectReadsOutsideOps(IEnumerable<Stmt> body, HashSet<string> reads)
    {
        // Integers and truth values carry no gradient: a length (w.Length of a Tensor[]), a shape (w.Dim(0)), a
        // comparison. Reading them is no contribution the op's pullback would miss.
        void ValueReads(Expr? e, HashSet<string> into)
        {
            if (e is not null) Exprs.Reads(Exprs.Rewrite(e, x => x.Type.CarriesNoDerivative && x is not LiteralExpr ? Lit(0, TypeRef.Int) : x), into);
        }

        foreach (Stmt s in body)
        {
            if (s is AssignStmt { Value: PrimitiveCallExpr { IsTensorOp: true } call } assign)
            {
                ValueReads(assign.Target, reads);
                foreach (Expr a in call.Arguments.Where(a => !IsParameterRead(a))) ValueReads(a, reads);
                foreach (ElementExpr a in call.Arguments.OfType<ElementExpr>()) ValueReads(a.Index, reads);
            }
            else if (s is IfStmt i)
            {
                ValueReads(i.Condition, reads);
                CollectReadsOutsideOps(i.Then.Concat(i.Else), reads);
            }
            else if (s is LoopStmt l)
            {
                ValueReads(l.Condition, reads);
                CollectReadsOutsideOps(l.Init.Concat(l.Body).Concat(l.Step), reads);
            }
            else
            {
                foreach (Expr e in StmtQueries.Expressions(s)) ValueReads(e, reads);
            }
        }
    }

    /// <summary>The parameter a read of one names: <c>w</c> for <c>w</c> and for <c>w[3]</c>.</summary>
    private static string ParameterOf(Expr read) => read is ElementExpr e ? e.Buffer.Name : read is VariableExpr v ? v.Name : "";

    private void CountParameterUses(IEnumerable<Stmt> stmts, bool inLoop)
    {
        foreach (Stmt s in stmts)
        {
            switch (s)
            {
                case AssignStmt { Value: PrimitiveCallExpr { IsTensorOp: true } call }:
                    foreach (Expr a in call.Arguments.Where(IsParameterRead))
                    {
                        string name = ParameterSiteName(a);
                        _parameterUses[name] = (_parameterUses.TryGetValue(name, out int n) ? n : 0) + (inLoop ? 2 : 1);
                    }
                    break;
                case IfStmt i:
                    CountParameterUses(i.Then, inLoop);
                    CountParameterUses(i.Else, inLoop);
                    break;
                case LoopStmt l:
                    CountParameterUses(l.Init.Concat(l.Body).Concat(l.Step), inLoop: true);
                    break;
            }
        }
    }

    /// <summary>The caller's gradient output for a parameter read (<c>dW1</c>, <c>dW[3]</c>).</summary>
    private Expr GradientOf(Expr read) => read switch
    {
        VariableExpr v => Var(_spec.Parameters.First(p => p.Name == v.Name).GradientName!, v.Type),
        ElementExpr e => e with { Buffer = Var(_spec.Parameters.First(p => p.Name == e.Buffer.Name).GradientName!, e.Buffer.Type) },
        _ => read,
    };

    private bool IsParameterRead(Expr e) => e switch
    {
        VariableExpr v => _spec.Parameters.Any(p => p.Name == v.Name && p.IsDifferentiable),
        ElementExpr { Buffer: var b, Type.Shape: ShapeKind.Tensor } => _spec.Parameters.Any(p => p.Name == b.Name && p.IsDifferentiable),
        _ => false,
    };

    /// <summary>
    /// The site of a parameter read: <c>w1</c>, <c>w[3]</c> for an element read with a constant index, or <c>w</c> for a
    /// <c>Tensor[]</c> read anywhere with a run-time index, whose one site records every element (so an element also read
    /// with a constant index, <c>w[99]</c> after a loop over the others, is not counted twice in the global norm).
    /// </summary>
    private string ParameterSiteName(Expr e) => e switch
    {
        VariableExpr v => v.Name,
        ElementExpr { Buffer: var b, Index: LiteralExpr l } when !_arraysReadByRunTimeIndex.Contains(b.Name) => b.Name + "[" + l.Code + "]",
        ElementExpr { Buffer: var b } => b.Name,
        _ => "?",
    };

    /// <summary><c>Tensor[]</c> parameters some op reads with a run-time index (one probe site for the whole array).</summary>
    private readonly HashSet<string> _arraysReadByRunTimeIndex = new();

    private void SetLayerActivation(string activation)
    {
        _layerProduct = null; // a bias after the activation is not the layer's

        for (int i = 0; i < _probes.Count; i++)
        {
            if (_probes[i].Depth == _layerDepth && _probes[i].Activation == "None" && _probes[i].Kind is "Parameter" or "LayerOutput")
            {
                _probes[i] = _probes[i] with { Activation = activation };
            }
        }
    }

    private static readonly Regex UnrollNote = new(@"\[(\w+) = (-?\d+)\]", RegexOptions.CultureInvariant);

    /// <summary><c>h</c>, or <c>h[3]</c> for the copy of an unrolled loop with counter 3.</summary>
    private static string SiteName(string variable, SourceInfo source)
    {
        var indices = UnrollNote.Matches(source.Text).Cast<Match>().Select(m => m.Groups[2].Value).Reverse().ToList();
        return indices.Count == 0 ? variable : variable + "[" + string.Join(", ", indices) + "]";
    }

    private static string SourceText(SourceInfo source, string op) => op + SiteName(string.Empty, source);
}
