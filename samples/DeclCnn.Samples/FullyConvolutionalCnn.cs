namespace DeclCnn.Samples;

/// <summary>
/// SimpleCnn with its dense layers replaced by convolutions: a 7x7 convolution over the whole
/// 64x7x7 map acts as the 128-unit hidden layer, and a 1x1 convolution as the 10-way classifier.
/// Same 421,642 parameters as the dense version.
/// </summary>
[Input(1, 28, 28)]
[Conv(32, 3, Padding = 1), ReLU, MaxPool(2)]
[Conv(64, 3, Padding = 1), ReLU, MaxPool(2)]
[Conv(128, 7), ReLU]
[Conv(10, 1), Flatten]
public partial class FullyConvolutionalCnn;
