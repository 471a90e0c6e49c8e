using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace DeclCnn.Runtime.Native;

/// <summary>
/// Keeps libtorch's large CPU tensors in glibc's heap instead of fresh memory mappings. libtorch allocates every
/// tensor with <c>malloc</c>; glibc serves blocks above its mmap threshold (128 KiB, rising with use to at most 32 MiB)
/// from a new mapping and unmaps them on free, and trims freed memory at the top of its heaps beyond its trim
/// threshold, so each training step and evaluation batch faults in its activations' pages again. On the 2-core AMD
/// EPYC VM the main job's epoch and evaluation took 78-89 s that way and 40-46 s with both thresholds at 1 GiB (same
/// weights, about 10-40 MB more peak memory). See docs/native-compat.md.
/// </summary>
internal static partial class MallocThresholds
{
    /// <summary>Set to <c>0</c> (or <c>false</c>, <c>off</c>, <c>no</c>) to leave glibc's own thresholds.</summary>
    public const string SwitchVariable = "DECLCNN_MALLOC_TUNING";

    /// <summary>Both thresholds: blocks below it come from the heap, and up to it of free memory stays there.</summary>
    public const int Threshold = 1 << 30;

    // mallopt's parameter numbers, from glibc's <malloc.h>.
    private const int TrimThreshold = -1;
    private const int MmapThreshold = -3;

    public static void Apply(List<string> log)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        if (TorchSharpNative.SwitchedOff(SwitchVariable) is { } setting)
        {
            log.Add($"{SwitchVariable}={setting}: glibc's malloc thresholds left as they are.");
            return;
        }

        if (UserChoice() is { } chosen)
        {
            log.Add($"{chosen}: glibc's malloc thresholds left as chosen.");
            return;
        }

        try
        {
            // mallopt returns 1 on success, 0 when glibc refuses the value.
            if (LibC.MallOpt(MmapThreshold, Threshold) != 1 || LibC.MallOpt(TrimThreshold, Threshold) != 1)
            {
                log.Add("glibc refused the malloc thresholds: large tensors keep their own memory mappings.");
                return;
            }
        }
        catch (Exception error) when (error is DllNotFoundException or EntryPointNotFoundException)
        {
            log.Add($"glibc's mallopt is not available ({error.Message}): malloc thresholds not set.");
            return;
        }

        log.Add($"malloc thresholds (mmap, trim) set to 1 GiB: large tensors reuse heap memory (set {SwitchVariable}=0 to keep glibc's).");
    }

    /// <summary>The user's own setting of either threshold, which wins, or null.</summary>
    private static string? UserChoice()
    {
        foreach (var name in new[] { "MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_" })
        {
            if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } value)
            {
                return $"{name}={value}";
            }
        }

        string? tunables = Environment.GetEnvironmentVariable("GLIBC_TUNABLES");
        return tunables is not null && (tunables.Contains("glibc.malloc.mmap_threshold", StringComparison.Ordinal)
            || tunables.Contains("glibc.malloc.trim_threshold", StringComparison.Ordinal))
            ? $"GLIBC_TUNABLES={tunables}"
            : null;
    }

    private static partial class LibC
    {
        [LibraryImport("libc.so.6", EntryPoint = "mallopt")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static partial int MallOpt(int parameter, int value);
    }
}
