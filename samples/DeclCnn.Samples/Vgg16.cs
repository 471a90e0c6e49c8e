namespace DeclCnn.Samples;

/// <summary>
/// VGG-16 for 224x224 ImageNet images: thirteen 3x3 convolutions in five blocks, each closed by
/// 2x2 max pooling, then two 4096-unit layers. 138,357,544 parameters.
/// </summary>
[Input(3, 224, 224)]
[Conv(64, 3, Padding = 1), ReLU, Conv(64, 3, Padding = 1), ReLU, MaxPool(2)]
[Conv(128, 3, Padding = 1), ReLU, Conv(128, 3, Padding = 1), ReLU, MaxPool(2)]
[Conv(256, 3, Padding = 1), ReLU, Conv(256, 3, Padding = 1), ReLU, Conv(256, 3, Padding = 1), ReLU, MaxPool(2)]
[Conv(512, 3, Padding = 1), ReLU, Conv(512, 3, Padding = 1), ReLU, Conv(512, 3, Padding = 1), ReLU, MaxPool(2)]
[Conv(512, 3, Padding = 1), ReLU, Conv(512, 3, Padding = 1), ReLU, Conv(512, 3, Padding = 1), ReLU, MaxPool(2)]
[AdaptiveAvgPool(7), Flatten]
[Dense(4096), ReLU, Dropout(0.5), Dense(4096), ReLU, Dropout(0.5), Dense(1000)]
public partial class Vgg16;

/// <summary>
/// VGG-16's convolutional blocks on 32x32 CIFAR-10 images: five poolings leave 512x1x1, and a
/// 512-256-256-10 head classifies it.
/// </summary>
[Input(3, 32, 32)]
[Conv(64, 3, Padding = 1), ReLU, Conv(64, 3, Padding = 1), ReLU, MaxPool(2)]
[Conv(128, 3, Padding = 1), ReLU, Conv(128, 3, Padding = 1), ReLU, MaxPool(2)]
[Conv(256, 3, Padding = 1), ReLU, Conv(256, 3, Padding = 1), ReLU, Conv(256, 3, Padding = 1), ReLU, MaxPool(2)]
[Conv(512, 3, Padding = 1), ReLU, Conv(512, 3, Padding = 1), ReLU, Conv(512, 3, Padding = 1), ReLU, MaxPool(2)]
[Conv(512, 3, Padding = 1), ReLU, Conv(512, 3, Padding = 1), ReLU, Conv(512, 3, Padding = 1), ReLU, MaxPool(2)]
[Flatten, Dense(256, InFeatures = 512), ReLU, Dropout(0.5), Dense(256), ReLU, Dropout(0.5), Dense(10)]
public partial class Vgg16Cifar;
