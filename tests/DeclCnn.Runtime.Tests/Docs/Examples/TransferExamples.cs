#region train
using DeclCnn.Runtime.Data;
using DeclCnn.Runtime.Training;
using DeclCnn.Runtime.Transfer;
#endregion
using System;
using DeclCnn.Samples;

namespace DeclCnn.Runtime.Tests.Docs.Examples;

/// <summary>
/// The C# examples of docs/transfer-learning.md, compiled with the tests (<see cref="DocumentationExampleTests"/>); the
/// declaration they use is the sample's (a backbone must be declared in the same project as the network that reuses it).
/// </summary>
internal static class TransferExamples
{
    public static void TrainTheHead()
    {
        #region train
        using TrainTestSplit data = FashionMnist.Load();
        using ImageDataset shoesAndBags = data.Train.SelectClasses(5, 6, 7, 8, 9);   // relabelled 0-4, with their names
        using var model = new FashionMnistTransfer();
        model.LoadBackbone("runs/main/best.safetensors");   // SimpleCnn's model file; its own head (fc1, fc2) is ignored
        model.FreezeBackbone();                              // only head_fc1 and head_fc2 train

        var batches = new BatchLoader(shoesAndBags, new LoaderOptions { BatchSize = 64 });
        Trainer.Fit(model, batches, validation: null, new FitOptions { Epochs = 2 }, log: Console.WriteLine);
        #endregion

        #region fine-tune
        model.Unfreeze();
        var fineTuning = new FitOptions { Epochs = 1, Optimizer = new AdamSettings { LearningRate = 1e-4 } };
        Trainer.Fit(model, batches, validation: null, fineTuning, log: Console.WriteLine);
        #endregion
    }

    public static void FreezeByName()
    {
        #region freeze-by-name
        using var resnet = new ResNet18();
        resnet.Freeze("conv1", "bn1", "layer1");   // the stem and the first stage, with everything in them
        resnet.Freeze("layer*");                   // every stage: a name ending in * is a prefix
        Console.WriteLine($"{resnet.TrainableParameterCount():N0} of {ResNet18.Summary.TotalParameters:N0} parameters train");
        resnet.Unfreeze("layer4");                 // the last stage trains again
        #endregion
    }
}
