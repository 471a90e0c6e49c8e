using System;
using System.Collections.Generic;

namespace DeclCnn.Generators.Emit;

/// <summary>
/// Names as the PyTorch source writes them. A layer's name is a valid C# identifier, but it may be a Python keyword
/// (<c>lambda</c>) or an attribute of <c>nn.Module</c> (<c>type</c>), which <c>self.name</c> cannot reach: such a
/// layer is registered and called through <c>_modules</c> under the same name, so its state-dict keys stay the same.
/// </summary>
internal static class PyTorchNames
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
        "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal",
        "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
    };

    /// <summary>The public attributes of PyTorch's <c>nn.Module</c> (1.13 and 2.x), which a submodule of the same name would not replace.</summary>
    private static readonly HashSet<string> ModuleAttributes = new(StringComparer.Ordinal)
    {
        "T_destination", "add_module", "apply", "bfloat16", "buffers", "call_super_init", "children", "compile", "cpu",
        "cuda", "double", "dump_patches", "eval", "extra_repr", "float", "forward", "get_buffer", "get_extra_state",
        "get_parameter", "get_submodule", "half", "ipu", "load_state_dict", "modules", "mtia", "named_buffers",
        "named_children", "named_modules", "named_parameters", "parameters", "register_backward_hook", "register_buffer",
        "register_forward_hook", "register_forward_pre_hook", "register_full_backward_hook",
        "register_full_backward_pre_hook", "register_load_state_dict_post_hook", "register_load_state_dict_pre_hook",
        "register_module", "register_parameter", "register_state_dict_post_hook", "register_state_dict_pre_hook",
        "requires_grad_", "set_extra_state", "set_submodule", "share_memory", "state_dict", "to", "to_empty", "train",
        "training", "type", "xpu", "zero_grad",
    };

    /// <summary>A class name: the C# name, with an underscore after it where it is a Python keyword.</summary>
    public static string Class(string name) => Keywords.Contains(name) ? name + "_" : name;

    /// <summary>The submodule as an expression: <c>self.conv1</c>, or <c>self._modules['type']</c>.</summary>
    public static string Submodule(string name) => IsPlain(name) ? $"self.{name}" : $"self._modules['{name}']";

    /// <summary>The statement that registers <paramref name="module"/> as the submodule <paramref name="name"/>.</summary>
    public static string Register(string name, string module) =>
        IsPlain(name) ? $"self.{name} = {module}" : $"self._modules['{name}'] = {module}";

    private static bool IsPlain(string name) => !Keywords.Contains(name) && !ModuleAttributes.Contains(name) && !name.StartsWith("_", StringComparison.Ordinal);
}
