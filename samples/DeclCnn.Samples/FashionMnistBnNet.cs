namespace DeclCnn.Samples;

/// <summary>
/// The seed's BatchNorm + dropout network, sized for 1x28x28 Fashion-MNIST: Cifar10Net's bias-free 3x3
/// convolutions with BatchNorm and ReLU, in three blocks (28 -> 14 -> 7), dropout after each pooling,
/// global average pooling and one dense layer. Trained with random crop, flip and erasing by the
/// `--recipe bn-dropout` run of samples/DeclCnn.Samples.FashionMnist.
/// </summary>
[Input(1, 28, 28)]
[Conv(32, 3, Padding = 1, Bias = false), BatchNorm, ReLU]
[Conv(32, 3, Padding = 1, Bias = false), BatchNorm, ReLU, MaxPool(2), Dropout(0.1)]
[Conv(64, 3, Padding = 1, Bias = false), BatchNorm, ReLU]
[Conv(64, 3, Padding = 1, Bias = false), BatchNorm, ReLU, MaxPool(2), Dropout(0.2)]
[Conv(128, 3, Padding = 1, Bias = false), BatchNorm, ReLU]
[GlobalAvgPool, Flatten, Dropout(0.3), Dense(10)]
public partial class FashionMnistBnNet;
