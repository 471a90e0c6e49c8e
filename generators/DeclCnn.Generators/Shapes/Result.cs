namespace DeclCnn.Generators.Shapes;

/// <summary>
/// A shape rule's outcome: a value, or the <see cref="ShapeFault"/> that stops the trace. Problems
/// are values: a rule returns them instead of throwing.
/// </summary>
internal readonly struct Result<T>
    where T : class
{
    private Result(T? value, ShapeFault? fault)
    {
        Value = value;
        Fault = fault;
    }

    /// <summary>The value; null when <see cref="Fault"/> is set.</summary>
    public T? Value { get; }

    /// <summary>The problem; null when the rule succeeded.</summary>
    public ShapeFault? Fault { get; }

    public static implicit operator Result<T>(T value) => new(value, null);

    public static implicit operator Result<T>(ShapeFault fault) => new(null, fault);
}
