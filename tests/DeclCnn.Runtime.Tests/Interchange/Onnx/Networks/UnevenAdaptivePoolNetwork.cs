namespace DeclCnn.Runtime.Tests.Interchange.Onnx.Networks;

/// <summary>Adaptive pooling from 7x7 to 3x3: PyTorch's windows overlap and differ in size, which ONNX cannot express.</summary>
[Input(1, 7, 7)]
[Conv(2, 1), AdaptiveAvgPool(3), Flatten, Dense(2)]
internal sealed partial class UnevenAdaptivePoolNetwork;
