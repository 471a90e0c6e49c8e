using System;

namespace DeclCnn;

/// <summary>
/// Zero padding of a feature map (<c>torch.nn.ZeroPad2d</c>): adds rows and columns of zeros, so the
/// output is <c>C x (H + top + bottom) x (W + left + right)</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ZeroPadAttribute : LayerAttribute
{
    /// <summary>The same padding on all four sides.</summary>
    /// <param name="padding">Rows or columns of zeros on each side.</param>
    public ZeroPadAttribute(int padding)
        : this(padding, padding, padding, padding)
    {
    }

    /// <summary>Padding per side, in PyTorch's order.</summary>
    /// <param name="left">Columns of zeros on the left.</param>
    /// <param name="right">Columns of zeros on the right.</param>
    /// <param name="top">Rows of zeros on top.</param>
    /// <param name="bottom">Rows of zeros at the bottom.</param>
    public ZeroPadAttribute(int left, int right, int top, int bottom)
    {
        Left = left;
        Right = right;
        Top = top;
        Bottom = bottom;
    }

    /// <summary>Columns of zeros on the left.</summary>
    public int Left { get; }

    /// <summary>Columns of zeros on the right.</summary>
    public int Right { get; }

    /// <summary>Rows of zeros on top.</summary>
    public int Top { get; }

    /// <summary>Rows of zeros at the bottom.</summary>
    public int Bottom { get; }
}
