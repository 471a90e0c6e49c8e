using System;
using System.Collections.Generic;

namespace DeclCnn.Runtime.Interchange;

/// <summary>
/// A weight file could not be read, did not fit the model, or could not be written. The message names the file and
/// lists every problem; the model is unchanged.
/// </summary>
public sealed class WeightFileException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public WeightFileException()
        : base("The weight file could not be used.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public WeightFileException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and its cause.</summary>
    public WeightFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for <paramref name="path"/> with one line per problem.</summary>
    internal WeightFileException(string path, string summary, IReadOnlyList<string> problems)
        : base($"{summary} ('{path}'):{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", problems)}")
    {
        Problems = problems;
    }

    /// <summary>The problems found, one line each (keys with both shapes or dtypes); empty when the file itself is at fault.</summary>
    public IReadOnlyList<string> Problems { get; } = [];
}
