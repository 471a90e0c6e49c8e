using System;
using System.IO;
using System.Linq;
using DeclCnn.Runtime.Inference;

// DeclCnn.ServingProbe MODEL.onnx IMAGE...: one line per image, "<path>\t<index>:<probability>..." (the top-k, most probable
// first) or "<path>\tfailed\t<error>", then the torch libraries mapped into this process, if any.
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: DeclCnn.ServingProbe MODEL.onnx IMAGE...");
    return 64;
}

using (Classifier classifier = Classifier.Open(args[0]))
{
    foreach (FilePrediction result in classifier.PredictFiles(args[1..]))
    {
        Console.WriteLine(result.Succeeded
            ? $"{result.Path}\t{string.Join('\t', result.Prediction.Top.Select(static s => $"{s.Index}:{s.Probability:R}"))}"
            : $"{result.Path}\tfailed\t{result.Error}");
    }
}

string[] torch = File.ReadLines("/proc/self/maps")
    .Where(static line => line.Contains("libtorch", StringComparison.OrdinalIgnoreCase))
    .Select(static line => line[(line.LastIndexOf(' ') + 1)..])
    .Distinct()
    .ToArray();
Console.WriteLine($"torch libraries mapped: {torch.Length}{string.Concat(torch.Select(static path => $"\t{path}"))}");
return torch.Length == 0 ? 0 : 2;
