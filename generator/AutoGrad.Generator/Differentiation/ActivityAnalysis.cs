using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generator.Model;

namespace AutoGrad.Generator.Differentiation;

/// <summary>
/// Which variables carry a derivative. A variable is <i>varied</i> when its value depends on a differentiable
/// parameter, <i>useful</i> when the result depends on it, and <i>active</i> when both. Only active variables get
/// adjoints, so an inactive value (a dead <c>Math.Acos(2)</c>, say) can never leak NaN into a gradient. The
/// analysis is flow-insensitive over the whole method, which is conservative (never misses an active variable).
/// Views of a buffer (<c>a.AsSpan(i, n)</c>) share the buffer's activity.
/// </summary>
internal sealed class ActivityAnalysis
{
    private readonly Dictionary<string, string> _alias = new();
    private readonly HashSet<string> _varied = new();
    private readonly HashSet<string> _useful = new();

    /// <summary>
    /// Integer variables and arrays holding bits of a varied real (<c>BitConverter.DoubleToInt64Bits(x)</c>): how many of
    /// their low bits may still be its mantissa.
    /// </summary>
    private readonly Dictionary<string, int> _bits = new();

    public static ActivityAnalysis Run(IReadOnlyList<Stmt> body, IEnumerable<ParameterSpec> parameters, VariableExpr result)
    {
        var a = new ActivityAnalysis();
        List<AssignStmt> assignments = StmtQueries.Assignments(body);
        foreach (AssignStmt s in assignments)
        {
            if (s.Target is VariableExpr v && v.Type.IsBuffer && s.Value is SliceExpr slice) a.Union(v.Name, slice.Buffer.Name);
            if (s.Target is VariableExpr v2 && v2.Type.IsBuffer && s.Value is VariableExpr other) a.Union(v2.Name, other.Name);
            if (s.Target is VariableExpr v3 && v3.Type.IsBuffer && s.Value is TensorDataExpr data) a.Union(v3.Name, data.Tensor.Name);
        }
        foreach (ParameterSpec p in parameters.Where(p => p.IsDifferentiable)) a._varied.Add(a.Root(p.Name));
        a._useful.Add(a.Root(result.Name));

        bool changed = true;
        while (changed)
        {
            changed = false;
            foreach (AssignStmt s in assignments)
            {
                string target = a.Root(TargetName(s.Target));
                // Locals of other types (var t = Math.SinCos(x)) too, so that t.Sin is seen to depend on x.
                if (!s.Target.Type.CarriesNoDerivative)
                {
                    if (!a._varied.Contains(target) && a.IsVaried(s.Value)) changed |= a._varied.Add(target);
                }
                else if (s.Target.Type.Element == ScalarKind.Int && a.MantissaIn(s.Value) is int held and > 0 &&
                         (!a._bits.TryGetValue(target, out int known) || held > known))
                {
                    a._bits[target] = held;
                    changed = true;
                }
                if (a._useful.Contains(target))
                {
                    foreach (string read in Exprs.Reads(s.Value)) changed |= a._useful.Add(a.Root(read));
                }
            }
        }
        return a;
    }

    public static string TargetName(Expr target) => target switch
    {
        VariableExpr v => v.Name,
        ElementExpr e => e.Buffer.Name,
        _ => string.Empty,
    };

    private void Union(string a, string b)
    {
        string ra = Root(a), rb = Root(b);
        if (ra != rb) _alias[ra] = rb;
    }

    private string Root(string name)
    {
        while (_alias.TryGetValue(name, out string? parent)) name = parent;
        return name;
    }

    /// <summary>True when the variable (or buffer) carries a derivative.</summary>
    public bool IsActive(string name)
    {
        string root = Root(name);
        return _varied.Contains(root) && _useful.Contains(root);
    }

    public bool IsVariedVariable(string name) => _varied.Contains(Root(name));

    /// <summary>
    /// True when the expression's value depends on a differentiable input through real arithmetic, or is a value of
    /// another type made from one (a tuple, struct, string or memory that <c>Math.SinCos(x)</c>, <c>Complex.Exp(x)</c>
    /// or <c>a.AsMemory()</c> returns): the generator cannot follow the derivative through those, so their varied
    /// values are tracked only to report AG0007 where a real value is read back out of them. Integers and truth values
    /// (and arrays of them: a tensor's shape, labels) computed from a real value are piecewise constant and carry
    /// nothing.
    /// </summary>
    public bool IsVaried(Expr e)
    {
        if (e.Type.CarriesNoDerivative) return false;
        return e switch
        {
            VariableExpr v => IsVariedVariable(v.Name),
            ElementExpr el => IsVariedVariable(el.Buffer.Name),
            SliceExpr s => IsVariedVariable(s.Buffer.Name),
            TensorDataExpr td => IsVariedVariable(td.Tensor.Name),
            UnaryExpr u => IsVaried(u.Operand),
            BinaryExpr b => IsVaried(b.Left) || IsVaried(b.Right),
            ConditionalExpr c => IsVaried(c.WhenTrue) || IsVaried(c.WhenFalse),
            CastExpr c => IsVaried(c.Operand),
            MathCallExpr m => !MathDerivatives.IsZeroGradient(m.Function) && m.Arguments.Any(IsVaried),
            PrimitiveCallExpr p => p.Arguments.Any(IsVaried),
            OpaqueCallExpr o => (o.Receiver is not null && IsVaried(o.Receiver)) || o.Arguments.Any(IsVaried) ||
                                (ReadsBitsBack(o) && o.Arguments.Any(HoldsBitsOfVaried)),
            OpaqueMemberExpr om => IsVaried(om.Receiver),
            _ => false,
        };
    }

    // Integers computed from a real are piecewise constant (a floor, a sign test, an exponent), but its bits are not
    // once they are read back as a real: the fast inverse square root's 'Int32BitsToSingle(0x5f3759df - (i >> 1))' of
    // 'i = SingleToInt32Bits(x)' depends on x smoothly. Bits are followed from where they are taken out (BitConverter,
    // Unsafe.BitCast; not any call that makes an integer of a real, such as Array.BinarySearch, which is piecewise
    // constant) through integer arithmetic, calls and locals, to the call that reads them back, which then counts as
    // varied and gets AG0007. A mask that keeps no mantissa bit, or a shift past the mantissa, ends the trail: a sign
    // (bits & long.MinValue) or an exponent (bits >> 52) rebuilt into a real is piecewise constant, and stays allowed.
    private static readonly HashSet<string> s_bitsOut = new()
    {
        "global::System.BitConverter.DoubleToInt64Bits", "global::System.BitConverter.DoubleToUInt64Bits",
        "global::System.BitConverter.SingleToInt32Bits", "global::System.BitConverter.SingleToUInt32Bits",
        "global::System.BitConverter.GetBytes",
    };

    private static readonly HashSet<string> s_bitsBack = new()
    {
        "global::System.BitConverter.Int64BitsToDouble", "global::System.BitConverter.UInt64BitsToDouble",
        "global::System.BitConverter.Int32BitsToSingle", "global::System.BitConverter.UInt32BitsToSingle",
        "global::System.BitConverter.ToDouble", "global::System.BitConverter.ToSingle",
    };

    private const string BitCast = "global::System.Runtime.CompilerServices.Unsafe.BitCast<";

    private static bool ReadsBitsBack(OpaqueCallExpr o) =>
        s_bitsBack.Contains(o.Method) || (o.Method.StartsWith(BitCast, System.StringComparison.Ordinal) && o.Type.IsRealScalar);

    /// <summary>The mantissa bits a real's bits hold: 52 for a double's, 23 for a float's.</summary>
    private static int MantissaOf(TypeRef real) => real.Element == ScalarKind.Float ? 23 : 52;

    /// <summary>The width of an integer type, which C# masks shift counts to.</summary>
    private static int Width(TypeRef type) => type.Display is "long" or "ulong" ? 64 : 32;

    private bool HoldsBitsOfVaried(Expr e) => MantissaIn(e) > 0;

    /// <summary>
    /// How many low bits of an integer (or byte) expression may still be a varied real's mantissa: 0 when it holds none
    /// (no bits of a varied real, or only its sign and exponent). A right shift by c drops c of them (C# masks c to the
    /// type's width), a constant mask keeps those it keeps, a narrowing cast at most the new width.
    /// </summary>
    private int MantissaIn(Expr e)
    {
        switch (e)
        {
            case OpaqueCallExpr o when ReadsBitsBack(o):
                return 0;
            case OpaqueCallExpr o when s_bitsOut.Contains(o.Method) || o.Method.StartsWith(BitCast, System.StringComparison.Ordinal):
                return o.Arguments.FirstOrDefault(IsVaried) is { } real ? (o.Method.EndsWith("GetBytes", System.StringComparison.Ordinal) ? 8 : MantissaOf(real.Type))
                    : o.Arguments.Select(MantissaIn).DefaultIfEmpty(0).Max(); // Unsafe.BitCast<long, ulong>: the same bits
            case OpaqueCallExpr o when o.Type.IsIntegral && PassesBits(o.Method):
                return o.Arguments.Select(MantissaIn).DefaultIfEmpty(0).Max();
            case OpaqueCallExpr:
                // Any other call (a popcount, a hash) makes an integer of its own.
                return 0;
            case MathCallExpr m:
                return m.Arguments.Select(MantissaIn).DefaultIfEmpty(0).Max();
            case VariableExpr v:
                return _bits.TryGetValue(Root(v.Name), out int held) ? held : 0;
            case ElementExpr el:
                return _bits.TryGetValue(Root(el.Buffer.Name), out int element) ? element : 0;
            case UnaryExpr u:
                return MantissaIn(u.Operand);
            case BinaryExpr { Op: BinaryOp.BitwiseAnd } b when Constant(b.Right) is ulong mask:
                return Masked(MantissaIn(b.Left), mask);
            case BinaryExpr { Op: BinaryOp.BitwiseAnd } b when Constant(b.Left) is ulong mask:
                return Masked(MantissaIn(b.Right), mask);
            case BinaryExpr { Op: BinaryOp.ShiftRight or BinaryOp.UnsignedShiftRight } b when Constant(b.Right) is ulong by:
                return System.Math.Max(0, MantissaIn(b.Left) - (int)(by & (ulong)(Width(b.Left.Type) - 1)));
            case BinaryExpr { Op: BinaryOp.ShiftLeft } b when Constant(b.Right) is ulong up && MantissaIn(b.Left) is int low and > 0:
                // The mantissa bits move up: a right shift after it must remove them again ((b << 52) >>> 52 keeps 12).
                return System.Math.Min(Width(b.Left.Type), low + (int)(up & (ulong)(Width(b.Left.Type) - 1)));
            case BinaryExpr b:
                return System.Math.Max(MantissaIn(b.Left), MantissaIn(b.Right));
            case ConditionalExpr c:
                return System.Math.Max(MantissaIn(c.WhenTrue), MantissaIn(c.WhenFalse));
            case CastExpr c when c.Operand.Type.CarriesNoDerivative:
                return System.Math.Min(MantissaIn(c.Operand), Width(c.Type));
            default:
                return 0;
        }
    }

    /// <summary>
    /// Integer calls that return one of their arguments' bits, moved or whole: <c>int.Max</c>, <c>long.Clamp</c>,
    /// <c>BitOperations.RotateLeft</c>, <c>BinaryPrimitives.ReverseEndianness</c> and their kin.
    /// </summary>
    private static bool PassesBits(string method)
    {
        int dot = method.LastIndexOf('.');
        string name = dot >= 0 ? method.Substring(dot + 1) : method;
        int generic = name.IndexOf('<');
        if (generic >= 0) name = name.Substring(0, generic);
        return name is "Max" or "Min" or "Clamp" or "Abs" or "CopySign" or "MaxMagnitude" or "MinMagnitude" or
            "RotateLeft" or "RotateRight" or "ReverseEndianness";
    }

    /// <summary>The mantissa bits left of <paramref name="held"/> low ones after a mask: up to its highest kept bit.</summary>
    private static int Masked(int held, ulong mask)
    {
        ulong kept = held >= 64 ? mask : mask & ((1UL << held) - 1);
        int top = 0;
        while (kept != 0)
        {
            top++;
            kept >>= 1;
        }
        return top;
    }

    /// <summary>The bits of an integer literal (decimal or hex, any suffix, negated or not), or null.</summary>
    private static ulong? Constant(Expr e)
    {
        if (e is UnaryExpr { Op: UnaryOp.Negate, Operand: var operand } && Constant(operand) is ulong negated) return unchecked(0UL - negated);
        if (e is CastExpr { Operand: var inner }) return Constant(inner);
        if (e is not LiteralExpr literal) return null;
        string code = literal.Code.TrimEnd('L', 'l', 'U', 'u').Replace("_", string.Empty);
        bool negative = code.StartsWith("-", System.StringComparison.Ordinal);
        if (negative) code = code.Substring(1);
        ulong value;
        bool parsed = code.StartsWith("0x", System.StringComparison.OrdinalIgnoreCase)
            ? ulong.TryParse(code.Substring(2), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out value)
            : ulong.TryParse(code, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out value);
        if (!parsed) return null;
        return negative ? unchecked(0UL - value) : value;
    }

    /// <summary>True when the expression carries a derivative: it is varied and reads an active variable.</summary>
    public bool IsActive(Expr e)
    {
        if (!(e.Type.IsRealElement || e.Type.IsTensorLike)) return false;
        return e switch
        {
            VariableExpr v => IsActive(v.Name),
            ElementExpr el => IsActive(el.Buffer.Name),
            SliceExpr s => IsActive(s.Buffer.Name),
            TensorDataExpr td => IsActive(td.Tensor.Name),
            UnaryExpr u => IsActive(u.Operand),
            BinaryExpr b => IsActive(b.Left) || IsActive(b.Right),
            ConditionalExpr c => IsActive(c.WhenTrue) || IsActive(c.WhenFalse),
            CastExpr c => IsActive(c.Operand),
            MathCallExpr m => !MathDerivatives.IsZeroGradient(m.Function) && m.Arguments.Any(IsActive),
            PrimitiveCallExpr p => p.Arguments.Any(IsActive),
            _ => false,
        };
    }
}
