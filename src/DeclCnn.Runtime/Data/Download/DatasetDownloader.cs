using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;

namespace DeclCnn.Runtime.Data.Download;

/// <summary>
/// Downloads dataset files into a cache folder, verifying each against its checksum. A file already present with
/// the right checksum is not downloaded again. A download goes to a <c>*.part</c> file beside the target and is
/// renamed over the target only once complete and verified, so an interrupted, truncated or corrupt download
/// never leaves a file that passes as valid under the real name.
/// </summary>
/// <param name="client">The client to download with (its handler, proxy and timeout apply); the caller owns it.</param>
public sealed class DatasetDownloader(HttpClient client)
{
    private const int BufferSize = 1 << 16;

    private readonly HttpClient client = client ?? throw new ArgumentNullException(nameof(client));

    /// <summary>
    /// Returns the path of <paramref name="file"/> in <paramref name="directory"/>, downloading it first unless a copy
    /// with the right checksum is there. Mirrors are tried in order until one delivers the right bytes.
    /// </summary>
    /// <param name="file">What to fetch.</param>
    /// <param name="directory">The cache folder; created when missing.</param>
    /// <param name="progress">Receives byte counts as data arrives (e.g. a <see cref="DownloadProgressBar"/>).</param>
    /// <param name="cancellationToken">Cancels the download; the partial file is removed.</param>
    /// <exception cref="DatasetDownloadException">Every mirror failed; the message lists each failure.</exception>
    public async Task<string> FetchAsync(RemoteFile file, string directory, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        string target = Path.Combine(directory, file.FileName);
        if (File.Exists(target) && await HashFileAsync(target, file.Algorithm, cancellationToken).ConfigureAwait(false) == file.ExpectedHash)
        {
            return target;
        }

        var failures = new List<string>();
        Exception? last = null;
        foreach (Uri mirror in file.Mirrors)
        {
            try
            {
                await DownloadAsync(file, mirror, target, progress, cancellationToken).ConfigureAwait(false);
                return target;
            }
            catch (Exception error) when (error is HttpRequestException or IOException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                failures.Add($"{mirror}: {error.Message}");
                last = error;
            }
        }

        throw new DatasetDownloadException(
            $"Could not download '{file.FileName}' into '{directory}'; every mirror failed:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", failures)}", last!);
    }

    private async Task DownloadAsync(RemoteFile file, Uri mirror, string target, IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        string partial = $"{target}.{Guid.NewGuid():N}.part";
        try
        {
            using HttpResponseMessage response = await client.GetAsync(mirror, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
            }

            long? total = response.Content.Headers.ContentLength;
            using var hash = IncrementalHash.CreateHash(file.Algorithm);
            long received = 0;
            Stream body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                var output = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, useAsync: true);
                await using (output.ConfigureAwait(false))
                {
                    var buffer = new byte[BufferSize];
                    progress?.Report(new DownloadProgress(file.FileName, mirror, 0, total));
                    int read;
                    while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        hash.AppendData(buffer, 0, read);
                        await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                        received += read;
                        progress?.Report(new DownloadProgress(file.FileName, mirror, received, total));
                    }

                    await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                    output.Flush(flushToDisk: true);
                }
            }

            if (total is long expected && received != expected)
            {
                throw new IOException($"the transfer stopped after {received} of {expected} bytes");
            }

            string actual = Convert.ToHexString(hash.GetHashAndReset());
            if (actual != file.ExpectedHash)
            {
                throw new IOException($"{file.Algorithm.Name} checksum {actual.ToLowerInvariant()} of the {received} bytes received does not match the expected {file.ExpectedHash.ToLowerInvariant()}");
            }

            File.Move(partial, target, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }
    }

    private static async Task<string> HashFileAsync(string path, HashAlgorithmName algorithm, CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, useAsync: true);
        await using (stream.ConfigureAwait(false))
        {
#pragma warning disable CA5351 // The official dataset mirrors publish MD5 sums only; they detect corruption, not tampering.
            byte[] digest = algorithm == HashAlgorithmName.MD5
                ? await MD5.HashDataAsync(stream, cancellationToken).ConfigureAwait(false)
                : await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
#pragma warning restore CA5351
            return Convert.ToHexString(digest);
        }
    }
}
