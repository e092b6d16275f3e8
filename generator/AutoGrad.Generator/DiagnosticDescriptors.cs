using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace AutoGrad.Generator;

/// <summary>
/// Every diagnostic the generator reports. Each message says what is unsupported and what to write instead; each
/// help link points at its section of docs/diagnostics.md. IDs are tracked in AnalyzerReleases.*.md.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "AutoGrad";
    private const string HelpBase = "https://github.com/autograd-net/AutoGrad/blob/main/docs/diagnostics.md#";

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            helpLinkUri: HelpBase + id.ToLowerInvariant());

    public static readonly DiagnosticDescriptor TypeNotPartial = Error("AG0001",
        "Containing type must be partial",
        "The type '{0}' that contains [Differentiable] method '{1}' is not partial, so the generator cannot add '{1}Gradient' to it; add the 'partial' modifier to '{0}'");

    public static readonly DiagnosticDescriptor MethodNotStatic = Error("AG0002",
        "Differentiable method must be static",
        "[Differentiable] method '{0}' is an instance method; make it static and pass the state it reads as parameters");

    public static readonly DiagnosticDescriptor UnsupportedReturnType = Error("AG0003",
        "Unsupported return type",
        "[Differentiable] method '{0}' returns '{1}'; a differentiable method returns float or double; return the scalar loss");

    public static readonly DiagnosticDescriptor UnsupportedParameterType = Error("AG0004",
        "Unsupported parameter type",
        "Parameter '{0}' has type '{1}', which the generator cannot differentiate; use float, double, an array or span of them, Tensor or Tensor[] (a double[] or ReadOnlySpan<double> for a list of numbers the method indexes), or mark it [NoGrad] if the method only passes it on");

    public static readonly DiagnosticDescriptor RefParameter = Error("AG0005",
        "ref, out and in parameters are not supported",
        "Parameter '{0}' is passed by '{1}'; pass it by value (arrays and spans already share their elements) and return the result instead");

    public static readonly DiagnosticDescriptor Recursion = Error("AG0006",
        "Recursion is not supported",
        "'{0}' calls itself; rewrite the recursion as a loop");

    public static readonly DiagnosticDescriptor NonDifferentiableCall = Error("AG0007",
        "Call to a non-differentiable method with an active argument",
        "'{0}' is not differentiable, but {1}");

    public static readonly DiagnosticDescriptor LambdaOrLocalFunction = Error("AG0008",
        "Lambdas and local functions are not supported",
        "{0} cannot be differentiated; write it as a static [Differentiable] method and call that");

    public static readonly DiagnosticDescriptor Linq = Error("AG0009",
        "LINQ is not supported",
        "LINQ ('{0}') cannot be differentiated; write the loop explicitly");

    public static readonly DiagnosticDescriptor ExceptionHandling = Error("AG0010",
        "try, catch, finally and throw are not supported",
        "'{0}' is not supported in a [Differentiable] method; validate inputs before calling it, outside the differentiable code");

    public static readonly DiagnosticDescriptor Goto = Error("AG0011",
        "goto and labels are not supported",
        "'{0}' is not supported; use break, continue, return or a flag instead");

    public static readonly DiagnosticDescriptor FieldOrPropertyWrite = Error("AG0012",
        "Writes to fields or properties are not supported",
        "Writing to '{0}' would be a side effect the gradient cannot account for; {1}");

    public static readonly DiagnosticDescriptor ObjectOrDynamic = Error("AG0013",
        "object, dynamic and boxing are not supported",
        "'{0}' uses object, dynamic or a boxing conversion; use float, double, arrays or spans of them");

    public static readonly DiagnosticDescriptor Unsafe = Error("AG0014",
        "unsafe code is not supported",
        "'{0}' uses unsafe code or pointers; use arrays or spans");

    public static readonly DiagnosticDescriptor UnsupportedStatement = Error("AG0015",
        "Unsupported statement",
        "'{0}' is not supported in a [Differentiable] method: {1}");

    public static readonly DiagnosticDescriptor UnsupportedExpression = Error("AG0016",
        "Unsupported expression",
        "'{0}' is not supported in a [Differentiable] method: {1}");

    public static readonly DiagnosticDescriptor ParameterWrite = Error("AG0017",
        "Writes to array or span parameters are not supported",
        "'{0}' writes into parameter '{1}'; {2}");

    public static readonly DiagnosticDescriptor LocalArrayPlacement = Error("AG0018",
        "Local arrays must be created at the top level of the method",
        "Local array or span '{0}' is created{1}; {2}");

    public static readonly DiagnosticDescriptor InvalidPullback = Error("AG0019",
        "Invalid custom pullback",
        "The pullback '{0}' registered for '{1}' does not match: {2}{3}");

    public static readonly DiagnosticDescriptor GenericMethod = Error("AG0020",
        "Generic methods are not supported",
        "[Differentiable] method '{0}' is generic; write it for float or double");

    public static readonly DiagnosticDescriptor GradientNameClash = Error("AG0021",
        "Gradient parameter name clashes",
        "Parameter '{0}' clashes with '{1}', a name {2} uses; rename the parameter");

    public static readonly DiagnosticDescriptor OverloadedMethod = Error("AG0022",
        "Overloaded [Differentiable] methods are not supported",
        "'{0}' has another [Differentiable] overload in '{1}', and the members generated for each ({0}ProbeLayout, its workspace) would clash; give each overload a name of its own");

    public static readonly DiagnosticDescriptor UnsupportedDeclaration = Error("AG0023",
        "Unsupported declaration of a [Differentiable] method",
        "{0}; {1}");

    public static readonly DiagnosticDescriptor GeneratedMemberNameTaken = Error("AG0024",
        "A member the generator adds is already declared",
        "'{0}' already declares '{1}', which the generator adds for '{2}'; rename or remove it, or rename '{2}'");

    public static readonly DiagnosticDescriptor InternalError = Error("AG9999",
        "AutoGrad generator internal error",
        "The AutoGrad generator failed on '{0}': {1}. Please report this with the method's source.");

    private static readonly Dictionary<string, DiagnosticDescriptor> s_byId = typeof(DiagnosticDescriptors)
        .GetFields()
        .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
        .Select(f => (DiagnosticDescriptor)f.GetValue(null))
        .ToDictionary(d => d.Id);

    public static DiagnosticDescriptor ById(string id) => s_byId[id];

    public static IEnumerable<DiagnosticDescriptor> All => s_byId.Values.OrderBy(d => d.Id);
}
