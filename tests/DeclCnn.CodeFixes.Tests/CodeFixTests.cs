using System.Threading.Tasks;
using Xunit;

namespace DeclCnn.CodeFixes.Tests;

/// <summary>
/// Each code fix on the mistake it fixes: markup <c>{|DCNN00nn:...|}</c> marks where the diagnostic must be,
/// the second text is the code after the fix, which must compile with no diagnostic left.
/// </summary>
public sealed class CodeFixTests
{
    private const string Usings = "using DeclCnn;\n\n";

    [Fact]
    public Task DCNN0001_makes_the_class_partial() =>
        new CodeFixTest<MakePartialCodeFix>(
            Usings + """
            [Input(1, 28, 28)]
            [Conv(8, 3), Flatten, Dense(10)]
            public class {|DCNN0001:Net|}
            {
            }
            """,
            Usings + """
            [Input(1, 28, 28)]
            [Conv(8, 3), Flatten, Dense(10)]
            public partial class Net
            {
            }
            """).RunAsync();

    [Fact]
    public Task DCNN0001_fix_all_makes_every_class_partial()
    {
        var test = new CodeFixTest<MakePartialCodeFix>(
            Usings + """
            [Input(1, 28, 28)]
            [Conv(8, 3), Flatten, Dense(10)]
            public class {|DCNN0001:A|};

            [Input(3, 32, 32)]
            [Flatten, Dense(10)]
            internal sealed class {|DCNN0001:B|};
            """,
            Usings + """
            [Input(1, 28, 28)]
            [Conv(8, 3), Flatten, Dense(10)]
            public partial class A;

            [Input(3, 32, 32)]
            [Flatten, Dense(10)]
            internal sealed partial class B;
            """);
        test.NumberOfFixAllIterations = 1;
        return test.RunAsync();
    }

    [Fact]
    public Task DCNN0003_adds_an_input_to_edit() =>
        new CodeFixTest<AddInputCodeFix>(
            Usings + """
            // A small network.
            [Conv(8, 3), Flatten, Dense(10)]
            public partial class {|DCNN0003:Net|};
            """,
            Usings + """
            // A small network.
            [Input(1, 28, 28)]
            [Conv(8, 3), Flatten, Dense(10)]
            public partial class Net;
            """).RunAsync();

    [Fact]
    public Task DCNN0003_second_fix_makes_the_class_a_block()
    {
        var test = new CodeFixTest<AddInputCodeFix>(
            Usings + """
            [Conv(Block.Channels, 3, Padding = 1), ReLU]
            public partial class {|DCNN0003:Body|};
            """,
            Usings + """
            [Block]
            [Conv(Block.Channels, 3, Padding = 1), ReLU]
            public partial class Body;
            """);
        test.CodeActionIndex = 1;
        test.CodeActionEquivalenceKey = "Make it a [Block]";
        return test.RunAsync();
    }

    [Fact]
    public Task DCNN0010_replaces_a_misspelled_padding_with_the_nearest() =>
        new CodeFixTest<ReplaceArgumentCodeFix>(
            Usings + """
            [Input(1, 28, 28)]
            [Conv(8, 3, {|DCNN0010:Padding = "smae"|}), Flatten, Dense(10)]
            public partial class Net;
            """,
            Usings + """
            [Input(1, 28, 28)]
            [Conv(8, 3, Padding = "same"), Flatten, Dense(10)]
            public partial class Net;
            """).RunAsync();

    [Fact]
    public Task DCNN0010_offers_nothing_for_a_word_far_from_every_mode()
    {
        const string source = """
            [Input(1, 28, 28)]
            [Conv(8, 3, {|DCNN0010:Padding = "zeros"|}), Flatten, Dense(10)]
            public partial class Net;
            """;
        return new CodeFixTest<ReplaceArgumentCodeFix>(Usings + source, Usings + source).RunAsync();
    }

    [Fact]
    public Task DCNN0011_replaces_a_misspelled_upsampling_mode() =>
        new CodeFixTest<ReplaceArgumentCodeFix>(
            Usings + """
            [Input(1, 28, 28)]
            [Upsample(2, {|DCNN0011:Mode = "biliner"|}), Flatten, Dense(10)]
            public partial class Net;
            """,
            Usings + """
            [Input(1, 28, 28)]
            [Upsample(2, Mode = "bilinear"), Flatten, Dense(10)]
            public partial class Net;
            """).RunAsync();

    [Fact]
    public Task DCNN0015_replaces_same_with_a_stride_by_explicit_padding() =>
        new CodeFixTest<ReplaceArgumentCodeFix>(
            Usings + """
            [Input(3, 32, 32)]
            [Conv(8, 5, Stride = 2, {|DCNN0015:Padding = "same"|}), Flatten, Dense(10)]
            public partial class Square;

            [Input(3, 32, 32)]
            [Conv(8, 3, 5, Stride = 2, Dilation = 2, {|DCNN0015:Padding = "same"|}), Flatten, Dense(10)]
            public partial class Rectangular;
            """,
            Usings + """
            [Input(3, 32, 32)]
            [Conv(8, 5, Stride = 2, Padding = 2), Flatten, Dense(10)]
            public partial class Square;

            [Input(3, 32, 32)]
            [Conv(8, 3, 5, Stride = 2, Dilation = 2, Padding = new[] { 2, 4 }), Flatten, Dense(10)]
            public partial class Rectangular;
            """).RunAsync();

    [Fact]
    public Task DCNN0019_inserts_flatten_before_the_dense_layer() =>
        new CodeFixTest<InsertFlattenCodeFix>(
            Usings + """
            [Input(1, 28, 28)]
            [Conv(8, 3), ReLU, {|DCNN0019:Dense(10)|}]
            public partial class Net;
            """,
            Usings + """
            [Input(1, 28, 28)]
            [Conv(8, 3), ReLU, Flatten, Dense(10)]
            public partial class Net;
            """).RunAsync();

    [Fact]
    public Task DCNN0020_removes_a_wrong_InFeatures() =>
        new CodeFixTest<ReplaceArgumentCodeFix>(
            Usings + """
            [Input(1, 28, 28)]
            [Conv(8, 3), Flatten, Dense(10, {|DCNN0020:InFeatures = 64 * 7 * 7|})]
            public partial class Net;
            """,
            Usings + """
            [Input(1, 28, 28)]
            [Conv(8, 3), Flatten, Dense(10)]
            public partial class Net;
            """).RunAsync();

    [Fact]
    public Task DCNN0030_pads_the_convolution_that_shrinks_the_body() =>
        new CodeFixTest<PadShrinkingConvCodeFix>(
            Usings + """
            [Block]
            [Conv(Block.Channels, 3, Padding = 1), ReLU]
            [Conv(Block.Channels, 3)]
            [{|DCNN0030:Add|}, ReLU]
            public partial class Body;

            [Input(16, 32, 32)]
            [{|DCNN0029:Stage<Body>(16)|}, GlobalAvgPool, Flatten, Dense(10)]
            public partial class Net;
            """,
            Usings + """
            [Block]
            [Conv(Block.Channels, 3, Padding = 1), ReLU]
            [Conv(Block.Channels, 3, Padding = 1)]
            [Add, ReLU]
            public partial class Body;

            [Input(16, 32, 32)]
            [Stage<Body>(16), GlobalAvgPool, Flatten, Dense(10)]
            public partial class Net;
            """).RunAsync();
}
