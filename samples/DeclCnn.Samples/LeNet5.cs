namespace DeclCnn.Samples;

/// <summary>
/// LeNet-5 on 28x28 MNIST digits, as in the original without padding: 5x5 convolutions and 2x2
/// average pooling, then 120-84-10 dense layers. 44,426 parameters.
/// </summary>
[Input(1, 28, 28)]
[Conv(6, 5), ReLU, AvgPool(2)]
[Conv(16, 5), ReLU, AvgPool(2)]
[Flatten, Dense(120), ReLU, Dense(84), ReLU, Dense(10)]
public partial class LeNet5;

/// <summary>
/// The LeNet-5 variant for 28x28 input that pads the first convolution by 2 (recovering the
/// original 32x32 geometry) and uses max pooling. 61,706 parameters.
/// </summary>
[Input(1, 28, 28)]
[Conv(6, 5, Padding = 2), ReLU, MaxPool(2)]
[Conv(16, 5), ReLU, MaxPool(2)]
[Flatten, Dense(120, InFeatures = 16 * 5 * 5), ReLU, Dense(84), ReLU, Dense(10)]
public partial class LeNet5Padded;
