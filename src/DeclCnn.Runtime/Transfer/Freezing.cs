using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Transfer;

/// <summary>
/// Freezes and unfreezes a module's layers for transfer learning. A frozen layer's parameters do not require gradients,
/// so a trainer created afterwards leaves them out of its optimizer; its batch norms (any norm with running statistics)
/// stay in evaluation mode even when the module is switched to training, so their running statistics do not move.
/// </summary>
/// <remarks>
/// Layers are named as in the module's state dict: <c>"conv1"</c> is that layer and everything in it, <c>"layer1.0"</c>
/// one block of a stage, and a name ending in <c>*</c> is a prefix, <c>"conv*"</c> every layer whose name starts with
/// <c>conv</c>. Freeze before creating the trainer: an optimizer holds the parameters it was created with.
/// </remarks>
public static class Freezing
{
    /// <summary>The hook that keeps each frozen norm in evaluation mode, by norm, to remove it on unfreezing.</summary>
    private static readonly ConditionalWeakTable<NormBase, Action> EvaluationHooks = [];

    /// <summary>Freezes the layers named by <paramref name="layers"/> (each a layer name, or a prefix ending in <c>*</c>).</summary>
    /// <param name="module">The network.</param>
    /// <param name="layers">The layers to freeze.</param>
    /// <exception cref="ArgumentException">No layers were given, or one matches no layer of <paramref name="module"/> (the message lists its layers).</exception>
    public static void Freeze(this nn.Module module, params IEnumerable<string> layers)
    {
        ArgumentNullException.ThrowIfNull(module);
        var patterns = Check(module, layers);
        foreach (var (_, parameter) in Matching(module.named_parameters(), patterns))
        {
            parameter.requires_grad = false;
        }

        foreach (var (_, norm) in Matching(module.named_modules(), patterns))
        {
            if (norm is NormBase batchNorm && !EvaluationHooks.TryGetValue(batchNorm, out _))
            {
                // The trainer switches the whole module to training each epoch: the norm goes back to evaluation
                // mode before it runs, so its running statistics are neither updated nor used as batch statistics.
                var hook = batchNorm.register_forward_pre_hook(static (nn.Module self) =>
                {
                    if (self.training)
                    {
                        self.eval();
                    }
                });
                EvaluationHooks.Add(batchNorm, hook.remove);
                batchNorm.eval();
            }
        }
    }

    /// <summary>
    /// Unfreezes the layers named by <paramref name="layers"/>, or every layer when none are named: their parameters
    /// require gradients again and their batch norms follow the module's mode. For fine-tuning, create a new trainer
    /// afterwards (a second fit, usually at a lower learning rate): it optimizes the unfrozen parameters too.
    /// </summary>
    /// <param name="module">The network.</param>
    /// <param name="layers">The layers to unfreeze; none means all.</param>
    /// <exception cref="ArgumentException">A name matches no layer of <paramref name="module"/>.</exception>
    public static void Unfreeze(this nn.Module module, params IEnumerable<string> layers)
    {
        ArgumentNullException.ThrowIfNull(module);
        var patterns = layers.Any() ? Check(module, layers) : ["*"];
        foreach (var (_, parameter) in Matching(module.named_parameters(), patterns))
        {
            parameter.requires_grad = true;
        }

        foreach (var (_, norm) in Matching(module.named_modules(), patterns))
        {
            if (norm is NormBase batchNorm && EvaluationHooks.TryGetValue(batchNorm, out var remove))
            {
                remove();
                EvaluationHooks.Remove(batchNorm);
                batchNorm.train(module.training);
            }
        }
    }

    /// <summary>The number of parameter elements that require gradients: what a trainer created now would optimize.</summary>
    public static long TrainableParameterCount(this nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        return module.parameters().Where(static p => p.requires_grad).Sum(static p => p.numel());
    }

    private static string[] Check(nn.Module module, IEnumerable<string> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        string[] patterns = [.. layers];
        if (patterns.Length == 0)
        {
            throw new ArgumentException($"Name the layers of {module.GetName()} to freeze.", nameof(layers));
        }

        var names = module.named_modules().Select(static m => m.name).Where(static n => n.Length > 0).ToList();
        if (patterns.FirstOrDefault(p => !names.Any(n => Matches(n, p))) is { } unknown)
        {
            var topLevel = module.named_children().Select(static c => c.name);
            throw new ArgumentException($"'{unknown}' matches no layer of {module.GetName()}; its layers are {string.Join(", ", topLevel)}.", nameof(layers));
        }

        return patterns;
    }

    private static IEnumerable<(string Name, T Value)> Matching<T>(IEnumerable<(string Name, T Value)> named, string[] patterns) =>
        named.Where(entry => patterns.Any(p => Matches(entry.Name, p)));

    /// <summary>
    /// Whether the state-dict name <paramref name="name"/> (a module's or a parameter's) is in the layer
    /// <paramref name="pattern"/>: the layer itself or anything below it, or any name with the prefix before a final <c>*</c>.
    /// </summary>
    private static bool Matches(string name, string pattern) =>
        pattern.EndsWith('*')
            ? name.StartsWith(pattern[..^1], StringComparison.Ordinal)
            : name == pattern || (name.Length > pattern.Length && name.StartsWith(pattern, StringComparison.Ordinal) && name[pattern.Length] == '.');
}
