namespace DeclCnn.Generators.Model;

/// <summary>
/// An argument written as a constant expression rather than a literal (<c>InFeatures = 64 * 7 * 7</c>),
/// so that messages show it as written, with its value: <c>64 * 7 * 7 (3136)</c>.
/// </summary>
internal sealed record WrittenConstant(string Property, string Text);
