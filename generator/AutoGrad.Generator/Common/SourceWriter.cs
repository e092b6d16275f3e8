using System;
using System.Text;

namespace AutoGrad.Generator.Common;

/// <summary>An indented text writer for generated C#. Always writes '\n' line endings so output is stable.</summary>
internal sealed class SourceWriter
{
    private const string IndentUnit = "    ";
    private readonly StringBuilder _sb = new();
    private int _indent;

    public int Indent
    {
        get => _indent;
        set => _indent = Math.Max(0, value);
    }

    public void WriteLine(string line)
    {
        if (line.Length == 0)
        {
            _sb.Append('\n');
            return;
        }
        for (int i = 0; i < _indent; i++) _sb.Append(IndentUnit);
        _sb.Append(line).Append('\n');
    }

    public void WriteLine() => _sb.Append('\n');

    public void OpenBrace()
    {
        WriteLine("{");
        _indent++;
    }

    public void CloseBrace(string suffix = "")
    {
        _indent--;
        WriteLine("}" + suffix);
    }

    public override string ToString() => _sb.ToString();
}
