using System;
using System.IO;

namespace DeclCnn.Runtime.Data;

/// <summary>Where datasets are stored: one folder per dataset under a common root.</summary>
public static class DataRoot
{
    /// <summary>The environment variable that overrides the default root.</summary>
    public const string EnvironmentVariable = "DECLCNN_DATA";

    /// <summary>
    /// Returns <paramref name="dataRoot"/> when given, else the <c>DECLCNN_DATA</c> environment variable
    /// when set, else <c>~/.declcnn/data</c>; always as a full path.
    /// </summary>
    public static string Resolve(string? dataRoot = null)
    {
        string? chosen = string.IsNullOrWhiteSpace(dataRoot) ? Environment.GetEnvironmentVariable(EnvironmentVariable) : dataRoot;
        if (string.IsNullOrWhiteSpace(chosen))
        {
            chosen = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".declcnn", "data");
        }

        return Path.GetFullPath(chosen);
    }
}
