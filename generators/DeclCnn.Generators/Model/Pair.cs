namespace DeclCnn.Generators.Model;

/// <summary>A height/width pair, as PyTorch's 2-D layers take them.</summary>
internal readonly record struct Pair(int Height, int Width)
{
    public static Pair Square(int value) => new(value, value);

    public bool IsSquare => Height == Width;

    public override string ToString() => IsSquare ? $"{Height}" : $"({Height}, {Width})";
}
