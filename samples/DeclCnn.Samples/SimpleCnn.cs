namespace DeclCnn.Samples;

/// <summary>
/// The seed MNIST / Fashion-MNIST network: two 3x3 "same" convolutions with ReLU and 2x2 max
/// pooling, then a 128-unit hidden layer with dropout. 421,642 parameters.
/// </summary>
[Input(1, 28, 28)]
[Conv(32, 3, Padding = "same"), ReLU, MaxPool(2)]
[Conv(64, 3, Padding = "same"), ReLU, MaxPool(2)]
[Flatten, Dense(128), ReLU, Dropout(0.5), Dense(10)]
public partial class SimpleCnn;
