using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using TorchSharp;
using static TorchSharp.torch;

namespace DeclCnn.App;

/// <summary>
/// A network declared with <c>[Input]</c> in one of the app's assemblies: its name, its compile-time summary, and a way
/// to build it. Found through what the generator emits: the <c>[Input]</c> attribute it reads, the TorchSharp base type
/// and the static <c>Summary</c> and <c>PyTorchSource</c> it adds.
/// </summary>
public sealed class DeclaredNetwork
{
    private DeclaredNetwork(Type type, ModelSummary summary)
    {
        Type = type;
        Summary = summary;
    }

    /// <summary>The class's name, as the command line takes it.</summary>
    public string Name => Type.Name;

    /// <summary>The declared class.</summary>
    public Type Type { get; }

    /// <summary>Layers, shapes and parameter counts, computed at compile time.</summary>
    public ModelSummary Summary { get; }

    /// <summary>The network as a PyTorch module: the Python source its declaration generates.</summary>
    public string PyTorchSource => (string)Type.GetProperty("PyTorchSource", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;

    /// <summary>A new instance with freshly initialized weights, on the CPU.</summary>
    public nn.Module<Tensor, Tensor> Create() => (nn.Module<Tensor, Tensor>)Activator.CreateInstance(Type, Type.Name)!;

    /// <summary>The declared networks of <paramref name="assemblies"/>, by name.</summary>
    public static IReadOnlyList<DeclaredNetwork> FindIn(IEnumerable<Assembly> assemblies) =>
        assemblies
            .Distinct()
            .SelectMany(static assembly => assembly.GetTypes())
            .Where(static type => type is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false }
                && type.GetCustomAttribute<InputAttribute>() is not null
                && typeof(nn.Module<Tensor, Tensor>).IsAssignableFrom(type)
                && type.GetConstructor([typeof(string)]) is not null)
            .Select(static type => (type, summary: type.GetProperty("Summary", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as ModelSummary))
            .Where(static found => found.summary is not null)
            .Select(static found => new DeclaredNetwork(found.type, found.summary!))
            .OrderBy(static network => network.Name, StringComparer.Ordinal)
            .ToList();
}
