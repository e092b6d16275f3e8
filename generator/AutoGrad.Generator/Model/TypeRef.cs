namespace AutoGrad.Generator.Model;

/// <summary>The element kinds the generator distinguishes.</summary>
internal enum ScalarKind
{
    Double,
    Float,
    Int,
    Bool,
    Other,
}

/// <summary>How a value is shaped: a scalar, a one-dimensional buffer, a tensor, or something opaque.</summary>
internal enum ShapeKind
{
    Scalar,
    Array,
    Span,
    ReadOnlySpan,
    Tensor,
    TensorArray,
    Other,
}

/// <summary>A C# type as the generator sees it. <see cref="Display"/> is the fully qualified spelling.</summary>
internal sealed record TypeRef(ShapeKind Shape, ScalarKind Element, string Display)
{
    public static readonly TypeRef Double = new(ShapeKind.Scalar, ScalarKind.Double, "double");
    public static readonly TypeRef Float = new(ShapeKind.Scalar, ScalarKind.Float, "float");
    public static readonly TypeRef Int = new(ShapeKind.Scalar, ScalarKind.Int, "int");
    public static readonly TypeRef Bool = new(ShapeKind.Scalar, ScalarKind.Bool, "bool");
    public static readonly TypeRef Tensor = new(ShapeKind.Tensor, ScalarKind.Float, "global::AutoGrad.Tensor");
    public static readonly TypeRef TensorArray = new(ShapeKind.TensorArray, ScalarKind.Float, "global::AutoGrad.Tensor[]");

    public bool IsRealElement => Element is ScalarKind.Double or ScalarKind.Float;

    public bool IsRealScalar => Shape == ShapeKind.Scalar && IsRealElement;

    /// <summary>An array or span of float/double.</summary>
    public bool IsRealBuffer => Shape is ShapeKind.Array or ShapeKind.Span or ShapeKind.ReadOnlySpan && IsRealElement;

    public bool IsBuffer => Shape is ShapeKind.Array or ShapeKind.Span or ShapeKind.ReadOnlySpan;

    public bool IsTensorLike => Shape is ShapeKind.Tensor or ShapeKind.TensorArray;

    /// <summary>Types whose values can carry a derivative.</summary>
    public bool IsDifferentiable => IsRealScalar || IsRealBuffer || IsTensorLike;

    public bool IsIntegral => Shape == ShapeKind.Scalar && Element == ScalarKind.Int;

    /// <summary>Integers and bools, and arrays and spans of them: piecewise constant in anything real they were computed
    /// from, so they carry no derivative (a tensor's shape, labels, a count, a comparison).</summary>
    public bool CarriesNoDerivative => Element is ScalarKind.Int or ScalarKind.Bool;

    /// <summary>The C# keyword of the element type (<c>double</c>, <c>float</c>, ...).</summary>
    public string ElementKeyword => Element switch
    {
        ScalarKind.Double => "double",
        ScalarKind.Float => "float",
        ScalarKind.Int => "int",
        ScalarKind.Bool => "bool",
        _ => Display,
    };

    /// <summary>
    /// The C# spelling of one element of an array or span, as declared: <c>long</c> for <c>long[]</c>, where
    /// <see cref="ElementKeyword"/> names every integer type <c>int</c>.
    /// </summary>
    public string ElementDisplay
    {
        get
        {
            if (Display.EndsWith("[]", System.StringComparison.Ordinal)) return Display.Substring(0, Display.Length - 2);
            int open = Display.IndexOf('<');
            return open >= 0 && Display.EndsWith(">", System.StringComparison.Ordinal) ? Display.Substring(open + 1, Display.Length - open - 2) : ElementKeyword;
        }
    }

    /// <summary>The scalar type of one element.</summary>
    public TypeRef ElementOf() => Element switch
    {
        ScalarKind.Double => Double,
        ScalarKind.Float => Float,
        ScalarKind.Int => Int,
        ScalarKind.Bool => Bool,
        _ => this,
    };

    public static TypeRef SpanOf(ScalarKind element) =>
        new(ShapeKind.Span, element, "global::System.Span<" + Keyword(element) + ">");

    public static string Keyword(ScalarKind element) => element switch
    {
        ScalarKind.Double => "double",
        ScalarKind.Float => "float",
        ScalarKind.Int => "int",
        ScalarKind.Bool => "bool",
        _ => "object",
    };
}
