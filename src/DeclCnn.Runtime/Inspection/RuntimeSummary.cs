using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Inspection;

/// <summary>
/// Measures a module's summary by running it: a forward hook on each direct submodule records
/// its output shape, and TorchSharp's own parameters give the counts. Works for any
/// <c>Module&lt;Tensor, Tensor&gt;</c>, generated or hand-written, so a generated model's
/// compile-time <c>Summary</c> can be checked against what TorchSharp really does.
/// </summary>
public static class RuntimeSummary
{
    private const long BatchSize = 2;

    /// <summary>Runs one zero batch of two samples through <paramref name="model"/> in evaluation mode and summarizes it.</summary>
    /// <param name="model">The module; its direct submodules become the summary's layers, in call order.</param>
    /// <param name="inputShape">The shape of one input sample, without the batch dimension.</param>
    /// <returns>The measured summary.</returns>
    public static ModelSummary Measure(nn.Module<Tensor, Tensor> model, IReadOnlyList<long> inputShape)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputShape);

        var layers = new List<LayerSummary>();
        var removeHooks = new List<Action>();
        var wasTraining = model.training;
        try
        {
            foreach (var (name, child) in model.named_children())
            {
                if (child is nn.Module<Tensor, Tensor> layer)
                {
                    var parameters = layer.parameters().Sum(static p => p.numel());
                    var hook = layer.register_forward_hook((module, _, output) =>
                    {
                        layers.Add(new LayerSummary(name, module.GetType().Name, output.shape.Skip(1).ToArray(), parameters));
                        return output;
                    });
                    removeHooks.Add(hook.remove);
                }
            }

            model.eval();
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            model.call(zeros(inputShape.Prepend(BatchSize).ToArray()));
        }
        finally
        {
            foreach (var removeHook in removeHooks)
            {
                removeHook();
            }

            model.train(wasTraining);
        }

        return new ModelSummary(model.GetName(), inputShape.ToArray(), layers.ToArray());
    }

    /// <summary>The number of elements in all parameters of <paramref name="model"/>, as TorchSharp reports them.</summary>
    /// <param name="model">The module.</param>
    /// <returns>The parameter count.</returns>
    public static long CountParameters(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.parameters().Sum(static p => p.numel());
    }
}
