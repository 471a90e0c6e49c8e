extern alias DeclCnnAttributes;

using System.Linq;
using Xunit;
using Attributes = DeclCnnAttributes::DeclCnn;

namespace DeclCnn.Generators.Tests.Kinds;

/// <summary>The registry covers the vocabulary: a layer attribute without a kind would make its model silently incomplete.</summary>
public class LayerKindsTests
{
    [Fact]
    public void Every_layer_attribute_of_DeclCnn_has_a_kind()
    {
        var layers = typeof(Attributes.LayerAttribute).Assembly.GetExportedTypes()
            .Where(static t => !t.IsAbstract && t.IsSubclassOf(typeof(Attributes.LayerAttribute)))
            .ToList();

        Assert.NotEmpty(layers);
        Assert.All(layers, static type => Assert.NotNull(Generators.Kinds.LayerKinds.Find(type.Name)));
    }
}
