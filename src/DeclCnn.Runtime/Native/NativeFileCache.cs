using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.Versioning;
using System.Security.Cryptography;

namespace DeclCnn.Runtime.Native;

/// <summary>
/// The per-user directory that holds the patched libLibTorchSharp.so and the shim:
/// <c>$DECLCNN_NATIVE_CACHE_DIR</c>, else <c>$XDG_CACHE_HOME/declcnn/native</c>, else
/// <c>~/.cache/declcnn/native</c>, each followed by a content hash so that different TorchSharp or
/// DeclCnn versions never share files. Files are written to a temporary name and renamed into place,
/// so a concurrent process sees either no file or a complete one.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class NativeFileCache
{
    private const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>The cache root (before the content hash).</summary>
    public static string Root()
    {
        string? explicitRoot = Environment.GetEnvironmentVariable(TorchSharpNative.CacheDirectoryVariable);
        if (!string.IsNullOrWhiteSpace(explicitRoot))
        {
            return Path.GetFullPath(explicitRoot);
        }

        // The XDG spec says to ignore relative values.
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (!string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg))
        {
            return Path.Combine(xdg, "declcnn", "native");
        }

        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (!string.IsNullOrEmpty(home))
        {
            return Path.Combine(home, ".cache", "declcnn", "native");
        }

        return Path.Combine(Path.GetTempPath(), "declcnn-" + Environment.UserName, "native");
    }

    /// <summary>The directory for one combination of file contents: the root plus a SHA-256 prefix of all of them.</summary>
    public static string DirectoryFor(params byte[][] contents)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (byte[] content in contents)
        {
            hash.AppendData(BitConverter.GetBytes((long)content.Length));
            hash.AppendData(content);
        }

        return Path.Combine(Root(), Convert.ToHexStringLower(hash.GetHashAndReset(), 0, 16));
    }

    /// <summary>
    /// Returns the path of <paramref name="fileName"/> in <paramref name="directory"/> holding exactly
    /// <paramref name="content"/>: an existing identical file is reused, anything else is replaced atomically.
    /// </summary>
    public static string Store(string directory, string fileName, byte[] content, List<string> log)
    {
        string path = Path.Combine(directory, fileName);
        try
        {
            if (HasContent(path, content))
            {
                log.Add($"  reused cached {path}");
                return path;
            }

            Directory.CreateDirectory(directory, PrivateDirectory);
            string temporary = Path.Combine(directory, $".{fileName}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
            try
            {
                using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
                {
                    stream.Write(content);
                    stream.Flush(flushToDisk: true);
                }

                File.Move(temporary, path, overwrite: true); // rename(2): atomic within a directory
            }
            catch
            {
                File.Delete(temporary);
                throw;
            }

            log.Add($"  wrote {path}");
            return path;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new TorchSharpNativeException(
                $"Could not write '{path}' into the DeclCnn native cache: {ex.Message} " +
                $"Set {TorchSharpNative.CacheDirectoryVariable} to a writable directory (on a file system that allows executable mappings).",
                ex);
        }
    }

    private static bool HasContent(string path, byte[] content)
    {
        var info = new FileInfo(path);
        return info.Exists && info.Length == content.Length && File.ReadAllBytes(path).AsSpan().SequenceEqual(content);
    }
}
