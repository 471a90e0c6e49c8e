using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace DeclCnn.Runtime.Native;

/// <summary>
/// Keeps libtorch's oneDNN convolutions on SSE4.1 kernels unless the user chose otherwise. On a 2-core AMD EPYC
/// with AVX-512 (BF16), libtorch 2.10's float32 <c>conv2d</c> computed wrong values with oneDNN's wider kernels:
/// at its default (AVX-512) for a 7x7 kernel over a 7x7 input (64 to 128 channels, batch 3: 8.7 % off its own
/// float64 result), and capped at AVX2 or AVX for small odd channel counts (11 to 4 channels, 3x3: 35-50 % off,
/// in about 140 of 324 shapes tried, even on one thread). Capped at SSE4.1 every shape tried was exact. oneDNN reads
/// its ISA limit once, at its first use, from <c>ONEDNN_MAX_CPU_ISA</c> (or the older <c>DNNL_MAX_CPU_ISA</c>), so
/// the cap is set in the process environment before libtorch runs anything. See docs/native-compat.md.
/// </summary>
internal static partial class OneDnnIsaCap
{
    public const string Variable = "ONEDNN_MAX_CPU_ISA";
    public const string LegacyVariable = "DNNL_MAX_CPU_ISA";
    public const string Cap = "SSE41";

    public static void Apply(List<string> log)
    {
        if (RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            return;
        }

        foreach (var name in new[] { Variable, LegacyVariable })
        {
            if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } chosen)
            {
                log.Add($"{name}={chosen}: oneDNN's instruction set left as chosen.");
                return;
            }
        }

        // .NET keeps its own copy of the environment on Unix; oneDNN reads the C library's.
        if (OperatingSystem.IsWindows())
        {
            Environment.SetEnvironmentVariable(Variable, Cap);
        }
        else if (!OperatingSystem.IsLinux() || LibC.SetEnv(Variable, Cap, overwrite: 0) != 0)
        {
            log.Add($"{Variable} not set: oneDNN keeps its own choice of instruction set.");
            return;
        }

        log.Add($"{Variable}={Cap}: oneDNN capped at SSE4.1 (wrong AVX2 and AVX-512 convolutions were seen; set the variable to choose).");
    }

    private static partial class LibC
    {
        [LibraryImport("libc.so.6", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static partial int SetEnv(string name, string value, int overwrite);
    }
}
