using System;
using System.Linq;
using DeclCnn.Generators.Tests.Infrastructure;
using Xunit;
using static DeclCnn.Generators.Tests.Diagnostics.Models;

namespace DeclCnn.Generators.Tests.Diagnostics;

/// <summary>
/// Transfer learning, <c>[Backbone&lt;TNetwork&gt;(through)]</c> (DCNN0037 to DCNN0041): the head is checked from the
/// backbone's output at the named layer with the usual diagnostics on the head's attributes; the backbone's own
/// problems are reported on <c>[Backbone]</c>, its argument or <c>[Input]</c>.
/// </summary>
public class TransferDiagnosticsTests
{
    private const StringComparison Ordinal = StringComparison.Ordinal;

    /// <summary>The source network: conv1, relu, pool, flatten (8x14x14 = 1568 features), fc.</summary>
    private const string Source = """
        using DeclCnn;
        namespace App;

        [Input(1, 28, 28)]
        [Conv(8, 3, Padding = 1), ReLU, MaxPool(2)]
        [Flatten, Dense(10)]
        public partial class Source;

        """;

    private static string Transfer(string attributes) => Source + $"""
        {attributes}
        public partial class Net;
        """;

    [Fact]
    public void A_head_on_the_backbones_flatten_is_clean_and_keeps_the_backbones_names()
    {
        var result = DiagnosticAssert.IsClean(Transfer("""
            [Input(1, 28, 28)]
            [Backbone<Source>("flatten")]
            [Dense(64), ReLU, Dense(5)]
            """));

        var generated = result.Source("App.Net.g.cs");
        Assert.Contains("/// <summary>Net: [N, 1, 28, 28] -> [N, 5], 100,821 parameters, ", generated, Ordinal);
        Assert.Contains("BackboneLayers { get; } = new[] { \"conv1\", \"relu\", \"pool\", \"flatten\" };", generated, Ordinal);
        foreach (var field in new[] { "conv1", "relu", "pool", "flatten", "head_fc1", "head_relu", "head_fc2" })
        {
            Assert.Contains($"register_module(\"{field}\", {field});", generated, Ordinal);
        }

        Assert.Contains("head_fc1 = global::TorchSharp.torch.nn.Linear(1568, 64);", generated, Ordinal);
    }

    [Fact]
    public void A_network_with_a_backbone_can_itself_be_a_backbone_and_a_head_may_be_empty()
    {
        var result = DiagnosticAssert.IsClean(Transfer("""
            [Input(1, 28, 28)]
            [Backbone<Source>("flatten")]
            [Dense(64), ReLU, Dense(5)]
            """) + """

            [Input(1, 28, 28)]
            [Backbone<Net>("head_relu")]
            public partial class Features;
            """);

        Assert.Contains("/// <summary>Features: [N, 1, 28, 28] -> [N, 64], 100,496 parameters, ", result.Source("App.Features.g.cs"), Ordinal);
    }

    [Fact]
    public void A_wrong_InFeatures_in_the_head_reports_DCNN0020_with_the_backbones_output()
    {
        var result = DiagnosticAssert.Reports(Transfer("""
            [Input(1, 28, 28)]
            [Backbone<Source>("flatten")]
            [Dense(64, {|DCNN0020:InFeatures = 100|}), ReLU, Dense(5)]
            """));

        Assert.Contains("InFeatures = 100, but it receives 1568 features from layer 4, Flatten", result.Message(), Ordinal);
    }

    [Fact]
    public void A_feature_map_into_the_heads_Dense_reports_DCNN0019_on_the_head()
    {
        var result = DiagnosticAssert.Reports(Transfer("""
            [Input(1, 28, 28)]
            [Backbone<Source>("pool")]
            [{|DCNN0019:Dense(5)|}]
            """));

        Assert.Contains("8x14x14", result.Message(), Ordinal);
    }

    [Fact]
    public void An_unknown_layer_name_reports_DCNN0038_on_the_name_with_did_you_mean()
    {
        var result = DiagnosticAssert.Reports(Transfer("""
            [Input(1, 28, 28)]
            [Backbone<Source>({|DCNN0038:"flaten"|})]
            [Dense(5)]
            """));

        Assert.Equal(
            "[Backbone<Source>]: 'Source' has no layer named \"flaten\" (did you mean \"flatten\"?); its layers are conv1, relu, pool, flatten, fc",
            result.Message());
    }

    [Fact]
    public void A_backbone_that_is_not_a_declared_network_reports_DCNN0037()
    {
        var result = DiagnosticAssert.Reports("""
            using DeclCnn;
            namespace App;

            public class Helper;

            [Block]
            [Conv(Block.Channels, 3, Padding = 1)]
            public partial class Unit;

            [Input(1, 28, 28)]
            [{|DCNN0037:Backbone<Helper>("flatten")|}]
            [Flatten, Dense(5)]
            public partial class Net;

            [Input(1, 28, 28)]
            [{|DCNN0037:Backbone<Unit>("conv1")|}]
            [Flatten, Dense(5)]
            public partial class Other;
            """);

        Assert.Equal(
            [
                "[Backbone<Helper>]: 'Helper' has no [Input]; a backbone must be a network declared with [Input] in this project",
                "[Backbone<Unit>]: 'Unit' is a [Block], not a network; a backbone must be a network declared with [Input] in this project",
            ],
            result.DeclCnnDiagnostics.Select(static d => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)).Order());
    }

    [Fact]
    public void An_input_unlike_the_backbones_reports_DCNN0039_on_Input()
    {
        var result = DiagnosticAssert.Reports(Transfer("""
            [{|DCNN0039:Input(3, 28, 28)|}]
            [Backbone<Source>("flatten")]
            [Dense(5)]
            """));

        Assert.Equal("'Net' declares [Input(3, 28, 28)], but its backbone 'Source' takes [Input(1, 28, 28)]; declare the backbone's input", result.Message());
    }

    [Fact]
    public void A_backbone_with_errors_reports_them_on_itself_and_DCNN0040_on_Backbone()
    {
        DiagnosticAssert.Reports("""
            using DeclCnn;
            namespace App;

            [Input(1, 28, 28)]
            [Conv(8, 3, Padding = 1), {|DCNN0019:Dense(10)|}]
            public partial class Source;

            [Input(1, 28, 28)]
            [{|DCNN0040:Backbone<Source>("conv1")|}]
            [Flatten, Dense(5)]
            public partial class Net;
            """);
    }

    [Fact]
    public void A_loop_of_backbones_reports_DCNN0041_on_each_network_in_it()
    {
        var result = DiagnosticAssert.Reports("""
            using DeclCnn;
            namespace App;

            [Input(1, 28, 28)]
            [{|DCNN0041:Backbone<B>("flatten")|}]
            [Flatten, Dense(5)]
            public partial class A;

            [Input(1, 28, 28)]
            [{|DCNN0041:Backbone<A>("flatten")|}]
            [Flatten, Dense(5)]
            public partial class B;

            [Input(1, 28, 28)]
            [{|DCNN0041:Backbone<Self>("flatten")|}]
            [Flatten, Dense(5)]
            public partial class Self;

            [Input(1, 28, 28)]
            [{|DCNN0040:Backbone<A>("flatten")|}]
            [Dense(5)]
            public partial class User;
            """);

        Assert.Contains(result.DeclCnnDiagnostics, static d => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture) == "'A' is its own backbone: A -> B -> A; a backbone must be another network");
        Assert.Contains(result.DeclCnnDiagnostics, static d => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture) == "'Self' is its own backbone: Self -> Self; a backbone must be another network");
    }

    [Fact]
    public void A_head_layer_named_like_a_backbone_layer_reports_DCNN0012_on_its_Name()
    {
        DiagnosticAssert.Reports(Transfer("""
            [Input(1, 28, 28)]
            [Backbone<Source>("flatten")]
            [Dense(5, {|DCNN0012:Name = "conv1"|})]
            """));
    }

    [Fact]
    public void A_member_named_like_a_generated_transfer_member_reports_DCNN0034()
    {
        DiagnosticAssert.Reports(Source + """
            [Input(1, 28, 28)]
            [Backbone<Source>("flatten")]
            [Dense(5)]
            public partial class Net
            {
                public void {|DCNN0034:FreezeBackbone|}() { }
            }
            """);
    }
}
