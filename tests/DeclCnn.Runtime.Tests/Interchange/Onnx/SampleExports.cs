using DeclCnn.Runtime.Interchange.Onnx;
using DeclCnn.Samples;
using Onnx;

namespace DeclCnn.Runtime.Tests.Interchange.Onnx;

/// <summary>
/// The sample networks' ONNX graphs, written by hand the way a declaration's export writes them: one builder call per
/// layer, with the layer's name and the values the shape engine knows at compile time.
/// </summary>
internal static class SampleExports
{
    public static ModelProto SimpleCnn(SimpleCnn model)
    {
        var onnx = new OnnxGraphBuilder(model, nameof(SimpleCnn), 1, 28, 28);
        var x1 = onnx.Conv(onnx.Input, "conv1", pads: [1, 1, 1, 1]);   // [N, 32, 28, 28]
        var x2 = onnx.Relu(x1, "relu1");
        var x3 = onnx.MaxPool(x2, "pool1", kernel: [2, 2]);             // [N, 32, 14, 14]
        var x4 = onnx.Conv(x3, "conv2", pads: [1, 1, 1, 1]);            // [N, 64, 14, 14]
        var x5 = onnx.Relu(x4, "relu2");
        var x6 = onnx.MaxPool(x5, "pool2", kernel: [2, 2]);             // [N, 64, 7, 7]
        var x7 = onnx.Flatten(x6, "flatten");                           // [N, 3136]
        var x8 = onnx.Linear(x7, "fc1");                                // [N, 128]
        var x9 = onnx.Relu(x8, "relu3");
        var x10 = onnx.Identity(x9, "dropout");
        var x11 = onnx.Linear(x10, "fc2");                              // [N, 10]
        return onnx.Build(x11, 10);
    }

    public static ModelProto LeNet5(LeNet5 model)
    {
        var onnx = new OnnxGraphBuilder(model, nameof(LeNet5), 1, 28, 28);
        var x1 = onnx.Conv(onnx.Input, "conv1");                        // [N, 6, 24, 24]
        var x2 = onnx.Relu(x1, "relu1");
        var x3 = onnx.AvgPool(x2, "pool1", kernel: [2, 2]);             // [N, 6, 12, 12]
        var x4 = onnx.Conv(x3, "conv2");                                // [N, 16, 8, 8]
        var x5 = onnx.Relu(x4, "relu2");
        var x6 = onnx.AvgPool(x5, "pool2", kernel: [2, 2]);             // [N, 16, 4, 4]
        var x7 = onnx.Flatten(x6, "flatten");                           // [N, 256]
        var x8 = onnx.Linear(x7, "fc1");
        var x9 = onnx.Relu(x8, "relu3");
        var x10 = onnx.Linear(x9, "fc2");
        var x11 = onnx.Relu(x10, "relu4");
        var x12 = onnx.Linear(x11, "fc3");                              // [N, 10]
        return onnx.Build(x12, 10);
    }

    public static ModelProto LeNet5Padded(LeNet5Padded model)
    {
        var onnx = new OnnxGraphBuilder(model, nameof(LeNet5Padded), 1, 28, 28);
        var x1 = onnx.Conv(onnx.Input, "conv1", pads: [2, 2, 2, 2]);    // [N, 6, 28, 28]
        var x2 = onnx.Relu(x1, "relu1");
        var x3 = onnx.MaxPool(x2, "pool1", kernel: [2, 2]);             // [N, 6, 14, 14]
        var x4 = onnx.Conv(x3, "conv2");                                // [N, 16, 10, 10]
        var x5 = onnx.Relu(x4, "relu2");
        var x6 = onnx.MaxPool(x5, "pool2", kernel: [2, 2]);             // [N, 16, 5, 5]
        var x7 = onnx.Flatten(x6, "flatten");                           // [N, 400]
        var x8 = onnx.Linear(x7, "fc1");
        var x9 = onnx.Relu(x8, "relu3");
        var x10 = onnx.Linear(x9, "fc2");
        var x11 = onnx.Relu(x10, "relu4");
        var x12 = onnx.Linear(x11, "fc3");                              // [N, 10]
        return onnx.Build(x12, 10);
    }

    public static ModelProto Cifar10Net(Cifar10Net model)
    {
        var onnx = new OnnxGraphBuilder(model, nameof(Cifar10Net), 3, 32, 32);
        var x = onnx.Input;
        for (int i = 1; i <= 6; i++)
        {
            x = onnx.Conv(x, $"conv{i}", pads: [1, 1, 1, 1]);
            x = onnx.BatchNorm(x, $"bn{i}");
            x = onnx.Relu(x, $"relu{i}");
            if (i is 1 or 2 or 4)
            {
                x = onnx.MaxPool(x, $"pool{(i == 4 ? 3 : i)}", kernel: [2, 2]);
            }
        }

        x = onnx.AdaptiveAvgPool(x, "avgpool", inputSize: [4, 4], outputSize: [1, 1]);   // [N, 512, 1, 1]
        x = onnx.Flatten(x, "flatten");
        x = onnx.Identity(x, "dropout");
        x = onnx.Linear(x, "fc");                                                       // [N, 10]
        return onnx.Build(x, 10);
    }
}
