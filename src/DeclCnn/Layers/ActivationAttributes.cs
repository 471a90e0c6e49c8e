using System;

namespace DeclCnn;

/// <summary>Rectified linear unit, <c>max(0, x)</c> (<c>torch.nn.ReLU</c>).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ReLUAttribute : LayerAttribute
{
}

/// <summary>Leaky ReLU, <c>max(0, x) + slope * min(0, x)</c> (<c>torch.nn.LeakyReLU</c>).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class LeakyReLUAttribute : LayerAttribute
{
    /// <summary>Slope for negative inputs. Default: 0.01.</summary>
    public double NegativeSlope { get; set; } = 0.01;
}

/// <summary>Logistic sigmoid (<c>torch.nn.Sigmoid</c>).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class SigmoidAttribute : LayerAttribute
{
}

/// <summary>Hyperbolic tangent (<c>torch.nn.Tanh</c>).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class TanhAttribute : LayerAttribute
{
}

/// <summary>Sigmoid linear unit, <c>x * sigmoid(x)</c> (<c>torch.nn.SiLU</c>).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class SiLUAttribute : LayerAttribute
{
}

/// <summary>Gaussian error linear unit, exact form (<c>torch.nn.GELU</c>).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GELUAttribute : LayerAttribute
{
}

/// <summary>Softmax over a dimension (<c>torch.nn.Softmax</c>).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class SoftmaxAttribute : LayerAttribute
{
    /// <summary>The dimension to normalize, counting the batch dimension as 0. Default: 1 (classes or channels).</summary>
    public int Dim { get; set; } = 1;
}

/// <summary>Log-softmax over a dimension (<c>torch.nn.LogSoftmax</c>).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class LogSoftmaxAttribute : LayerAttribute
{
    /// <summary>The dimension to normalize, counting the batch dimension as 0. Default: 1 (classes or channels).</summary>
    public int Dim { get; set; } = 1;
}
