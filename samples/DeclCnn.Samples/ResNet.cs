namespace DeclCnn.Samples;

/// <summary>
/// ResNet-18 for 224x224 ImageNet images, with torchvision's module names: its state dict has
/// exactly the keys and shapes of torchvision's <c>resnet18</c>. 11,689,512 parameters.
/// </summary>
[Input(3, 224, 224)]
[WeightInit(Init.KaimingNormal, Mode = FanMode.FanOut)]
[Conv(64, 7, Stride = 2, Padding = 3, Bias = false), BatchNorm, ReLU, MaxPool(3, Stride = 2, Padding = 1, Name = "maxpool")]
[Stage<BasicBlock>(64, Blocks = 2)]
[Stage<BasicBlock>(128, Blocks = 2, Stride = 2)]
[Stage<BasicBlock>(256, Blocks = 2, Stride = 2)]
[Stage<BasicBlock>(512, Blocks = 2, Stride = 2)]
[GlobalAvgPool, Flatten, Dense(1000)]
public partial class ResNet18;

/// <summary>ResNet-34 for 224x224 ImageNet images, as torchvision's <c>resnet34</c>. 21,797,672 parameters.</summary>
[Input(3, 224, 224)]
[WeightInit(Init.KaimingNormal, Mode = FanMode.FanOut)]
[Conv(64, 7, Stride = 2, Padding = 3, Bias = false), BatchNorm, ReLU, MaxPool(3, Stride = 2, Padding = 1, Name = "maxpool")]
[Stage<BasicBlock>(64, Blocks = 3)]
[Stage<BasicBlock>(128, Blocks = 4, Stride = 2)]
[Stage<BasicBlock>(256, Blocks = 6, Stride = 2)]
[Stage<BasicBlock>(512, Blocks = 3, Stride = 2)]
[GlobalAvgPool, Flatten, Dense(1000)]
public partial class ResNet34;

/// <summary>ResNet-50 for 224x224 ImageNet images, as torchvision's <c>resnet50</c>. 25,557,032 parameters.</summary>
[Input(3, 224, 224)]
[WeightInit(Init.KaimingNormal, Mode = FanMode.FanOut)]
[Conv(64, 7, Stride = 2, Padding = 3, Bias = false), BatchNorm, ReLU, MaxPool(3, Stride = 2, Padding = 1, Name = "maxpool")]
[Stage<Bottleneck>(64, Blocks = 3)]
[Stage<Bottleneck>(128, Blocks = 4, Stride = 2)]
[Stage<Bottleneck>(256, Blocks = 6, Stride = 2)]
[Stage<Bottleneck>(512, Blocks = 3, Stride = 2)]
[GlobalAvgPool, Flatten, Dense(1000)]
public partial class ResNet50;

/// <summary>ResNet-18 for 32x32 CIFAR-10 images: a 3x3 stem without max pooling, and 10 classes.</summary>
[Input(3, 32, 32)]
[WeightInit(Init.KaimingNormal, Mode = FanMode.FanOut)]
[Conv(64, 3, Padding = 1, Bias = false), BatchNorm, ReLU]
[Stage<BasicBlock>(64, Blocks = 2)]
[Stage<BasicBlock>(128, Blocks = 2, Stride = 2)]
[Stage<BasicBlock>(256, Blocks = 2, Stride = 2)]
[Stage<BasicBlock>(512, Blocks = 2, Stride = 2)]
[GlobalAvgPool, Flatten, Dense(10)]
public partial class ResNet18Cifar;

/// <summary>ResNet-34 for 32x32 CIFAR-10 images.</summary>
[Input(3, 32, 32)]
[WeightInit(Init.KaimingNormal, Mode = FanMode.FanOut)]
[Conv(64, 3, Padding = 1, Bias = false), BatchNorm, ReLU]
[Stage<BasicBlock>(64, Blocks = 3)]
[Stage<BasicBlock>(128, Blocks = 4, Stride = 2)]
[Stage<BasicBlock>(256, Blocks = 6, Stride = 2)]
[Stage<BasicBlock>(512, Blocks = 3, Stride = 2)]
[GlobalAvgPool, Flatten, Dense(10)]
public partial class ResNet34Cifar;

/// <summary>ResNet-50 for 32x32 CIFAR-10 images.</summary>
[Input(3, 32, 32)]
[WeightInit(Init.KaimingNormal, Mode = FanMode.FanOut)]
[Conv(64, 3, Padding = 1, Bias = false), BatchNorm, ReLU]
[Stage<Bottleneck>(64, Blocks = 3)]
[Stage<Bottleneck>(128, Blocks = 4, Stride = 2)]
[Stage<Bottleneck>(256, Blocks = 6, Stride = 2)]
[Stage<Bottleneck>(512, Blocks = 3, Stride = 2)]
[GlobalAvgPool, Flatten, Dense(10)]
public partial class ResNet50Cifar;

/// <summary>
/// The seed's SimpleResNet for CIFAR-10: a 64-channel 3x3 stem and three stages of two basic blocks
/// (64, 128, 256 channels).
/// </summary>
[Input(3, 32, 32)]
[WeightInit(Init.KaimingNormal, Mode = FanMode.FanOut)]
[Conv(64, 3, Padding = 1, Bias = false), BatchNorm, ReLU]
[Stage<BasicBlock>(64, Blocks = 2)]
[Stage<BasicBlock>(128, Blocks = 2, Stride = 2)]
[Stage<BasicBlock>(256, Blocks = 2, Stride = 2)]
[GlobalAvgPool, Flatten, Dense(10)]
public partial class SimpleResNet;
