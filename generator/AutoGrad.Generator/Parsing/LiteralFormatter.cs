using System;
using System.Globalization;
using AutoGrad.Generator.Model;

namespace AutoGrad.Generator.Parsing;

/// <summary>Spells constants as C# literals in invariant culture, so output never depends on the build machine.</summary>
internal static class LiteralFormatter
{
    public static string? Format(object? value, TypeRef type)
    {
        if (value is bool b) return b ? "true" : "false";
        if (value is null || value is string) return null;
        if (value is char c) value = (int)c; // 'a' in arithmetic is its code; Convert.ToDouble refuses a char
        switch (type.Element)
        {
            case ScalarKind.Double:
                return Double(Convert.ToDouble(value, CultureInfo.InvariantCulture));
            case ScalarKind.Float:
                return Float(Convert.ToSingle(value, CultureInfo.InvariantCulture));
            case ScalarKind.Int:
                string text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "0";
                return type.Display switch
                {
                    "long" => text + "L",
                    "ulong" => text + "UL",
                    "uint" => text + "U",
                    "char" => "(char)" + Convert.ToInt32(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
                    "int" => text,
                    _ => "(" + type.Display + ")" + text,
                };
            default:
                return null;
        }
    }

    public static string Double(double value)
    {
        if (double.IsNaN(value)) return "double.NaN";
        if (double.IsPositiveInfinity(value)) return "double.PositiveInfinity";
        if (double.IsNegativeInfinity(value)) return "double.NegativeInfinity";
        string text = value.ToString("R", CultureInfo.InvariantCulture);
        if (text.IndexOfAny(new[] { '.', 'E', 'e' }) < 0) text += ".0";
        return text;
    }

    public static string Float(float value)
    {
        if (float.IsNaN(value)) return "float.NaN";
        if (float.IsPositiveInfinity(value)) return "float.PositiveInfinity";
        if (float.IsNegativeInfinity(value)) return "float.NegativeInfinity";
        return value.ToString("R", CultureInfo.InvariantCulture) + "f";
    }

    /// <summary>A literal of the given real (or int) type for a small constant used in a derivative formula.</summary>
    public static LiteralExpr Of(double value, TypeRef type) =>
        new(type.Element switch
        {
            ScalarKind.Float => Float((float)value),
            ScalarKind.Int => ((long)value).ToString(CultureInfo.InvariantCulture),
            _ => Double(value),
        }, type.ElementOf());
}
