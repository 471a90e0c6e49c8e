using System;

namespace DeclCnn;

/// <summary>
/// Transfer learning: the network starts with the layers of another declared network, <typeparamref name="TNetwork"/>,
/// from its first layer through the layer named <see cref="Through"/>, and continues with the layer attributes of its
/// own class (the head). The head's shapes are checked from the backbone's output at that layer, as in any declaration.
/// The backbone's layers keep their names, so their state-dict keys are <typeparamref name="TNetwork"/>'s and its model
/// file loads into them by name (the generated <c>LoadBackbone(path)</c>); the head's default names start with
/// <c>head_</c> (<c>head_fc1</c>, <c>head_relu</c>), so they never clash with the backbone's.
/// </summary>
/// <typeparam name="TNetwork">The source network: a partial class declared with <see cref="InputAttribute"/> in the same project.</typeparam>
/// <example>
/// <code>
/// [Input(1, 28, 28)]
/// [Backbone&lt;SimpleCnn&gt;("flatten")]
/// [Dense(64), ReLU, Dense(5)]
/// public partial class ClothesTransfer;
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class BackboneAttribute<TNetwork> : Attribute
{
    /// <summary>Reuses <typeparamref name="TNetwork"/>'s layers up to and including <paramref name="through"/>.</summary>
    /// <param name="through">The name of the backbone's last reused layer, as its summary lists it (<c>"flatten"</c>, <c>"pool2"</c>).</param>
    public BackboneAttribute(string through) => Through = through;

    /// <summary>The name of the backbone's last reused layer.</summary>
    public string Through { get; }
}
