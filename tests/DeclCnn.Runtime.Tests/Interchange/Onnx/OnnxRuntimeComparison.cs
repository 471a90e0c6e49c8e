using System;
using System.Linq;
using DeclCnn.Runtime.Interchange.Onnx;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;
using Xunit;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Tests.Interchange.Onnx;

/// <summary>Runs an exported model in ONNX Runtime and the module in TorchSharp (eval mode) on the same batch.</summary>
internal static class OnnxRuntimeComparison
{
    /// <summary>Float32 rounding in kernels of two libraries: the outputs agree to this fraction of the output's scale.</summary>
    public const double RelativeTolerance = 1e-4;

    /// <summary>
    /// Gives every normalization layer weights and running statistics far from their initial 1 and 0, and every bias a
    /// value, so an export that skipped or misplaced any of them would show; convolution and dense weights keep their
    /// seeded initialization.
    /// </summary>
    public static void Randomize(nn.Module module, int seed)
    {
        manual_seed(seed);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var (name, tensor) in module.state_dict())
        {
            if (name.EndsWith("running_mean", StringComparison.Ordinal) || name.EndsWith(".bias", StringComparison.Ordinal))
            {
                tensor.copy_(randn_like(tensor) * 0.2);
            }
            else if (name.EndsWith("running_var", StringComparison.Ordinal) || (name.EndsWith(".weight", StringComparison.Ordinal) && tensor.dim() == 1))
            {
                tensor.copy_(rand_like(tensor) + 0.5);
            }
        }
    }

    /// <summary>
    /// The largest difference between <paramref name="session"/>'s and TorchSharp's outputs for a seeded batch of
    /// <paramref name="batch"/> inputs, relative to the largest TorchSharp output; asserts the shapes agree.
    /// </summary>
    public static double RelativeDifference(nn.Module<Tensor, Tensor> module, InferenceSession session, long[] inputShape, long batch)
    {
        using var scope = NewDisposeScope();
        manual_seed(1234 + batch);
        Tensor input = randn([batch, .. inputShape]);
        module.eval();
        Tensor expected;
        using (no_grad())
        {
            expected = module.call(input).contiguous();
        }

        using var ortInput = OrtValue.CreateTensorValueFromMemory(input.data<float>().ToArray(), input.shape);
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, [OnnxGraphBuilder.InputName], [ortInput], [OnnxGraphBuilder.OutputName]);
        Assert.Equal(expected.shape, results[0].GetTensorTypeAndShape().Shape);
        float[] actual = results[0].GetTensorDataAsSpan<float>().ToArray();

        float[] reference = expected.data<float>().ToArray();
        double difference = actual.Zip(reference, static (a, b) => (double)Math.Abs(a - b)).Max();
        double magnitude = reference.Max(static v => (double)Math.Abs(v));
        return difference / magnitude;
    }

    /// <summary>Asserts the exported model matches the module at batch sizes 1 and 3 (the batch dimension is dynamic); returns the larger difference.</summary>
    public static double AssertMatches(nn.Module<Tensor, Tensor> module, ModelProto model, long[] inputShape)
    {
        using var session = new InferenceSession(model.ToByteArray());
        return AssertMatches(module, session, inputShape, [1, 3]);
    }

    /// <summary>Asserts the model in <paramref name="session"/> matches the module at each of <paramref name="batches"/>; returns the largest difference.</summary>
    public static double AssertMatches(nn.Module<Tensor, Tensor> module, InferenceSession session, long[] inputShape, long[] batches)
    {
        double worst = 0;
        foreach (long batch in batches)
        {
            double difference = RelativeDifference(module, session, inputShape, batch);
            Assert.True(difference <= RelativeTolerance, $"batch {batch}: ONNX Runtime differs from TorchSharp by {difference:G3} of the output's scale");
            worst = Math.Max(worst, difference);
        }

        return worst;
    }
}
