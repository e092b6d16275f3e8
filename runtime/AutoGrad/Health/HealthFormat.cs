using System;
using System.Globalization;

namespace AutoGrad.Health;

/// <summary>Number formatting shared by the reports: invariant culture, three significant digits.</summary>
public static class HealthFormat
{
    /// <summary>0.25, 0.0104, 70, 1.2e-05, 3.4e+06; "-" for NaN; "∞"/"-∞" for infinities.</summary>
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
        // Below 1, three decimals are one or two significant digits (0.0104 printed as 0.01, failing its own "> 0.01"):
        // G3 keeps three, and writes no exponent from 1e-3 up.
        return magnitude < 1
            ? value.ToString("G3", CultureInfo.InvariantCulture)
            : value.ToString("0.###", CultureInfo.InvariantCulture);
    }

    /// <summary>As <see cref="Number"/>, for a value that was read and may be NaN (a loss, a global norm): "NaN", not
    /// the tables' "-" for no reading.</summary>
    public static string Value(double value) => double.IsNaN(value) ? "NaN" : Number(value);

    /// <summary>A fraction as a percentage with no decimals: 0.8 → "80%"; "-" for NaN.</summary>
    public static string Percent(double fraction) =>
        double.IsNaN(fraction) ? "-" : (fraction * 100).ToString("0", CultureInfo.InvariantCulture) + "%";

    /// <summary>A log10 value with two decimals: -4.27; "-" for NaN; "-∞" for log10 of 0.</summary>
    public static string Log10(double value) =>
        double.IsNaN(value) ? "-" : double.IsNegativeInfinity(value) ? "-∞" : value.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary><c>file.cs:12</c>, or just <c>:12</c> without a file, or "-" without a line.</summary>
    public static string Location(string file, int line) =>
        line <= 0 ? "-" : $"{System.IO.Path.GetFileName(file)}:{line.ToString(CultureInfo.InvariantCulture)}";
}
