using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Inference;

/// <summary>
/// Runs a TorchSharp module: in evaluation mode (dropout off, batch norm on its running statistics) and under
/// <c>torch.inference_mode()</c>, which records no autograd graph.
/// </summary>
public sealed class TorchSharpEngine : IInferenceEngine
{
    private readonly nn.Module<Tensor, Tensor> model;
    private readonly long[] inputShape;
    private readonly Device device;
    private readonly bool ownsModel;

    /// <summary>An engine running <paramref name="model"/> on images of <paramref name="inputShape"/>.</summary>
    /// <param name="model">The network; it is switched to evaluation mode, and moved to <paramref name="device"/> when one is given.</param>
    /// <param name="inputShape">One image: channels, height, width.</param>
    /// <param name="device">Where to run; null keeps the model where it is (its first parameter's device, or the CPU).</param>
    /// <param name="ownsModel">Whether disposing the engine disposes <paramref name="model"/>.</param>
    public TorchSharpEngine(nn.Module<Tensor, Tensor> model, IReadOnlyList<long> inputShape, Device? device = null, bool ownsModel = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputShape);
        this.model = model;
        this.inputShape = inputShape.ToArray();
        this.ownsModel = ownsModel;
        if (device is not null)
        {
            model.to(device);
        }

        this.device = device ?? model.parameters().FirstOrDefault()?.device ?? CPU;
        model.eval();
    }

    /// <inheritdoc/>
    public string Name => $"TorchSharp ({device})";

    /// <inheritdoc/>
    public float[] Run(float[] batch, int count)
    {
        ArgumentNullException.ThrowIfNull(batch);
        // Evaluation mode again on every call: the module may be shared with code that trains it between calls.
        model.eval();
        using var inference = inference_mode();
        using var scope = NewDisposeScope();
        Tensor input = tensor(batch, [count, .. inputShape]).to(device);
        Tensor output = model.call(input);
        return output.to(ScalarType.Float32).cpu().data<float>().ToArray();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (ownsModel)
        {
            model.Dispose();
        }
    }
}
