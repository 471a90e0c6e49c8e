using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Inspection;

/// <summary>
/// Measures a module's summary by running it: a forward hook on each direct submodule records
/// its output shape, TorchSharp's own parameters give the counts, and a forward hook on every
/// innermost module counts its multiply-adds from the tensors it really received and produced
/// (convolution, transposed convolution and linear layers; other modules count 0). Works for any
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

        var calls = new List<(string Name, string Type, long[] Shape, long Parameters)>();
        var multiplyAdds = new Dictionary<string, long>();
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
                        calls.Add((name, module.GetType().Name, output.shape.Skip(1).ToArray(), parameters));
                        return output;
                    });
                    removeHooks.Add(hook.remove);
                    multiplyAdds[name] = 0;
                    // TorchSharp's modules() leaves out the module itself, which is often the innermost one.
                    foreach (var innermost in child.modules().Prepend(child).OfType<nn.Module<Tensor, Tensor>>().Where(static m => !m.children().Any()))
                    {
                        var counter = innermost.register_forward_hook((module, input, output) =>
                        {
                            multiplyAdds[name] += MultiplyAdds(module, input, output);
                            return output;
                        });
                        removeHooks.Add(counter.remove);
                    }
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

        var layers = calls.Select(c => new LayerSummary(c.Name, c.Type, c.Shape, c.Parameters, multiplyAdds[c.Name] / BatchSize));
        return new ModelSummary(model.GetName(), inputShape.ToArray(), layers.ToArray());
    }

    /// <summary>
    /// The multiply-adds of one call, from the weight's shape and the tensors' sizes: each output element of a
    /// convolution sums <c>in_channels/groups x kernel</c> products; each input element of a transposed
    /// convolution is multiplied into <c>out_channels/groups x kernel</c> outputs; each output feature of a
    /// linear layer sums <c>in_features</c> products. Biases are additions only and do not count.
    /// </summary>
    private static long MultiplyAdds(nn.Module module, Tensor input, Tensor output) => module switch
    {
        TorchSharp.Modules.Conv2d conv => output.numel() * conv.weight!.shape.Skip(1).Aggregate(static (a, b) => a * b),
        TorchSharp.Modules.ConvTranspose2d transposed => input.numel() * transposed.weight!.shape.Skip(1).Aggregate(static (a, b) => a * b),
        TorchSharp.Modules.Linear linear => output.numel() * linear.weight!.shape[1],
        _ => 0,
    };

    /// <summary>The number of elements in all parameters of <paramref name="model"/>, as TorchSharp reports them.</summary>
    /// <param name="model">The module.</param>
    /// <returns>The parameter count.</returns>
    public static long CountParameters(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.parameters().Sum(static p => p.numel());
    }
}
