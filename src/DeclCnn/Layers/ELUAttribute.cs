using System;

namespace DeclCnn;

/// <summary>Exponential linear unit, <c>x</c> for <c>x &gt; 0</c>, else <c>alpha * (exp(x) - 1)</c> (<c>torch.nn.ELU</c>).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ELUAttribute : LayerAttribute
{
    /// <summary>The value the negative side saturates to, <c>-alpha</c>. Default: 1.</summary>
    public double Alpha { get; set; } = 1.0;
}
