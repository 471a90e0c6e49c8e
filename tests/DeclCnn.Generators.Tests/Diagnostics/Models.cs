using System.Globalization;
using DeclCnn.Generators.Tests.Infrastructure;
using Xunit;

namespace DeclCnn.Generators.Tests.Diagnostics;

/// <summary>Builds the small model sources the diagnostic tests declare, and reads their results.</summary>
internal static class Models
{
    /// <summary>
    /// <c>public partial class Net</c> in namespace <c>App</c>, with <paramref name="attributes"/>
    /// (the <c>[Input]</c> and layer lists, possibly with diagnostic marks) above it.
    /// </summary>
    public static string Net(string attributes) => $"""
        using DeclCnn;

        namespace App;

        {attributes}
        public partial class Net;
        """;

    /// <summary>The message of the one diagnostic the run reported.</summary>
    public static string Message(this GeneratorHarness.RunResult result) =>
        Assert.Single(result.DeclCnnDiagnostics).GetMessage(CultureInfo.InvariantCulture);

    /// <summary>
    /// Requires that <c>Net</c> with <paramref name="attributes"/> is clean and that the generated
    /// module maps <paramref name="input"/> to <paramref name="output"/> (as in <c>[N, 1, 28, 28]</c>;
    /// the output may go on with the parameter count, as in <c>[N, 10], 7,850 parameters</c>).
    /// </summary>
    public static GeneratorHarness.RunResult InfersShapes(string attributes, string input, string output)
    {
        var result = DiagnosticAssert.IsClean(Net(attributes));
        Assert.Contains($"/// <summary>Net: {input} -> {output}", result.Source("App.Net.g.cs"), System.StringComparison.Ordinal);
        return result;
    }
}
