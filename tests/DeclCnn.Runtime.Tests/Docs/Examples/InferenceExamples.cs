#region save
using DeclCnn.Runtime.Data;
using DeclCnn.Runtime.Inference;
using DeclCnn.Samples;
#endregion
using System;
using System.Collections.Generic;
using System.IO;
using SkiaSharp;
using TorchSharp;

namespace DeclCnn.Runtime.Tests.Docs.Examples;

/// <summary>The C# examples of docs/inference.md, compiled with the tests (<see cref="DocumentationExampleTests"/>).</summary>
internal static class InferenceExamples
{
    public static void SaveWithTheTrainingSetsInformation()
    {
        #region save
        using TrainTestSplit data = FashionMnist.Load();
        using var model = new SimpleCnn();
        // ... train it ...

        ModelInfo info = ModelInfo.For(data.Train.Info) with
        {
            Provenance = new ModelProvenance { Dataset = "Fashion-MNIST", Epochs = 15, Metric = "val_top1", MetricValue = 0.9132 },
        };
        ModelFile.Save(model, "simplecnn.safetensors", info);
        #endregion
    }

    public static void SaveWithInformationGivenDirectly(SimpleCnn model)
    {
        #region save-info
        var info = new ModelInfo(
            SimpleCnn.Summary.InputShape,                       // [1, 28, 28]
            ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"],
            new ChannelStatistics([0.2860f], [0.3530f]));       // the training set's mean and std, on the [0, 1] scale
        ModelFile.Save(model, "simplecnn.safetensors", info);
        #endregion
    }

    public static void Load()
    {
        #region load
        using var model = new SimpleCnn();
        ModelFileHeader header = ModelFile.Load(model, "simplecnn.safetensors");
        Console.WriteLine($"{header.ModelType}: {string.Join(", ", header.Info.ClassNames)}");
        #endregion
    }

    public static void Classify()
    {
        #region classify
        // The classifier owns the module: it is disposed with the classifier (or when loading fails).
        using var classifier = Classifier.Load(new SimpleCnn(), "simplecnn.safetensors", new ClassifierOptions { Top = 3 });

        Prediction prediction = classifier.Predict("sneaker.png");
        Console.WriteLine(prediction);                  // Sneaker 97.31 %, Sandal 2.02 %, Ankle boot 0.51 %
        Console.WriteLine(prediction.Best.ClassName);   // Sneaker

        byte[] encoded = File.ReadAllBytes("bag.jpg");
        Prediction fromBytes = classifier.Predict(encoded, "bag.jpg");   // the name is for error messages

        using SKBitmap bitmap = SKBitmap.Decode("coat.png");
        Prediction fromBitmap = classifier.Predict(bitmap);
        #endregion
    }

    public static void ClassifyWithAModuleInMemory(SimpleCnn model, TrainTestSplit data)
    {
        #region from-module
        using var classifier = Classifier.FromModule(model, ModelInfo.For(data.Train.Info));
        IReadOnlyList<Prediction> predictions = classifier.Predict(data.Test.Images.narrow(0, 0, 100));
        #endregion
    }

    public static void ClassifyAFolder(Classifier classifier)
    {
        #region folder
        int failed = 0;
        foreach (FilePrediction result in classifier.PredictFolder("photos", recursive: false,
            progress: p => Console.Error.WriteLine($"{p.Done}/{p.Total} ({p.Failed} failed)")))
        {
            if (result.Succeeded)
            {
                Console.WriteLine($"{result.Path}: {result.Prediction.Best}");
            }
            else
            {
                failed++;
                Console.WriteLine($"failed: {result.Error}");
            }
        }
        #endregion
    }

    public static void ChooseTheEngine()
    {
        #region engine
        // ONNX Runtime (the default) exports the declaration's graph in memory and runs it; the module is disposed.
        using var onOnnxRuntime = Classifier.Load(new SimpleCnn(), "simplecnn.safetensors");

        // TorchSharp runs the module itself, on the CPU or on the device given.
        using var onTorchSharp = Classifier.Load(new SimpleCnn(), "simplecnn.safetensors",
            new ClassifierOptions { Engine = ClassifierEngine.TorchSharp }, torch.CUDA);
        #endregion
    }

    public static void ExportForOnnxRuntime(SimpleCnn model, ModelInfo info)
    {
        #region export-onnx
        model.ExportOnnx("simplecnn.onnx", info);   // the graph, the weights, and info as the model's metadata_props
        #endregion
    }

    public static void ServeWithOnnxRuntimeOnly()
    {
        #region serve
        // No module and no TorchSharp: the file says what the network needs.
        using var classifier = Classifier.Open("simplecnn.onnx");
        Console.WriteLine($"{classifier.ModelType} on {classifier.EngineName}: {classifier.Predict("sneaker.png")}");
        #endregion
    }

    public static void OpenAnOnnxModelFromElsewhere()
    {
        #region open-with-info
        // An ONNX classifier exported by another tool: give what DeclCnn's metadata would say.
        var info = new ModelInfo(
            [1, 28, 28],
            ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
            new ChannelStatistics([0.1307f], [0.3081f]));
        using var classifier = Classifier.Open("mnist-from-pytorch.onnx", info);
        #endregion
    }
}
