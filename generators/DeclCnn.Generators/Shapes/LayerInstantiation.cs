using System.Linq;
using DeclCnn.Generators.Model;

namespace DeclCnn.Generators.Shapes;

/// <summary>Fills a block layer's symbolic arguments with the values of one use of the block.</summary>
internal static class LayerInstantiation
{
    public static LayerSpec Instantiate(LayerDeclaration layer, BlockBindings bindings) =>
        layer.Symbolic.Aggregate(layer.Spec, (spec, argument) => spec.Kind.Bind(spec, argument.Property, checked((int)argument.Expression.Evaluate(bindings))));
}
