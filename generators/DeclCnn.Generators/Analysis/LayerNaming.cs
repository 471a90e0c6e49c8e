using System;
using System.Collections.Generic;
using System.Linq;
using DeclCnn.Generators.Model;
using Microsoft.CodeAnalysis.CSharp;

namespace DeclCnn.Generators.Analysis;

/// <summary>
/// Gives every layer its submodule name: the user's <c>Name</c>, or a PyTorch-style default
/// numbered per kind (<c>conv1</c>, <c>bn2</c>, <c>relu3</c>, <c>layer1</c>). Each kind gives its
/// prefix and says whether it is always numbered, as torchvision numbers convolutions, batch norms
/// and stages; other kinds used once keep the bare name (<c>fc</c>, <c>flatten</c>, <c>dropout</c>).
/// Names become both C# fields and state-dict keys.
/// </summary>
internal static class LayerNaming
{
    /// <summary>Members of TorchSharp's Module that a field of the same name would hide or break.</summary>
    private static readonly HashSet<string> ModuleMembers = new(StringComparer.Ordinal)
    {
        "forward", "training", "train", "eval", "name", "to", "cpu", "cuda", "half", "bfloat16", "float", "double",
        "parameters", "named_parameters", "buffers", "named_buffers", "children", "named_children", "modules",
        "named_modules", "state_dict", "load_state_dict", "load", "save", "apply", "zero_grad", "call",
        "register_module", "register_buffer", "register_parameter", "register_forward_hook", "register_forward_pre_hook",
        "get_buffer", "get_parameter", "get_submodule", "RegisterComponents", "Dispose", "Summary",
        "Equals", "GetHashCode", "GetType", "ToString", "MemberwiseClone", "Finalize",
    };

    /// <summary>The prefix of the default names of a head's layers, which keeps them apart from the backbone's.</summary>
    public const string HeadPrefix = "head_";

    /// <summary>Returns each layer's name, and for each layer whose name cannot be used, why.</summary>
    /// <remarks><paramref name="memberNames"/> are the members the user's own parts of the class declare.</remarks>
    public static string[] Assign(IReadOnlyList<ModuleSpec> layers, string className, EquatableArray<string> memberNames, out IReadOnlyList<(int Layer, string Reason)> problems) =>
        Assign(layers, Array.Empty<string>(), className, memberNames, out problems);

    /// <summary>
    /// Names a network that starts with a backbone's layers, <paramref name="backboneNames"/> being their names in the
    /// backbone (kept, so that its state-dict keys stay its own): the layers after them, the head, take their default
    /// names with <see cref="HeadPrefix"/> before them. The problems index <paramref name="layers"/>, backbone first.
    /// </summary>
    public static string[] Assign(IReadOnlyList<ModuleSpec> layers, IReadOnlyList<string> backboneNames, string className, EquatableArray<string> memberNames, out IReadOnlyList<(int Layer, string Reason)> problems)
    {
        var head = layers.Skip(backboneNames.Count).ToList();
        var headNames = DefaultNames(head).Select((name, i) => backboneNames.Count > 0 && head[i].Name is null ? HeadPrefix + name : name);
        var names = backboneNames.Concat(headNames).ToArray();
        var found = new List<(int, string)>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < names.Length; i++)
        {
            var name = names[i];
            var reason = Validate(name, className, memberNames, seen);
            if (reason is not null)
            {
                found.Add((i, reason));
            }

            seen[name] = i;
        }

        problems = found;
        return names;
    }

    private static string[] DefaultNames(List<ModuleSpec> layers)
    {
        var unnamed = layers.Where(static l => l.Name is null).GroupBy(static l => l.Module.NamePrefix(l)).ToDictionary(static g => g.Key, static g => g.Count());
        var ordinals = new Dictionary<string, int>();
        var names = new string[layers.Count];
        for (var i = 0; i < layers.Count; i++)
        {
            if (layers[i].Name is { } explicitName)
            {
                names[i] = explicitName;
                continue;
            }

            var prefix = layers[i].Module.NamePrefix(layers[i]);
            ordinals[prefix] = ordinals.TryGetValue(prefix, out var n) ? n + 1 : 1;
            var numbered = layers[i].Module.AlwaysNumbered || unnamed[prefix] > 1;
            names[i] = numbered ? $"{prefix}{ordinals[prefix]}" : prefix;
        }

        return names;
    }

    private static string? Validate(string name, string className, EquatableArray<string> memberNames, Dictionary<string, int> seen)
    {
        if (!SyntaxFacts.IsValidIdentifier(name) || SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None)
        {
            return "is not a valid C# identifier";
        }

        if (seen.TryGetValue(name, out var other))
        {
            return $"is already used by layer {other + 1}";
        }

        if (ModuleMembers.Contains(name))
        {
            return "is a member of TorchSharp's Module";
        }

        if (name == className)
        {
            return "is the class name";
        }

        if (memberNames.Contains(name))
        {
            return $"is already a member of '{className}'";
        }

        // forward() names its parameter "input" and its temporaries x1, x2, ...
        if (name == "input" || (name.Length > 1 && name[0] == 'x' && name.Skip(1).All(char.IsDigit)))
        {
            return "is reserved for the generated forward method's variables";
        }

        return null;
    }
}
