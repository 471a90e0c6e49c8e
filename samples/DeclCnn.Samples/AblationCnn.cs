namespace DeclCnn.Samples;

// The ablations of docs/experiments.md: one network, SimpleCnn's two 3x3 convolutions and 128-unit hidden layer,
// declared four times so that each variant differs from AblationCnn in one setting only.

/// <summary>
/// The reference of the ablations: SimpleCnn with batch norm after each convolution (which then needs no bias) and
/// dropout 0.25 before the classifier.
/// </summary>
[Input(1, 28, 28)]
[Conv(32, 3, Padding = "same", Bias = false), BatchNorm, ReLU, MaxPool(2)]
[Conv(64, 3, Padding = "same", Bias = false), BatchNorm, ReLU, MaxPool(2)]
[Flatten, Dense(128), ReLU, Dropout(0.25), Dense(10)]
public partial class AblationCnn;

/// <summary><see cref="AblationCnn"/> without batch norm: the convolutions keep their bias.</summary>
[Input(1, 28, 28)]
[Conv(32, 3, Padding = "same"), ReLU, MaxPool(2)]
[Conv(64, 3, Padding = "same"), ReLU, MaxPool(2)]
[Flatten, Dense(128), ReLU, Dropout(0.25), Dense(10)]
public partial class AblationCnnNoBatchNorm;

/// <summary><see cref="AblationCnn"/> with dropout 0: the layer stays, as an identity, so that only the setting differs.</summary>
[Input(1, 28, 28)]
[Conv(32, 3, Padding = "same", Bias = false), BatchNorm, ReLU, MaxPool(2)]
[Conv(64, 3, Padding = "same", Bias = false), BatchNorm, ReLU, MaxPool(2)]
[Flatten, Dense(128), ReLU, Dropout(0), Dense(10)]
public partial class AblationCnnDropout0;

/// <summary><see cref="AblationCnn"/> with dropout 0.5.</summary>
[Input(1, 28, 28)]
[Conv(32, 3, Padding = "same", Bias = false), BatchNorm, ReLU, MaxPool(2)]
[Conv(64, 3, Padding = "same", Bias = false), BatchNorm, ReLU, MaxPool(2)]
[Flatten, Dense(128), ReLU, Dropout(0.5), Dense(10)]
public partial class AblationCnnDropout50;
