using DeclCnn;

namespace DeclCnnProject;

/// <summary>
/// A small convolutional network for 28x28 grey images (Fashion-MNIST, MNIST). Every shape is checked when the project
/// compiles, and `dotnet run -- summary Net` prints them: change a layer and build to see what it does.
/// </summary>
[Input(1, 28, 28)]
[Conv(32, 3, Padding = "same"), ReLU, MaxPool(2)]
[Conv(64, 3, Padding = "same"), ReLU, MaxPool(2)]
[Flatten, Dense(128), ReLU, Dropout(0.5), Dense(10)]
public partial class Net;
