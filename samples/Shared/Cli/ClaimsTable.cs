using System.Collections.Generic;
using Spectre.Console;

namespace AutoGrad.Samples.Cli;

/// <summary>Prints a sample's claims with a verdict each, so a reader sees what was checked and on what numbers.</summary>
public static class ClaimsTable
{
    /// <summary>Writes the table.</summary>
    public static void Write(IAnsiConsole console, IReadOnlyList<Claim> claims)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("[bold]What this run shows[/]");
        table.AddColumn("claim");
        table.AddColumn("holds");
        table.AddColumn("evidence");
        foreach (Claim c in claims)
        {
            table.AddRow(Markup.Escape(c.Statement), c.Holds ? "[green]yes[/]" : "[red]NO[/]", Markup.Escape(c.Evidence));
        }
        console.Write(table);
    }
}
