namespace DeclCnn.Runtime.Tests.Interchange.PyTorch.Networks;

/// <summary>
/// Layer names that are fine in C# but not as Python attributes: a Python keyword (<c>lambda</c>) and attributes of
/// PyTorch's <c>nn.Module</c> (<c>type</c>, <c>requires_grad_</c>), which the PyTorch source reaches through <c>_modules</c>.
/// </summary>
[Input(3, 8, 8)]
[Conv(4, 3, Padding = 1, Name = "lambda"), ReLU(Name = "type"), Conv(4, 1, Name = "requires_grad_"), GlobalAvgPool, Flatten, Dense(3, Name = "pass")]
internal sealed partial class PythonNamedLayersNetwork;
