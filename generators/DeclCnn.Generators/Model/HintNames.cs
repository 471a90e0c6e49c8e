using System.Linq;

namespace DeclCnn.Generators.Model;

/// <summary>The names of the generated files, and of the classes they extend as messages show them.</summary>
internal static class HintNames
{
    /// <summary>The class as a message names it: <c>App.Models.Net</c>.</summary>
    public static string DisplayName(string? @namespace, EquatableArray<ContainingType> containingTypes, string className) =>
        string.Join(".", new[] { @namespace }.Concat(containingTypes.Select(static t => t.Name)).Append(className).Where(static n => n is not null));

    /// <summary>
    /// The file of the class <paramref name="className"/>. Hint names allow fewer characters than C# names: the '@' of
    /// a keyword used as a name, and formatting characters (which C# ignores in names), are left out.
    /// </summary>
    public static string Of(string? @namespace, EquatableArray<ContainingType> containingTypes, string className) =>
        new string(DisplayName(@namespace, containingTypes, className)
            .Where(static c => char.IsLetterOrDigit(c) || c is '.' or '_').ToArray()) + ".g.cs";
}
