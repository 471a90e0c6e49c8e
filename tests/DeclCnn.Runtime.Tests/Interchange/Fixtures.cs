using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Tests.Interchange;

/// <summary>The files make_fixtures.py wrote with PyTorch, and helpers to compare a model's state before and after.</summary>
internal static class Fixtures
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Interchange", "Fixtures", name);

    /// <summary>The fixed input batch and PyTorch's output for it, in eval mode.</summary>
    public static (Tensor Input, Tensor Output) InputAndOutput(string model)
    {
        Dictionary<string, Tensor> io = Safetensors.LoadStateDict(PathOf($"{model}_io.safetensors"));
        return (io["input"], io["output"]);
    }

    /// <summary>A copy of every parameter and buffer, to prove later that a failed load changed nothing.</summary>
    public static Dictionary<string, Tensor> Snapshot(nn.Module module) =>
        module.state_dict().ToDictionary(static entry => entry.Key, static entry => entry.Value.detach().clone());

    /// <summary>Same dtype, shape and values (torch.equal, plus the dtype).</summary>
    public static bool Identical(Tensor expected, Tensor actual) => expected.dtype == actual.dtype && expected.Equals(actual);

    public static void AssertSameState(Dictionary<string, Tensor> expected, nn.Module module)
    {
        Dictionary<string, Tensor> actual = module.state_dict();
        Xunit.Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, tensor) in expected)
        {
            Xunit.Assert.True(Identical(tensor, actual[key]), $"{key} changed");
        }
    }
}
