namespace DeclCnn.Samples;

/// <summary>
/// AlexNet for 224x224 ImageNet images and 1000 classes, with the original 96-256-384-384-256
/// filters. 62,378,344 parameters.
/// </summary>
[Input(3, 224, 224)]
[Conv(96, 11, Stride = 4, Padding = 2), ReLU, MaxPool(3, Stride = 2)]
[Conv(256, 5, Padding = 2), ReLU, MaxPool(3, Stride = 2)]
[Conv(384, 3, Padding = 1), ReLU]
[Conv(384, 3, Padding = 1), ReLU]
[Conv(256, 3, Padding = 1), ReLU, MaxPool(3, Stride = 2)]
[Flatten, Dropout(0.5), Dense(4096), ReLU, Dropout(0.5), Dense(4096), ReLU, Dense(1000)]
public partial class AlexNet;
