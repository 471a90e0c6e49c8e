using Microsoft.CodeAnalysis.CSharp;

namespace DeclCnn.Generators.Emit;

/// <summary>Names as they are written in generated source.</summary>
internal static class Identifier
{
    /// <summary>The name as C# source: a keyword used as a name (a class <c>@class</c>) keeps its '@'.</summary>
    public static string Escape(string name) =>
        SyntaxFacts.GetKeywordKind(name) == SyntaxKind.None ? name : "@" + name;
}
