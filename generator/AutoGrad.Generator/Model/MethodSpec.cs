using AutoGrad.Generator.Common;

namespace AutoGrad.Generator.Model;

/// <summary>One type in the chain that contains the method, outermost first: <c>static partial class Model</c>.</summary>
internal sealed record ContainingTypeSpec(string Keyword, string NameWithTypeParameters, bool IsStatic);

/// <summary>A parameter of the differentiable method.</summary>
/// <param name="Name">The parameter's name.</param>
/// <param name="Type">Its type.</param>
/// <param name="NoGrad">Whether it is marked [NoGrad].</param>
/// <param name="GradientName">The name of its gradient output (<c>dW</c> for <c>w</c>), or null when it gets none.</param>
internal sealed record ParameterSpec(string Name, TypeRef Type, bool NoGrad, string? GradientName)
{
    public bool IsDifferentiable => GradientName is not null;
}

/// <summary>A local variable, hoisted to the top of the generated method under a unique name.</summary>
internal sealed record LocalSpec(string Name, TypeRef Type);

/// <summary>Everything the differentiator needs about one [Differentiable] method. No Roslyn types.</summary>
internal sealed record MethodSpec(
    string? Namespace,
    EquatableArray<ContainingTypeSpec> ContainingTypes,
    string Name,
    string Accessibility,
    string QualifiedName,
    TypeRef ReturnType,
    EquatableArray<ParameterSpec> Parameters,
    EquatableArray<LocalSpec> Locals,
    EquatableArray<Stmt> Body,
    string FilePath,
    int Line,
    LocationInfo? Location,
    string HintSuffix = "")
{
    /// <summary>
    /// A file-name-safe, unique hint for the generated source: the qualified name without <c>@</c>, and with
    /// <see cref="HintSuffix"/> when another method's would differ from it only in case (hints are compared ignoring it).
    /// </summary>
    public string HintName =>
        QualifiedName.Replace("global::", string.Empty).Replace("@", string.Empty).Replace('<', '{').Replace('>', '}') + HintSuffix + ".AutoGrad.g.cs";

    /// <summary>The method's <c>[Obsolete]</c> and <c>[Experimental]</c>, as source, for every generated member.</summary>
    public EquatableArray<string> CarriedAttributes { get; init; } = EquatableArray<string>.Empty;

    /// <summary>The diagnostic IDs of experimental APIs the method uses, which the generated file silences.</summary>
    public EquatableArray<string> ExperimentalIds { get; init; } = EquatableArray<string>.Empty;
}

/// <summary>A parameter of a callee that has a pullback, as the caller needs to know it.</summary>
/// <summary>A callee's parameter. <see cref="FanInAxis"/>: from <c>[FanIn]</c>, the axis counting a weight's inputs.</summary>
internal sealed record CalleeParameterSpec(string Name, TypeRef Type, bool IsDifferentiable, int FanInAxis = 1);

/// <summary>
/// A method differentiable code may call: either another [Differentiable] method (its pullback is generated) or
/// a method with [CustomPullback]. Both are called the same way in the reverse sweep (docs/contracts.md).
/// </summary>
internal sealed record CalleeSpec(
    string ContainingType,
    string Name,
    string Pullback,
    string? ForwardInto,
    bool PullbackTakesResult,
    string? StateType,
    bool TakesSite,
    EquatableArray<CalleeParameterSpec> Parameters,
    TypeRef ReturnType,
    ActivationSpec? Activation = null,
    bool IntoTakesActivationReading = false,
    EquatableArray<string> GradientReadingNames = default,
    string? ResultReadingName = null,
    bool IntoKeepsTransposed = false,
    bool ContinuesLayer = false)
{
    /// <summary>The pullback ends with one <c>GradientReading</c> per gradient (named here, in gradient order).</summary>
    public bool PullbackTakesGradientReadings => GradientReadingNames.Count > 0;
}

/// <summary>From <c>[ProbeActivation]</c> on an op: its family (an <c>ActivationKind</c> member) and display name.</summary>
internal sealed record ActivationSpec(string Kind, string Name);

/// <summary>
/// What the parse stage produces for one attributed method: a model, or diagnostics, or both.
/// <see cref="BodyDoesNotCompile"/>: the body has C# errors (the compiler reports them) and <see cref="Method"/> holds
/// only the signature, for the stub that keeps callers of the gradient compiling. <see cref="CallsMethodWithoutGradient"/>:
/// the body calls a [Differentiable] method that gets no generated members, so this one gets only its stub too.
/// </summary>
internal sealed record ParseResult(MethodSpec? Method, EquatableArray<DiagnosticInfo> Diagnostics, bool BodyDoesNotCompile = false,
    bool CallsMethodWithoutGradient = false)
{
    /// <summary>The method gets its stub and no gradient, even without diagnostics of its own.</summary>
    public bool OnlyStub => BodyDoesNotCompile || CallsMethodWithoutGradient;
}
