using System;
using DeclCnn.Generators.Model;

namespace DeclCnn.Generators.Diagnostics;

/// <summary>The steps the generator takes for each declaration, guarded one by one.</summary>
internal enum GeneratorStep
{
    Read,
    Check,
    Write,
}

/// <summary>
/// A generator bug met on one declaration, as its DCNN0035. An exception that left the generator would drop the
/// code of every declaration in the project (CS8785); caught at the step it happened in, it costs only this one.
/// </summary>
internal static class GeneratorFailure
{
    public static DiagnosticInfo Of(GeneratorStep step, string declaration, LocationInfo? location, Exception exception) =>
        DiagnosticInfo.Create(DiagnosticDescriptors.InternalGeneratorError, location, declaration, Describe(step), $"{exception.GetType().Name}: {exception.Message}");

    /// <summary>Whether <paramref name="exception"/> is a failure to report, not the cancellation of a run the IDE no longer needs.</summary>
    public static bool IsFailure(Exception exception) => exception is not OperationCanceledException;

    private static string Describe(GeneratorStep step) => step switch
    {
        GeneratorStep.Read => "reading its declaration",
        GeneratorStep.Check => "checking its layers",
        _ => "writing its code",
    };
}
