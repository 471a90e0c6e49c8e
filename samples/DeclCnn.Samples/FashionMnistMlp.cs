namespace DeclCnn.Samples;

/// <summary>
/// The seed's multilayer perceptron for Fashion-MNIST: the image flattened, one hidden layer of 256 ReLU units,
/// Kaiming (He) uniform weights. The baseline of the architecture comparison (docs/experiments.md).
/// </summary>
[Input(1, 28, 28)]
[WeightInit(Init.KaimingUniform, Dense = Init.KaimingUniform)]
[Flatten, Dense(256), ReLU, Dense(10)]
public partial class FashionMnistMlp;
