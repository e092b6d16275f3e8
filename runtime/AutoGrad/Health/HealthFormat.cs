using System;
using System.Globalization;

namespace AutoGrad.Health;

/// <summary>Number formatting shared by the reports: invariant culture, three significant digits.</summary>
public static class HealthFormat
{
    /// <summary>0.25, 70, 1.2e-05, 3.4e+06; "-" for NaN; "∞"/"-∞" for infinities.</summary>
    public static string Number(double value)
    {
        if (double.IsNaN(value)) return "-";
        if (double.IsPositiveInfinity(value)) return "∞";
        if (double.IsNegativeInfinity(value)) return "-∞";
        double magnitude = Math.Abs(value);
        if (magnitude != 0 && (magnitude < 1e-3 || magnitude >= 1e5))
        {
            return value.ToString("0.0#e+00", CultureInfo.InvariantCulture);
        }
        return value.ToString("0.###", CultureInfo.InvariantCulture);
    }

    /// <summary>A fraction as a percentage with no decimals: 0.8 → "80%"; "-" for NaN.</summary>
    public static string Percent(double fraction) =>
        double.IsNaN(fraction) ? "-" : (fraction * 100).ToString("0", CultureInfo.InvariantCulture) + "%";

    /// <summary>A log10 value with two decimals: -4.27; "-" for NaN.</summary>
    public static string Log10(double value) =>
        double.IsNaN(value) ? "-" : value.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary><c>file.cs:12</c>, or just <c>:12</c> without a file, or "-" without a line.</summary>
    public static string Location(string file, int line) =>
        line <= 0 ? "-" : $"{System.IO.Path.GetFileName(file)}:{line.ToString(CultureInfo.InvariantCulture)}";
}
