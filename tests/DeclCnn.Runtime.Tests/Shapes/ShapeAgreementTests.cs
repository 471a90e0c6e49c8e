using System;
using System.Linq;
using DeclCnn.Runtime.Inspection;
using DeclCnn.Samples;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Tests.Shapes;

/// <summary>
/// The shape engine mirrors PyTorch: every generated network, run on TorchSharp, produces
/// exactly the shapes, parameter counts and multiply-adds that the generator computed at compile time.
/// </summary>
public class ShapeAgreementTests
{
    public static TheoryData<string, Func<nn.Module<Tensor, Tensor>>, ModelSummary> Networks => new()
    {
        { nameof(SimpleCnn), () => new SimpleCnn(), SimpleCnn.Summary },
        { nameof(LeNet5), () => new LeNet5(), LeNet5.Summary },
        { nameof(LeNet5Padded), () => new LeNet5Padded(), LeNet5Padded.Summary },
        { nameof(AlexNet), () => new AlexNet(), AlexNet.Summary },
        { nameof(Vgg16), () => new Vgg16(), Vgg16.Summary },
        { nameof(Vgg16Cifar), () => new Vgg16Cifar(), Vgg16Cifar.Summary },
        { nameof(Cifar10Net), () => new Cifar10Net(), Cifar10Net.Summary },
        { nameof(FullyConvolutionalCnn), () => new FullyConvolutionalCnn(), FullyConvolutionalCnn.Summary },
        { nameof(DeepConv7Cnn), () => new DeepConv7Cnn(), DeepConv7Cnn.Summary },
        { nameof(CeilModeModel), () => new CeilModeModel(), CeilModeModel.Summary },
        { nameof(SamePaddingModel), () => new SamePaddingModel(), SamePaddingModel.Summary },
        { nameof(RectangularModel), () => new RectangularModel(), RectangularModel.Summary },
        { nameof(GroupsModel), () => new GroupsModel(), GroupsModel.Summary },
        { nameof(PoolingAndActivationsModel), () => new PoolingAndActivationsModel(), PoolingAndActivationsModel.Summary },
        { nameof(UpsampleModel), () => new UpsampleModel(), UpsampleModel.Summary },
        { nameof(ResNet18), () => new ResNet18(), ResNet18.Summary },
        { nameof(ResNet34), () => new ResNet34(), ResNet34.Summary },
        { nameof(ResNet50), () => new ResNet50(), ResNet50.Summary },
        { nameof(ResNet18Cifar), () => new ResNet18Cifar(), ResNet18Cifar.Summary },
        { nameof(ResNet34Cifar), () => new ResNet34Cifar(), ResNet34Cifar.Summary },
        { nameof(ResNet50Cifar), () => new ResNet50Cifar(), ResNet50Cifar.Summary },
        { nameof(SimpleResNet), () => new SimpleResNet(), SimpleResNet.Summary },
        { nameof(FashionMnistMlp), () => new FashionMnistMlp(), FashionMnistMlp.Summary },
        { nameof(FashionMnistBnNet), () => new FashionMnistBnNet(), FashionMnistBnNet.Summary },
        { nameof(FashionMnistResNet), () => new FashionMnistResNet(), FashionMnistResNet.Summary },
        { nameof(AblationCnn), () => new AblationCnn(), AblationCnn.Summary },
        { nameof(AblationCnnNoBatchNorm), () => new AblationCnnNoBatchNorm(), AblationCnnNoBatchNorm.Summary },
        { nameof(AblationCnnDropout0), () => new AblationCnnDropout0(), AblationCnnDropout0.Summary },
        { nameof(AblationCnnDropout50), () => new AblationCnnDropout50(), AblationCnnDropout50.Summary },
        { nameof(DenseBlockModel), () => new DenseBlockModel(), DenseBlockModel.Summary },
        { nameof(SkipFromInputModel), () => new SkipFromInputModel(), SkipFromInputModel.Summary },
        { nameof(NestedBlockModel), () => new NestedBlockModel(), NestedBlockModel.Summary },
        { nameof(FashionMnistTransfer), () => new FashionMnistTransfer(), FashionMnistTransfer.Summary },
        { nameof(Transfer.BarTransfer), () => new Transfer.BarTransfer(), Transfer.BarTransfer.Summary },
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void Every_layer_shape_parameter_count_and_multiply_add_count_equals_the_compile_time_summary(
        string name, Func<nn.Module<Tensor, Tensor>> create, ModelSummary compiled)
    {
        using var model = create();

        var measured = RuntimeSummary.Measure(model, compiled.InputShape);

        Assert.Equal(name, measured.ModelName);
        Assert.Equal(compiled.Layers.Select(Row), measured.Layers.Select(Row));
        Assert.Equal(compiled.TotalParameters, RuntimeSummary.CountParameters(model));
        Assert.Equal(compiled.TotalMultiplyAdds, measured.TotalMultiplyAdds);
    }

    /// <summary>torchvision's model tables (GFLOPS, which count multiply-adds), given to two decimals.</summary>
    [Theory]
    [InlineData(nameof(ResNet18), 1.81)]
    [InlineData(nameof(ResNet34), 3.66)]
    [InlineData(nameof(ResNet50), 4.09)]
    [InlineData(nameof(Vgg16), 15.47)]
    public void Multiply_adds_agree_with_torchvisions_published_figures(string name, double publishedBillions)
    {
        var compiled = (ModelSummary)Networks.Single(row => (string)row[0] == name)[2];

        Assert.Equal(publishedBillions, compiled.TotalMultiplyAdds / 1e9, 0.01);
    }

    [Theory]
    [InlineData(nameof(LeNet5), 44_426)]
    [InlineData(nameof(LeNet5Padded), 61_706)]
    [InlineData(nameof(DeepConv7Cnn), 2_635_146)]
    [InlineData(nameof(AlexNet), 62_378_344)]
    [InlineData(nameof(Vgg16), 138_357_544)]
    [InlineData(nameof(SimpleCnn), 421_642)]
    [InlineData(nameof(FullyConvolutionalCnn), 421_642)]
    public void Parameter_counts_equal_the_published_figures(string name, long published)
    {
        var (_, create, compiled) = Networks.Select(static row => ((string)row[0], (Func<nn.Module<Tensor, Tensor>>)row[1], (ModelSummary)row[2])).Single(row => row.Item1 == name);
        using var model = create();

        Assert.Equal(published, compiled.TotalParameters);
        Assert.Equal(published, RuntimeSummary.CountParameters(model));
    }

    [Fact]
    public void Batch_norm_buffers_are_not_parameters_and_appear_in_the_state_dict()
    {
        using var model = new Cifar10Net();

        var keys = model.state_dict().Keys.ToList();

        Assert.Contains("bn1.running_mean", keys);
        Assert.Contains("bn1.running_var", keys);
        Assert.Contains("bn1.num_batches_tracked", keys);
        Assert.DoesNotContain("conv1.bias", keys);
        Assert.Equal(Cifar10Net.Summary.TotalParameters, RuntimeSummary.CountParameters(model));
    }

    private static string Row(LayerSummary layer) =>
        $"{layer.Name} {layer.Type} [{string.Join(", ", layer.OutputShape)}] {layer.Parameters} {layer.MultiplyAdds}";
}
