using DeclCnn.Runtime.Native;
using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;

namespace DeclCnn.Runtime.Tests;

/// <summary>Locates the native files the tests inspect, independently of TorchSharpNative.</summary>
internal static class NativeTestFiles
{
    /// <summary>True on linux-x64, the only platform where the fix and these files exist.</summary>
    public static bool IsLinuxX64 => OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64;

    /// <summary>The libLibTorchSharp.so that the test host deploys (runtimes/linux-x64/native or a probing directory).</summary>
    public static string LibTorchSharp()
    {
        var directories = (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") as string ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append(Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native"))
            .Append(AppContext.BaseDirectory);
        return directories.Select(d => Path.Combine(d, "libLibTorchSharp.so")).FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException("libLibTorchSharp.so is not deployed with the tests; is TorchSharp-cpu referenced?");
    }

    /// <summary>The files mapped into this process, from /proc/self/maps.</summary>
    public static string[] MappedFiles() =>
        File.ReadLines("/proc/self/maps")
            .Select(line => line.IndexOf('/', StringComparison.Ordinal) is var at and >= 0 ? line[at..] : null)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .ToArray();

    /// <summary>
    /// Whether this machine needs the fix, judged without TorchSharpNative's own check: the libstdc++ that
    /// the process mapped defines the version GLIBCXX_3.4.32 exactly when its string table contains the name.
    /// </summary>
    public static bool MachineNeedsFix()
    {
        if (!IsLinuxX64)
        {
            return false;
        }

        string stdcxx = MappedFiles().First(f => Path.GetFileName(f).StartsWith("libstdc++.so.6", StringComparison.Ordinal));
        byte[] name = Encoding.ASCII.GetBytes("GLIBCXX_3.4.32\0");
        return File.ReadAllBytes(stdcxx).AsSpan().IndexOf(name) < 0;
    }
}
