using System.Linq;
using DeclCnn.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;
using static DeclCnn.Generators.Tests.Diagnostics.Models;

namespace DeclCnn.Generators.Tests.Diagnostics;

/// <summary>
/// The generator runs on every keystroke in the IDE. Half-typed code must not make it throw
/// (CS8785 / AD0001), and must not earn a DCNN diagnostic on top of the compiler's own error.
/// </summary>
public class HalfTypedAttributeTests
{
    [Theory]
    [InlineData("[Input(1, 28, 28)]\n[Conv(32, ]")]
    [InlineData("[Input(1, 28, 28)]\n[Conv(]")]
    [InlineData("[Input(1, 28, 28)]\n[Conv(32, 3, Padding = )]")]
    [InlineData("[Input(1, 28, 28)]\n[Conv(32, 3, Padding = \"sa\n)]")]
    [InlineData("[Input(1, 28, 28)]\n[Conv(32, 3, Padding = \"sam\" + )]")]
    [InlineData("[Input(1, 28, 28)]\n[Conv(32, 3, Padding = undefinedName)]")]
    [InlineData("[Input(1, 28, 28)]\n[Conv(32, \"3\")]")]
    [InlineData("[Input(1, 28, 28)]\n[Flatten, Dense]")]
    [InlineData("[Input(1, 28, 28)]\n[Flatten, Dense(10, InFeatures = )]")]
    [InlineData("[Input(1, 28, 28)]\n[Conv(8, 3), MaxPool(2) Flatten]")]
    [InlineData("[Input(1, 28, 28)]\n[Con(8, 3)]")]
    [InlineData("[Input(1, 28)]\n[Conv(8, 3)]")]
    [InlineData("[Input(1, 28, ]\n[Conv(8, 3)]")]
    [InlineData("[Inpu(1, 28, 28)]\n[Conv(8, 3)]")]
    [InlineData("[Input]\n[Conv(8, 3)]")]
    [InlineData("[Conv(]")]
    [InlineData("[Dense]")]
    public void Half_typed_attribute_gets_only_the_compilers_error(string attributes)
    {
        // No marks: no DCNN diagnostic is expected, and the generator must not throw.
        var result = DiagnosticAssert.Reports(Net(attributes));

        Assert.Contains(result.OutputCompilation.GetDiagnostics(), static d => d.Severity == DiagnosticSeverity.Error);
    }

    [Theory]
    [InlineData("[Input(1, 1, 1)]\n[MaxPool(2), Conv(8, ]")]
    [InlineData("[Input(1, 28, 28)]\n[Conv(8, 3), Dense(10), Dense(]")]
    [InlineData("[Input(1, 28, 28)]\n[Conv(8, 3), Dense(10), Dense]")]
    [InlineData("[Input(0, 28, 28]\n[Conv(8, 3)]")]
    public void Shape_errors_wait_until_the_half_typed_attribute_is_complete(string attributes)
    {
        var result = DiagnosticAssert.Reports(Net(attributes));

        Assert.Contains(result.OutputCompilation.GetDiagnostics(), static d => d.Severity == DiagnosticSeverity.Error);
    }

    [Fact]
    public void Base_class_being_typed_gets_only_the_compilers_error()
    {
        var result = DiagnosticAssert.Reports("""
            using DeclCnn;
            namespace App;

            [Input(1, 28, 28)]
            [Flatten, Dense(10)]
            public partial class Net : Modu;
            """);

        Assert.Contains(result.OutputCompilation.GetDiagnostics(), static d => d.Id == "CS0246");
    }

    [Fact]
    public void Class_level_error_is_still_reported_while_a_layer_is_half_typed()
    {
        DiagnosticAssert.Reports("""
            using DeclCnn;
            namespace App;

            [Input(1, 28, 28)]
            [Conv(32, ]
            public class {|DCNN0001:Net|};
            """);
    }

    [Fact]
    public void Completing_the_attribute_brings_the_shape_check_back()
    {
        DiagnosticAssert.Reports(Net("""
            [Input(1, 1, 1)]
            [{|DCNN0013:MaxPool(2)|}, Conv(8, 1)]
            """));
    }

    [Fact]
    public void Every_intermediate_text_of_a_typed_declaration_is_handled()
    {
        // Types a whole model character by character; each prefix must run without a crash and
        // without a DCNN diagnostic at a span that is still being typed.
        const string Full = "[Input(1, 28, 28)]\n[Conv(32, 3, Padding = \"same\"), ReLU, MaxPool(2), Flatten, Dense(10, InFeatures = 6272)]";
        for (var length = 1; length <= Full.Length; length++)
        {
            var source = Net(Full[..length]);

            var result = GeneratorHarness.Run(source);

            Assert.DoesNotContain(result.OutputCompilation.GetDiagnostics(), static d => d.Id is "CS8785" or "AD0001");
            var compilerErrors = result.OutputCompilation.GetDiagnostics().Where(static d => d.Severity == DiagnosticSeverity.Error).ToList();
            if (compilerErrors.Count > 0)
            {
                Assert.True(
                    result.DeclCnnDiagnostics.IsEmpty,
                    $"After typing '{Full[..length]}': {string.Join("; ", result.DeclCnnDiagnostics)}");
            }
        }
    }
}
