using DeclCnn.Runtime.Native;
using System;
using System.Collections.Generic;
using System.IO;
using Xunit;

namespace DeclCnn.Runtime.Tests;

public sealed class NativeFileCacheTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "declcnn-cache-test-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Store_writes_reuses_and_replaces_atomically()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var log = new List<string>();
        string path = NativeFileCache.Store(directory, "lib.so", [1, 2, 3], log);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
        DateTime written = File.GetLastWriteTimeUtc(path);

        Assert.Equal(path, NativeFileCache.Store(directory, "lib.so", [1, 2, 3], log));
        Assert.Equal(written, File.GetLastWriteTimeUtc(path));
        Assert.Contains(log, line => line.Contains("reused", StringComparison.Ordinal));

        // A damaged file (e.g. truncated by a full disk) is replaced, not trusted.
        File.WriteAllBytes(path, [1, 2]);
        NativeFileCache.Store(directory, "lib.so", [1, 2, 3], log);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
        Assert.Equal(["lib.so"], Array.ConvertAll(Directory.GetFiles(directory), f => Path.GetFileName(f)!));
    }

    [Fact]
    public void The_cache_directory_depends_on_every_content()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        string a = NativeFileCache.DirectoryFor([1, 2], [3]);
        Assert.Equal(a, NativeFileCache.DirectoryFor([1, 2], [3]));
        Assert.NotEqual(a, NativeFileCache.DirectoryFor([1], [2, 3]));
        Assert.NotEqual(a, NativeFileCache.DirectoryFor([1, 2], [4]));
    }
}
