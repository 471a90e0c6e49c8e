using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;

namespace DeclCnn.Runtime.Data.Download;

/// <summary>
/// A file to download: its name in the dataset folder, the mirrors that serve it (tried in order) and its
/// checksum, written <c>md5:&lt;hex&gt;</c> or <c>sha256:&lt;hex&gt;</c> (the official datasets publish MD5).
/// </summary>
public sealed record RemoteFile
{
    /// <summary>Describes a file.</summary>
    /// <exception cref="ArgumentException">The name is not a plain file name, no mirror is given, or the checksum is malformed.</exception>
    public RemoteFile(string fileName, IReadOnlyList<Uri> mirrors, string checksum)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        ArgumentNullException.ThrowIfNull(mirrors);
        ArgumentNullException.ThrowIfNull(checksum);
        if (fileName != System.IO.Path.GetFileName(fileName) || fileName is "." or "..")
        {
            throw new ArgumentException($"'{fileName}' is not a plain file name.", nameof(fileName));
        }

        if (mirrors.Count == 0 || mirrors.Any(m => m is null || !m.IsAbsoluteUri))
        {
            throw new ArgumentException($"'{fileName}' needs at least one absolute mirror URI.", nameof(mirrors));
        }

        string[] parts = checksum.Split(':');
        int length = parts.Length == 2 ? parts[0].ToUpperInvariant() switch { "MD5" => 32, "SHA256" => 64, _ => -1 } : -1;
        if (length < 0 || parts[1].Length != length || !parts[1].All(Uri.IsHexDigit))
        {
            throw new ArgumentException($"Checksum '{checksum}' of '{fileName}' must be md5:<32 hex digits> or sha256:<64 hex digits>.", nameof(checksum));
        }

        FileName = fileName;
        Mirrors = mirrors.ToArray();
        Algorithm = parts[0].Equals("md5", StringComparison.OrdinalIgnoreCase) ? HashAlgorithmName.MD5 : HashAlgorithmName.SHA256;
        ExpectedHash = parts[1].ToUpperInvariant();
    }

    /// <summary>The file's name in the dataset folder.</summary>
    public string FileName { get; }

    /// <summary>The full URLs of the file, tried in order.</summary>
    public IReadOnlyList<Uri> Mirrors { get; }

    /// <summary>The checksum algorithm: MD5 or SHA-256.</summary>
    public HashAlgorithmName Algorithm { get; }

    /// <summary>The expected checksum, upper-case hex.</summary>
    public string ExpectedHash { get; }

    /// <summary>Describes a file served under <paramref name="fileName"/> at each of <paramref name="baseUris"/>.</summary>
    public static RemoteFile AtMirrors(string fileName, string checksum, params string[] baseUris)
    {
        ArgumentNullException.ThrowIfNull(baseUris);
        return new RemoteFile(fileName, baseUris.Select(b => new Uri(new Uri(b.EndsWith('/') ? b : b + "/"), fileName)).ToArray(), checksum);
    }
}

/// <summary>Progress of one download, reported as bytes arrive.</summary>
/// <param name="FileName">The file being downloaded.</param>
/// <param name="Source">The mirror it comes from.</param>
/// <param name="BytesReceived">Bytes received so far.</param>
/// <param name="TotalBytes">The length the server announced, when it did.</param>
public readonly record struct DownloadProgress(string FileName, Uri Source, long BytesReceived, long? TotalBytes);
