using System;

namespace DeclCnn;

/// <summary>
/// Global max pooling: the maximum of each channel over the whole feature map, <c>[N, C, H, W] -&gt; [N, C, 1, 1]</c>
/// (<c>torch.nn.AdaptiveMaxPool2d(1)</c>; follow it with <see cref="FlattenAttribute"/> before a dense layer).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GlobalMaxPoolAttribute : LayerAttribute
{
}
