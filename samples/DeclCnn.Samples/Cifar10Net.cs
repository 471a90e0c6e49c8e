namespace DeclCnn.Samples;

/// <summary>
/// The seed's modern CIFAR-10 network: bias-free 3x3 convolutions with BatchNorm and ReLU in
/// four blocks, global average pooling, dropout and one dense layer.
/// </summary>
[Input(3, 32, 32)]
[Conv(64, 3, Padding = 1, Bias = false), BatchNorm, ReLU, MaxPool(2)]
[Conv(128, 3, Padding = 1, Bias = false), BatchNorm, ReLU, MaxPool(2)]
[Conv(256, 3, Padding = 1, Bias = false), BatchNorm, ReLU]
[Conv(256, 3, Padding = 1, Bias = false), BatchNorm, ReLU, MaxPool(2)]
[Conv(512, 3, Padding = 1, Bias = false), BatchNorm, ReLU]
[Conv(512, 3, Padding = 1, Bias = false), BatchNorm, ReLU]
[GlobalAvgPool, Flatten, Dropout(0.5), Dense(10)]
public partial class Cifar10Net;
