namespace AutoGrad.Generator.Common;

/// <summary>C# literals for text the generated code carries, such as source file names.</summary>
internal static class CSharpLiteral
{
    /// <summary>A regular string literal: file names may hold quotes or backslashes.</summary>
    public static string Quote(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
