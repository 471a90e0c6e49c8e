namespace DeclCnn.Runtime.Tests.Inference;

/// <summary>A small RGB classifier of 8x8 images into three classes.</summary>
[Input(3, 8, 8)]
[Conv(4, 3), ReLU]
[Flatten, Dense(3)]
public partial class TinyRgbNet;

/// <summary>The same layers as <see cref="TinyRgbNet"/> under another name.</summary>
[Input(3, 8, 8)]
[Conv(4, 3), ReLU]
[Flatten, Dense(3)]
public partial class TinyRgbTwin;
