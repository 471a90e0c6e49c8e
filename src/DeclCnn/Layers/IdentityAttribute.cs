using System;

namespace DeclCnn;

/// <summary>
/// The identity (<c>torch.nn.Identity</c>): passes its input through. A placeholder that keeps a
/// name in the state dict, or a layer switched off without renumbering the others.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class IdentityAttribute : LayerAttribute
{
}
