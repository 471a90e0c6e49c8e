using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using DeclCnn.Runtime.Native;
using Xunit;

namespace DeclCnn.Runtime.Tests;

/// <summary>
/// The native load raises glibc's malloc thresholds (<see cref="MallocThresholds"/>): a block far above glibc's own
/// largest mmap threshold (32 MiB) must then come from a heap, not from a mapping of its own, which glibc counts
/// in <c>mallinfo2().hblkhd</c>.
/// </summary>
[Collection(MallocSettings.Name)]
public sealed class MallocThresholdsTests
{
    private const int Block = 48 << 20;

    [Fact]
    public void After_the_native_load_a_48_MiB_block_comes_from_the_heap()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        TorchSharpNative.EnsureLoaded();
        Assert.Contains("malloc thresholds (mmap, trim) set to 1 GiB", TorchSharpNative.Diagnostics, StringComparison.Ordinal);

        nuint mappedBefore = MallInfo2().MappedBytes;
        IntPtr block = Marshal.AllocHGlobal(Block); // malloc on Unix
        try
        {
            nuint mapped = MallInfo2().MappedBytes - mappedBefore;
            Assert.True(mapped < Block, $"A {Block >> 20} MiB block was mapped on its own ({mapped} more bytes mapped); {TorchSharpNative.Diagnostics}");
        }
        finally
        {
            Marshal.FreeHGlobal(block);
        }
    }

    [Theory]
    [InlineData("DECLCNN_MALLOC_TUNING", "0", "DECLCNN_MALLOC_TUNING=0: glibc's malloc thresholds left as they are.")]
    [InlineData("MALLOC_TRIM_THRESHOLD_", "131072", "MALLOC_TRIM_THRESHOLD_=131072: glibc's malloc thresholds left as chosen.")]
    [InlineData("GLIBC_TUNABLES", "glibc.malloc.mmap_threshold=65536", "GLIBC_TUNABLES=glibc.malloc.mmap_threshold=65536: glibc's malloc thresholds left as chosen.")]
    public void The_switch_or_the_users_own_threshold_leaves_glibc_alone(string variable, string value, string expected)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        string? before = Environment.GetEnvironmentVariable(variable);
        Environment.SetEnvironmentVariable(variable, value);
        try
        {
            var log = new List<string>();

            MallocThresholds.Apply(log);

            Assert.Equal([expected], log);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, before);
        }
    }

    /// <summary>glibc's <c>struct mallinfo2</c>: ten size_t counters; <c>hblkhd</c> is the bytes in blocks mapped on their own.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct MallocInfo
    {
        public nuint Arena, OrdinaryBlocks, SmallBlocks, MappedBlocks, MappedBytes, MaxTotal, FreedSmallBytes, Used, Free, Releasable;
    }

    [DllImport("libc.so.6", EntryPoint = "mallinfo2")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern MallocInfo MallInfo2();
}

/// <summary>Tests that set the malloc variables run alone: the native load reads them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MallocSettings
{
    public const string Name = "malloc settings";
}
