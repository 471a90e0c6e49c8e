using System.Linq;
using DeclCnn.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Text;
using Xunit;
using static DeclCnn.Generators.Tests.Diagnostics.Models;

namespace DeclCnn.Generators.Tests.Diagnostics;

/// <summary>
/// Problems with the model class and its declaration as a whole (DCNN0001 to DCNN0007): reported
/// on the class name, or on <c>[Input]</c>.
/// </summary>
public class DeclarationDiagnosticsTests
{
    // DCNN0001: the model class must be partial.

    [Fact]
    public void Class_that_is_not_partial_reports_DCNN0001_on_its_name()
    {
        var result = DiagnosticAssert.Reports("""
            using DeclCnn;
            namespace App;

            [Input(1, 28, 28)]
            [Flatten, Dense(10)]
            public class {|DCNN0001:Net|};
            """);

        Assert.Equal(
            "The class 'Net' must be declared partial so that the generator can add its TorchSharp module",
            result.Message());
    }

    [Fact]
    public void Nested_class_that_is_not_partial_reports_DCNN0001()
    {
        DiagnosticAssert.Reports("""
            using DeclCnn;
            namespace App;

            public partial class Outer
            {
                [Input(1, 28, 28)]
                [Flatten, Dense(10)]
                public sealed class {|DCNN0001:Net|};
            }
            """);
    }

    [Fact]
    public void Static_class_that_is_not_partial_reports_DCNN0001_and_DCNN0002_on_its_name()
    {
        // Two diagnostics on one span: the markup cannot nest, so this test compares spans itself.
        var source = Net("""
            [Input(1, 28, 28)]
            [Flatten, Dense(10)]
            """).Replace("public partial class Net;", "public static class Net;", System.StringComparison.Ordinal);

        var result = GeneratorHarness.Run(source);

        var name = source.LastIndexOf("Net", System.StringComparison.Ordinal);
        Assert.Equal(new[] { "DCNN0001", "DCNN0002" }, result.DeclCnnDiagnostics.Select(static d => d.Id).Order());
        Assert.All(result.DeclCnnDiagnostics, d => Assert.Equal(new TextSpan(name, 3), d.Location.SourceSpan));
    }

    [Fact]
    public void Sealed_partial_class_is_clean()
    {
        DiagnosticAssert.IsClean("""
            using DeclCnn;
            namespace App;

            [Input(1, 28, 28)]
            [Flatten, Dense(10)]
            public sealed partial class Net;
            """);
    }

    // DCNN0002: generic, static, record, nested in a non-partial or generic type, foreign base class.

    [Fact]
    public void Generic_class_reports_DCNN0002()
    {
        var result = DiagnosticAssert.Reports("""
            using DeclCnn;
            namespace App;

            [Input(1, 28, 28)]
            [Flatten, Dense(10)]
            public partial class {|DCNN0002:Net|}<T>;
            """);

        Assert.StartsWith("The class 'Net' is generic;", result.Message(), System.StringComparison.Ordinal);
    }

    [Fact]
    public void Static_partial_class_reports_DCNN0002()
    {
        var result = DiagnosticAssert.Reports("""
            using DeclCnn;
            namespace App;

            [Input(1, 28, 28)]
            [Flatten, Dense(10)]
            public static partial class {|DCNN0002:Net|};
            """);

        Assert.StartsWith("The class 'Net' is static;", result.Message(), System.StringComparison.Ordinal);
    }

    [Fact]
    public void Record_reports_DCNN0002()
    {
        var result = DiagnosticAssert.Reports("""
            using DeclCnn;
            namespace App;

            [Input(1, 28, 28)]
            [Flatten, Dense(10)]
            public partial record {|DCNN0002:Net|};
            """);

        Assert.StartsWith("The class 'Net' is a record;", result.Message(), System.StringComparison.Ordinal);
    }

    [Fact]
    public void Class_nested_in_a_class_that_is_not_partial_reports_DCNN0002()
    {
        var result = DiagnosticAssert.Reports("""
            using DeclCnn;
            namespace App;

            public class Outer
            {
                [Input(1, 28, 28)]
                [Flatten, Dense(10)]
                public partial class {|DCNN0002:Net|};
            }
            """);

        Assert.StartsWith("The class 'Net' is nested in 'Outer', which is not partial;", result.Message(), System.StringComparison.Ordinal);
    }

    [Fact]
    public void Class_nested_in_a_generic_class_reports_DCNN0002_once()
    {
        var result = DiagnosticAssert.Reports("""
            using DeclCnn;
            namespace App;

            public partial class Outer<T>
            {
                [Input(1, 28, 28)]
                [Flatten, Dense(10)]
                public partial class {|DCNN0002:Net|};
            }
            """);

        Assert.StartsWith("The class 'Net' is nested in the generic type 'Outer';", result.Message(), System.StringComparison.Ordinal);
    }

    [Fact]
    public void Class_with_a_base_class_other_than_Module_reports_DCNN0002()
    {
        var result = DiagnosticAssert.Reports("""
            using DeclCnn;
            namespace App;

            public class Base;

            [Input(1, 28, 28)]
            [Flatten, Dense(10)]
            public partial class {|DCNN0002:Net|} : Base;
            """);

        Assert.Contains("derives from 'App.Base'", result.Message(), System.StringComparison.Ordinal);
    }

    [Fact]
    public void Class_nested_in_partial_classes_and_structs_is_clean()
    {
        DiagnosticAssert.IsClean("""
            using DeclCnn;
            namespace App;

            public static partial class Models
            {
                internal partial struct Holder
                {
                    [Input(1, 28, 28)]
                    [Flatten, Dense(10)]
                    public partial class Net;
                }
            }
            """);
    }

    [Fact]
    public void Class_that_declares_the_Module_base_itself_is_clean()
    {
        DiagnosticAssert.IsClean("""
            using DeclCnn;
            using TorchSharp;
            namespace App;

            [Input(1, 28, 28)]
            [Flatten, Dense(10)]
            public partial class Net : torch.nn.Module<torch.Tensor, torch.Tensor>;
            """);
    }

    [Fact]
    public void Class_implementing_an_interface_is_clean()
    {
        DiagnosticAssert.IsClean("""
            using DeclCnn;
            namespace App;

            public interface IClassifier;

            [Input(1, 28, 28)]
            [Flatten, Dense(10)]
            public partial class Net : IClassifier;
            """);
    }

    [Theory]
    [InlineData("[Input(1, 28, 28)]\n[Flatten, Dense(10)]\npublic partial record struct Net;")]
    [InlineData("[Input(1, 28, 28)]\n[Flatten, Dense(10)]\npublic partial struct Net;")]
    [InlineData("[Flatten, Dense(10)]\npublic partial struct Net;")]
    [InlineData("[Flatten, Dense(10)]\npublic partial interface INet;")]
    public void Attributes_on_a_struct_or_interface_get_only_the_compilers_error(string declaration)
    {
        // CS0592: the attributes are only valid on classes.
        var result = DiagnosticAssert.Reports("using DeclCnn;\nnamespace App;\n\n" + declaration);

        Assert.Contains(result.OutputCompilation.GetDiagnostics(), static d => d.Id == "CS0592");
    }

    // DCNN0003: layers without [Input].

    [Fact]
    public void Layers_without_Input_report_DCNN0003_once_on_the_class_name()
    {
        var result = DiagnosticAssert.Reports("""
            using DeclCnn;
            namespace App;

            [Conv(8, 3), ReLU, MaxPool(2)]
            [Flatten, Dense(10)]
            public partial class {|DCNN0003:Net|};
            """);

        Assert.Equal(
            "'Net' declares layers but no [Input(channels, height, width)]; add one so that the shapes can be inferred",
            result.Message());
    }

    [Fact]
    public void Layers_without_Input_on_the_second_part_of_a_class_report_DCNN0003_on_that_part()
    {
        DiagnosticAssert.Reports("""
            using System;
            using DeclCnn;
            namespace App;

            [Serializable]
            public partial class Net;

            [Conv(8, 3), ReLU]
            public partial class {|DCNN0003:Net|};
            """);
    }

    [Fact]
    public void An_attribute_named_like_a_layer_outside_DeclCnn_is_not_a_layer()
    {
        DiagnosticAssert.IsClean("""
            namespace App;

            public sealed class ConvAttribute : System.Attribute
            {
                public ConvAttribute(int channels, int kernel) { }
            }

            [Conv(8, 3)]
            public partial class Net;
            """);
    }

    [Fact]
    public void Class_with_only_other_attributes_is_not_a_model()
    {
        var result = DiagnosticAssert.Reports("""
            using System;
            namespace App;

            [Serializable, Obsolete("old")]
            public partial class Net;
            """);

        Assert.Empty(result.GeneratedSources);
    }

    [Fact]
    public void Layers_with_Input_on_another_part_of_the_class_are_clean()
    {
        DiagnosticAssert.IsClean("""
            using DeclCnn;
            namespace App;

            [Input(1, 28, 28)]
            public partial class Net;

            [Conv(8, 3), ReLU, MaxPool(2)]
            [Flatten, Dense(10)]
            public partial class Net;
            """);
    }

    // DCNN0004: [Input] dimensions must be positive.

    [Theory]
    [InlineData("{|DCNN0004:Input(0, 28, 28)|}", "0x28x28")]
    [InlineData("{|DCNN0004:Input(1, -28, 28)|}", "1x-28x28")]
    [InlineData("{|DCNN0004:Input(1, 28, 0)|}", "1x28x0")]
    public void Input_with_a_dimension_that_is_not_positive_reports_DCNN0004(string input, string dimensions)
    {
        var result = DiagnosticAssert.Reports(Net($"""
            [{input}]
            [Flatten, Dense(10)]
            """));

        Assert.Equal($"[Input] dimensions must be positive, but are {dimensions}", result.Message());
    }

    [Fact]
    public void Malformed_Input_does_not_cascade_into_shape_errors()
    {
        DiagnosticAssert.Reports(Net("""
            [{|DCNN0004:Input(0, 1, 1)|}]
            [MaxPool(2), Flatten, Dense(10, InFeatures = 7)]
            """));
    }

    [Fact]
    public void Input_of_one_pixel_is_clean()
    {
        InfersShapes("""
            [Input(1, 1, 1)]
            [Flatten, Dense(10)]
            """, "[N, 1, 1, 1]", "[N, 10]");
    }

    // DCNN0005: [Input] without layers.

    [Fact]
    public void Input_without_layers_reports_DCNN0005_on_Input()
    {
        var result = DiagnosticAssert.Reports(Net("""
            [{|DCNN0005:Input(1, 28, 28)|}]
            """));

        Assert.StartsWith("'Net' declares no layers;", result.Message(), System.StringComparison.Ordinal);
    }

    [Fact]
    public void Input_with_a_single_layer_is_clean()
    {
        InfersShapes("""
            [Input(1, 28, 28)]
            [Flatten]
            """, "[N, 1, 28, 28]", "[N, 784]");
    }

    // DCNN0006: layers split across two parts of the partial class.

    [Fact]
    public void Layers_on_two_parts_of_the_class_report_DCNN0006_on_the_part_with_Input()
    {
        var result = DiagnosticAssert.Reports("""
            using DeclCnn;
            namespace App;

            [Input(1, 28, 28)]
            [Conv(8, 3), ReLU]
            public partial class {|DCNN0006:Net|};

            [Flatten, Dense(10)]
            public partial class Net;
            """);

        Assert.StartsWith("The layers of 'Net' are declared on more than one part", result.Message(), System.StringComparison.Ordinal);
    }

    [Fact]
    public void Layers_on_one_part_with_other_attributes_on_another_part_are_clean()
    {
        DiagnosticAssert.IsClean("""
            using DeclCnn;
            namespace App;

            [Input(1, 28, 28)]
            [Conv(8, 3), ReLU]
            [Flatten, Dense(10)]
            public partial class Net;

            [System.Obsolete("replaced by Net2")]
            public partial class Net;
            """);
    }

    // DCNN0007: the project does not reference TorchSharp.

    [Fact]
    public void Model_in_a_project_without_TorchSharp_reports_DCNN0007()
    {
        var result = DiagnosticAssert.Reports(
            Net("""
                [Input(1, 28, 28)]
                [Flatten, Dense(10)]
                """).Replace("class Net;", "class {|DCNN0007:Net|};", System.StringComparison.Ordinal),
            referenceTorchSharp: false);

        Assert.Empty(result.GeneratedSources);
        Assert.Contains("does not reference TorchSharp", result.Message(), System.StringComparison.Ordinal);
    }

    [Fact]
    public void Project_without_TorchSharp_and_without_models_is_clean()
    {
        var compilation = GeneratorHarness.CreateCompilation(
            new[] { "namespace App; public sealed class Plain { public int Value { get; set; } }" },
            referenceTorchSharp: false);

        var result = GeneratorHarness.Run(compilation);

        Assert.Empty(result.DeclCnnDiagnostics);
        Assert.Empty(result.CompilationDiagnostics);
    }
}
