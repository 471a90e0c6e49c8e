using System;
using System.Collections.Generic;
using System.Globalization;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Training;

/// <summary>
/// How to build the optimizer: one of <see cref="SgdSettings"/>, <see cref="AdamSettings"/> or <see cref="AdamWSettings"/>. The settings
/// are plain data, so a run's configuration can be printed, compared and stored with its checkpoints.
/// </summary>
public abstract record OptimizerSettings
{
    private protected OptimizerSettings()
    {
    }

    /// <summary>The base learning rate; schedules scale it. Must be in [0, 3.4e38] (libtorch applies it in float32).</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>L2 penalty (<see cref="SgdSettings"/>, <see cref="AdamSettings"/>) or decoupled weight decay (<see cref="AdamWSettings"/>). Default: 0.</summary>
    public double WeightDecay { get; init; }

    /// <summary>Creates the TorchSharp optimizer over <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The parameters to optimize, usually <c>model.parameters()</c>.</param>
    /// <returns>A new optimizer; the caller disposes it.</returns>
    public abstract optim.Optimizer Create(IEnumerable<Parameter> parameters);

    /// <summary>Checks every setting before anything is created, so a bad value is an error naming it, not a libtorch failure later.</summary>
    /// <exception cref="ArgumentException">A setting is out of its range.</exception>
    internal virtual void Validate()
    {
        Require(nameof(LearningRate), LearningRate, LearningRate is >= 0 and <= float.MaxValue, "a finite number in [0, 3.4028235E+38] (libtorch applies it in float32)");
        Require(nameof(WeightDecay), WeightDecay, WeightDecay is >= 0 and <= float.MaxValue, "a finite number of at least 0");
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the setting unless <paramref name="valid"/>.</summary>
    private protected void Require(string name, double value, bool valid, string range)
    {
        if (!valid)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"{GetType().Name}.{name} is {value}; it must be {range}."));
        }
    }
}

/// <summary>
/// Stochastic gradient descent, as <c>torch.optim.SGD</c>: <c>v = momentum * v + (1 - dampening) * g</c> (with <c>g</c>
/// including <see cref="OptimizerSettings.WeightDecay"/> times the weight), and the step <c>lr * v</c>, or
/// <c>lr * (g + momentum * v)</c> with <see cref="Nesterov"/>.
/// </summary>
public sealed record SgdSettings : OptimizerSettings
{
    /// <summary>Creates SGD settings with learning rate 0.01, no momentum.</summary>
    public SgdSettings() => LearningRate = 0.01;

    /// <summary>The momentum factor. Default: 0.</summary>
    public double Momentum { get; init; }

    /// <summary>Dampening of the momentum. Default: 0.</summary>
    public double Dampening { get; init; }

    /// <summary>Whether to use Nesterov momentum (needs a positive <see cref="Momentum"/> and no dampening). Default: false.</summary>
    public bool Nesterov { get; init; }

    /// <inheritdoc/>
    public override optim.Optimizer Create(IEnumerable<Parameter> parameters)
    {
        Validate();
        return optim.SGD(parameters, LearningRate, Momentum, Dampening, WeightDecay, Nesterov);
    }

    internal override void Validate()
    {
        base.Validate();
        Require(nameof(Momentum), Momentum, Momentum is >= 0 and <= float.MaxValue, "a finite number of at least 0");
        Require(nameof(Dampening), Dampening, Dampening is >= 0 and <= 1, "in [0, 1]");
        if (Nesterov && (Momentum <= 0 || Dampening != 0))
        {
            throw new ArgumentException($"Nesterov momentum needs a positive momentum and zero dampening (momentum {Momentum}, dampening {Dampening}).");
        }
    }
}

/// <summary>Adam (Kingma and Ba, 2015), as <c>torch.optim.Adam</c>; weight decay is an L2 penalty added to the gradient.</summary>
public record AdamSettings : OptimizerSettings
{
    /// <summary>Decay of the running mean of gradients. Default: 0.9.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>Decay of the running mean of squared gradients. Default: 0.999.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>Added to the denominator for numerical stability. Default: 1e-8.</summary>
    public double Eps { get; init; } = 1e-8;

    /// <summary>Whether to use the AMSGrad variant (the maximum of past squared-gradient averages). Default: false.</summary>
    public bool Amsgrad { get; init; }

    /// <inheritdoc/>
    public override optim.Optimizer Create(IEnumerable<Parameter> parameters)
    {
        Validate();
        return optim.Adam(parameters, LearningRate, Beta1, Beta2, Eps, WeightDecay, Amsgrad);
    }

    internal override void Validate()
    {
        base.Validate();
        Require(nameof(Beta1), Beta1, Beta1 is >= 0 and < 1, "in [0, 1)");
        Require(nameof(Beta2), Beta2, Beta2 is >= 0 and < 1, "in [0, 1)");
        Require(nameof(Eps), Eps, Eps is >= 0 and <= float.MaxValue, "a finite number of at least 0");
    }
}

/// <summary>
/// AdamW (Loshchilov and Hutter, 2019), as <c>torch.optim.AdamW</c>: Adam with weight decay decoupled from the
/// gradient (each step multiplies the weights by <c>1 - lr * weight_decay</c>). Default weight decay: 0.01.
/// </summary>
public sealed record AdamWSettings : AdamSettings
{
    /// <summary>Creates AdamW settings with learning rate 1e-3 and weight decay 0.01, PyTorch's defaults.</summary>
    public AdamWSettings() => WeightDecay = 0.01;

    /// <inheritdoc/>
    public override optim.Optimizer Create(IEnumerable<Parameter> parameters)
    {
        Validate();
        return optim.AdamW(parameters, LearningRate, Beta1, Beta2, Eps, WeightDecay, Amsgrad);
    }
}
