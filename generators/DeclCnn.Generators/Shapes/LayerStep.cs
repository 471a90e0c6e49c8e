using System.Collections.Generic;
using DeclCnn.Generators.Model;

namespace DeclCnn.Generators.Shapes;

/// <summary>One layer being traced: its spec, its input, and helpers to describe both in messages.</summary>
internal readonly struct LayerStep
{
    private readonly IReadOnlyList<LayerSpec> layers;
    private readonly int index;

    public LayerStep(IReadOnlyList<LayerSpec> layers, int index, Shape input, BlockScope blocks)
    {
        this.layers = layers;
        this.index = index;
        Input = input;
        Blocks = blocks;
    }

    /// <summary>The blocks that stages may use.</summary>
    public BlockScope Blocks { get; }

    /// <summary>The same step, tracing nested blocks with <paramref name="blocks"/>.</summary>
    public LayerStep WithBlocks(BlockScope blocks) => new(layers, index, Input, blocks);

    public LayerSpec Spec => layers[index];

    public Shape Input { get; }

    public string Reference => LayerDescriber.Reference(Spec, index);

    public string InputText => Input.ToString();

    public string ProducerText => LayerDescriber.Producer(layers, index);
}
