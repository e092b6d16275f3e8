using System.Collections.Immutable;
using System.Linq;
using AutoGrad.Generator.Model;
using Microsoft.CodeAnalysis;

namespace AutoGrad.Generator.Parsing;

/// <summary>Maps Roslyn types onto <see cref="TypeRef"/>.</summary>
internal static class TypeMapper
{
    public static readonly SymbolDisplayFormat QualifiedFormat = SymbolDisplayFormat.FullyQualifiedFormat;

    // Generated signatures repeat the user's parameter types; without the '?' of a nullable reference type a caller
    // that passes null to the generated overload gets CS8625, where the user's own method accepts it.
    private static readonly SymbolDisplayFormat AnnotatedFormat = QualifiedFormat.AddMiscellaneousOptions(
        SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary>
    /// Maps <paramref name="type"/>. Only a [NoGrad] parameter's type keeps its nullable annotation
    /// (<paramref name="keepNullable"/>): locals declared with <c>var</c> are annotated by inference, and a parameter
    /// that gets a gradient is read by the generated code, so it must not be null.
    /// </summary>
    public static TypeRef Map(ITypeSymbol? type, bool keepNullable = false, Compilation? compilation = null)
    {
        if (type is null) return new TypeRef(ShapeKind.Other, ScalarKind.Other, "object");
        if (!keepNullable) type = type.WithNullableAnnotation(NullableAnnotation.NotAnnotated);
        else if (compilation is not null)
        {
            // Declared where nullable is off, every reference in the type may be null ('string[] names' takes a
            // 'string?[]'): the generated signature, which lives where annotations are on, says so.
            type = Oblivious(type, compilation);
        }
        string display = type.ToDisplayString(AnnotatedFormat);
        ScalarKind scalar = ScalarOf(type);
        if (scalar != ScalarKind.Other)
        {
            return new TypeRef(ShapeKind.Scalar, scalar, display);
        }
        if (type is IArrayTypeSymbol { Rank: 1 } array)
        {
            if (IsTensor(array.ElementType)) return Annotated(TypeRef.TensorArray, type);
            ScalarKind element = ScalarOf(array.ElementType);
            if (element != ScalarKind.Other) return new TypeRef(ShapeKind.Array, element, display);
        }
        if (type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } named &&
            named.ContainingNamespace?.ToDisplayString() == "System")
        {
            ScalarKind element = ScalarOf(named.TypeArguments[0]);
            if (element != ScalarKind.Other && named.Name == "Span") return new TypeRef(ShapeKind.Span, element, display);
            if (element != ScalarKind.Other && named.Name == "ReadOnlySpan") return new TypeRef(ShapeKind.ReadOnlySpan, element, display);
        }
        if (IsTensor(type)) return Annotated(TypeRef.Tensor, type);
        return new TypeRef(ShapeKind.Other, ScalarKind.Other, display);
    }

    /// <summary><paramref name="type"/> with every reference type in it that has no annotation (oblivious) made nullable.</summary>
    private static ITypeSymbol Oblivious(ITypeSymbol type, Compilation compilation)
    {
        NullableAnnotation Outer(ITypeSymbol t) =>
            t.IsReferenceType && t.NullableAnnotation == NullableAnnotation.None ? NullableAnnotation.Annotated : t.NullableAnnotation;
        switch (type)
        {
            case IArrayTypeSymbol array:
                ITypeSymbol element = Oblivious(array.ElementType, compilation);
                return compilation.CreateArrayTypeSymbol(element, array.Rank, element.NullableAnnotation).WithNullableAnnotation(Outer(array));
            // Arity, not IsGenericType, which is true for a non-generic type nested in a generic one (Box<int>.E): it has no
            // type arguments of its own to construct from.
            case INamedTypeSymbol { Arity: > 0 } named when named.OriginalDefinition.SpecialType != SpecialType.System_Nullable_T:
                var arguments = named.TypeArguments.Select(a => Oblivious(a, compilation)).ToImmutableArray();
                return named.ConstructedFrom.Construct(arguments, arguments.Select(a => a.NullableAnnotation).ToImmutableArray())
                    .WithNullableAnnotation(Outer(named));
            default:
                return type.WithNullableAnnotation(Outer(type));
        }
    }

    // Tensor? and Tensor?[]? as the user wrote them: the annotations of the array and of its elements.
    private static TypeRef Annotated(TypeRef tensorLike, ITypeSymbol type)
    {
        string display = type.ToDisplayString(AnnotatedFormat);
        return display == tensorLike.Display ? tensorLike : tensorLike with { Display = display };
    }

    public static bool IsTensor(ITypeSymbol type) =>
        type is INamedTypeSymbol { Name: "Tensor" } named && named.ContainingNamespace?.ToDisplayString() == "AutoGrad";

    public static bool IsObjectOrDynamic(ITypeSymbol? type) =>
        type is not null && (type.SpecialType == SpecialType.System_Object || type.TypeKind == TypeKind.Dynamic ||
                             type is IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Object });

    public static bool IsPointer(ITypeSymbol? type) => type is IPointerTypeSymbol or IFunctionPointerTypeSymbol;

    private static ScalarKind ScalarOf(ITypeSymbol type) => type.SpecialType switch
    {
        SpecialType.System_Double => ScalarKind.Double,
        SpecialType.System_Single => ScalarKind.Float,
        SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_Int16 or SpecialType.System_Byte
            or SpecialType.System_SByte or SpecialType.System_UInt16 or SpecialType.System_UInt32
            or SpecialType.System_UInt64 or SpecialType.System_Char => ScalarKind.Int,
        SpecialType.System_Boolean => ScalarKind.Bool,
        _ => ScalarKind.Other,
    };
}
