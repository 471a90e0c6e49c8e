using System;
using System.Text;

namespace DeclCnn.Generators.Emit;

/// <summary>Builds source text line by line with four-space indentation and '\n' line endings.</summary>
internal sealed class IndentedWriter
{
    private readonly StringBuilder text = new();
    private int depth;

    public IndentedWriter Line(string line = "")
    {
        if (line.Length > 0)
        {
            text.Append(' ', depth * 4).Append(line);
        }

        text.Append('\n');
        return this;
    }

    /// <summary>Writes the header (if any) and an opening brace, and indents until the returned scope is disposed.</summary>
    public IDisposable Block(string? header = null)
    {
        if (header is not null)
        {
            Line(header);
        }

        Line("{");
        depth++;
        return new Scope(this);
    }

    public override string ToString() => text.ToString();

    private sealed class Scope : IDisposable
    {
        private readonly IndentedWriter writer;

        public Scope(IndentedWriter writer) => this.writer = writer;

        public void Dispose()
        {
            writer.depth--;
            writer.Line("}");
        }
    }
}
