using System.Collections.Generic;
using System.Globalization;

namespace DeclCnn.Generators.Emit;

/// <summary>
/// Helpers for writing TorchSharp factory calls as hand-written code: only the arguments that
/// differ from PyTorch's defaults, numbers in invariant culture. Each kind writes its own call
/// (<see cref="Kinds.ModuleKind.Create"/>).
/// </summary>
internal static class ModuleFactory
{
    private const string Nn = "global::TorchSharp.torch.nn";
    private static readonly char[] DecimalMarkers = { '.', 'E' };

    public static string TypeName(string moduleType) => $"global::TorchSharp.Modules.{moduleType}";

    /// <summary>The shortcut projection of a residual block: a 1x1 convolution with the block's stride, and batch normalization.</summary>
    public static string Projection(string inChannels, string outChannels, string stride) =>
        $"{Nn}.Sequential(({Quote("0")}, {Nn}.Conv2d({inChannels}, {outChannels}, kernel_size: 1, stride: {stride}, bias: false)), ({Quote("1")}, {Nn}.BatchNorm2d({outChannels})))";

    public static string Quote(string text) => $"\"{text}\"";

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A double literal: always with a decimal point or exponent, so C# reads it as a double.</summary>
    public static string Number(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.IndexOfAny(DecimalMarkers) < 0 ? text + ".0" : text;
    }

    /// <summary><c>torch.nn.factory(arguments)</c>, leaving out the null ones.</summary>
    public static string Call(string factory, params string?[] arguments)
    {
        var present = new List<string>();
        foreach (var argument in arguments)
        {
            if (argument is not null)
            {
                present.Add(argument);
            }
        }

        return $"{Nn}.{factory}({string.Join(", ", present)})";
    }
}
