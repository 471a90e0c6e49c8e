namespace DeclCnn.Samples;

/// <summary>
/// Transfer learning (docs/transfer-learning.md): <see cref="SimpleCnn"/>'s two convolution stages, through its
/// <c>flatten</c> (3,136 features), with a new two-layer head for five classes. The `transfer-experiment` command of
/// samples/DeclCnn.Samples.FashionMnist pretrains the backbone on Fashion-MNIST classes 0-4 and trains this network on
/// classes 5-9, with the backbone frozen, against the same network trained from scratch.
/// </summary>
#region declare
[Input(1, 28, 28)]
[Backbone<SimpleCnn>("flatten")]
[Dense(64), ReLU, Dense(5)]
public partial class FashionMnistTransfer;
#endregion
