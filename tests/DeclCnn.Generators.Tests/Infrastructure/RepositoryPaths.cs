using System;
using System.IO;

namespace DeclCnn.Generators.Tests.Infrastructure;

/// <summary>Finds files of the repository from the test's output folder.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Samples => Path.Combine(Root, "samples", "DeclCnn.Samples");

    public static string Snapshots => Path.Combine(Root, "tests", "DeclCnn.Generators.Tests", "Snapshots");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "DeclCnn.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"DeclCnn.sln not found above {AppContext.BaseDirectory}.");
    }
}
