using System.Collections.Generic;
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

    /// <summary>The base learning rate; schedules scale it. Must be positive.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>L2 penalty (<see cref="SgdSettings"/>, <see cref="AdamSettings"/>) or decoupled weight decay (<see cref="AdamWSettings"/>). Default: 0.</summary>
    public double WeightDecay { get; init; }

    /// <summary>Creates the TorchSharp optimizer over <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The parameters to optimize, usually <c>model.parameters()</c>.</param>
    /// <returns>A new optimizer; the caller disposes it.</returns>
    public abstract optim.Optimizer Create(IEnumerable<Parameter> parameters);
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
        if (Nesterov && (Momentum <= 0 || Dampening != 0))
        {
            throw new System.ArgumentException($"Nesterov momentum needs a positive momentum and zero dampening (momentum {Momentum}, dampening {Dampening}).");
        }

        return optim.SGD(parameters, LearningRate, Momentum, Dampening, WeightDecay, Nesterov);
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
    public override optim.Optimizer Create(IEnumerable<Parameter> parameters) =>
        optim.Adam(parameters, LearningRate, Beta1, Beta2, Eps, WeightDecay, Amsgrad);
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
    public override optim.Optimizer Create(IEnumerable<Parameter> parameters) =>
        optim.AdamW(parameters, LearningRate, Beta1, Beta2, Eps, WeightDecay, Amsgrad);
}
