using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Tests.Interchange.Onnx;

/// <summary>Two convolution branches on one input, joined by a sum or by channel concatenation.</summary>
internal sealed class BranchJoin : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d left;
    private readonly Conv2d right;
    private readonly bool _concatenate;

    public BranchJoin(bool concatenate)
        : base(nameof(BranchJoin))
    {
        left = nn.Conv2d(3, 4, 3, padding: 1);
        right = nn.Conv2d(3, 4, 1);
        _concatenate = concatenate;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var a = left.call(input);
        using var b = right.call(input);
        return _concatenate ? cat([a, b], 1) : a + b;
    }
}
