using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Threading;

namespace DeclCnn.Runtime.Native;

/// <summary>
/// Makes TorchSharp's native library loadable on Linux distributions whose libstdc++ predates GCC 13
/// (e.g. Debian 12). TorchSharp 0.107's libLibTorchSharp.so requires the version GLIBCXX_3.4.32 for a
/// single symbol, <c>std::ios_base_library_init()</c>; older libstdc++ lacks it and the dynamic loader
/// refuses the whole library. Where that is the case, <see cref="EnsureLoaded"/> loads a copy of the
/// library whose requirement is marked weak, plus a tiny shim defining the symbol, and points
/// TorchSharp at that copy. Elsewhere it does nothing. Before that it sets what libtorch reads once or uses
/// throughout: oneDNN's instruction-set cap (<see cref="OneDnnIsaCap"/>) and glibc's malloc thresholds
/// (<see cref="MallocThresholds"/>), each unless the user chose. See docs/native-compat.md.
/// </summary>
public static class TorchSharpNative
{
    /// <summary>Environment variable that switches the fix off when set to <c>0</c> (or <c>false</c>, <c>off</c>, <c>no</c>).</summary>
    public const string SwitchVariable = "DECLCNN_NATIVE_FIX";

    /// <summary>Environment variable that overrides the cache directory for the patched files.</summary>
    public const string CacheDirectoryVariable = "DECLCNN_NATIVE_CACHE_DIR";

    private const string LibraryName = "LibTorchSharp";
    private const string LibraryFileName = "libLibTorchSharp.so";
    private const string StdCxx = "libstdc++.so.6";
    private const string RequiredVersion = "GLIBCXX_3.4.32";
    private const string RequiredSymbol = "_ZSt21ios_base_library_initv";
    private const string ShimFileName = "libdeclcnn_ios_base_init.so";
    private const string ShimResourceName = "DeclCnn.Runtime.Native.libdeclcnn_ios_base_init.so";

    private static readonly Lock Gate = new();
    private static volatile TorchSharpNativeStatus status;
    private static string diagnostics = "TorchSharpNative.EnsureLoaded() has not run yet.";
    private static string? patchedLibraryPath;
    private static IntPtr patchedHandle;

    /// <summary>What <see cref="EnsureLoaded"/> found and did; <see cref="TorchSharpNativeStatus.NotChecked"/> until it succeeds.</summary>
    public static TorchSharpNativeStatus Status => status;

    /// <summary>A readable account of the last <see cref="EnsureLoaded"/> run: what was checked, which files were used, what was loaded.</summary>
    public static string Diagnostics
    {
        get
        {
            lock (Gate)
            {
                return diagnostics;
            }
        }
    }

    /// <summary>The patched copy of libLibTorchSharp.so that TorchSharp uses, when <see cref="Status"/> is <see cref="TorchSharpNativeStatus.Applied"/>.</summary>
    public static string? PatchedLibraryPath
    {
        get
        {
            lock (Gate)
            {
                return patchedLibraryPath;
            }
        }
    }

    /// <summary>
    /// Applies the fix if this process needs it. Call it before the first use of <c>TorchSharp.torch</c>:
    /// TorchSharp loads its native library in the static constructor of <c>torch</c>, and a failed load
    /// cannot be retried. Idempotent and thread-safe: after a successful call it returns at once; after a
    /// failure (an exception) the next call tries again.
    /// </summary>
    /// <exception cref="TorchSharpNativeException">The fix was needed but a step failed; the message names the file and the cause.</exception>
    public static void EnsureLoaded()
    {
        if (status != TorchSharpNativeStatus.NotChecked)
        {
            return;
        }

        lock (Gate)
        {
            if (status != TorchSharpNativeStatus.NotChecked)
            {
                return;
            }

            var log = new List<string>();
            try
            {
                OneDnnIsaCap.Apply(log);
                MallocThresholds.Apply(log);
                TorchSharpNativeStatus result = Run(log);
                log.Add($"status: {result}");
                diagnostics = string.Join(Environment.NewLine, log);
                status = result;
            }
            catch (TorchSharpNativeException ex)
            {
                log.Add($"failed: {ex.Message}");
                diagnostics = string.Join(Environment.NewLine, log);
                throw;
            }
        }
    }

    private static TorchSharpNativeStatus Run(List<string> log)
    {
        if (SwitchedOff(SwitchVariable) is { } setting)
        {
            log.Add($"{SwitchVariable}={setting}: the fix is switched off.");
            return TorchSharpNativeStatus.Disabled;
        }

        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            log.Add($"{RuntimeInformation.RuntimeIdentifier}: the fix only exists for linux-x64.");
            return TorchSharpNativeStatus.NotApplicable;
        }

        return RunOnLinux(log);
    }

    /// <summary>The value of a DeclCnn switch <paramref name="variable"/> when it says off (0, false, off or no, any case), else null.</summary>
    internal static string? SwitchedOff(string variable)
    {
        string? setting = Environment.GetEnvironmentVariable(variable);
        return setting?.Trim().ToUpperInvariant() is "0" or "FALSE" or "OFF" or "NO" ? setting : null;
    }

    [SupportedOSPlatform("linux")]
    private static TorchSharpNativeStatus RunOnLinux(List<string> log)
    {
        bool? provided = StdCxxProvidesRequiredVersion(log);
        if (provided is null)
        {
            return TorchSharpNativeStatus.NotApplicable;
        }

        if (provided.Value)
        {
            return TorchSharpNativeStatus.NotNeeded;
        }

        List<string> directories = ProbeDirectories();
        string original = FindOriginal(directories, log);
        byte[] originalBytes = ReadFile(original);
        byte[] patchedBytes = (byte[])originalBytes.Clone();
        ElfImage image = ParseElf(patchedBytes, original);

        List<ElfVersionNeed> needs = image.ReadVersionNeeds()
            .Where(n => n.File == StdCxx && n.Version == RequiredVersion)
            .ToList();
        if (needs.Count == 0)
        {
            log.Add($"{original} does not require {RequiredVersion}: nothing to fix.");
            return TorchSharpNativeStatus.NotNeeded;
        }

        // Marking the version weak only helps if the shim supplies every symbol bound to it;
        // a newer TorchSharp needing more GLIBCXX_3.4.32 symbols must fail here, not crash later.
        List<string> symbols = needs.SelectMany(n => image.ReadUndefinedSymbolsOfVersion(n.Index)).Distinct().ToList();
        List<string> unsupported = symbols.Where(s => s != RequiredSymbol).ToList();
        if (unsupported.Count > 0)
        {
            throw new TorchSharpNativeException(
                $"'{original}' needs {RequiredVersion} of {StdCxx} for {string.Join(", ", unsupported)}, which the DeclCnn shim does not provide " +
                $"(it only provides {RequiredSymbol}). Install a libstdc++ from GCC 13 or newer, or set {SwitchVariable}=0 and supply one yourself.");
        }

        image.MarkVersionNeedWeak(StdCxx, RequiredVersion);
        log.Add($"  marked {RequiredVersion} weak (needed only for {string.Join(", ", symbols.DefaultIfEmpty("no symbol"))})");

        byte[] shim = ReadShim();
        string directory = NativeFileCache.DirectoryFor(originalBytes, shim);
        string shimPath = NativeFileCache.Store(directory, ShimFileName, shim, log);
        string patchedPath = NativeFileCache.Store(directory, LibraryFileName, patchedBytes, log);

        // 1. The shim, globally, so the patched library's std::ios_base_library_init() binds to it.
        if (LibDl.Open(shimPath, LibDl.RtldNow | LibDl.RtldGlobal) == IntPtr.Zero)
        {
            throw new TorchSharpNativeException($"Could not load the shim '{shimPath}' (RTLD_NOW | RTLD_GLOBAL): {LibDl.LastError()}");
        }

        log.Add($"  loaded {shimPath} (RTLD_NOW | RTLD_GLOBAL)");

        // 2. The original finds libtorch.so etc. through RUNPATH $ORIGIN; the copy lives elsewhere, so
        //    load those files first by full path. The copy's DT_NEEDED then matches them by soname.
        PreloadDependencies(image, Path.GetDirectoryName(original)!, directories, log);

        // 3. The patched copy itself.
        IntPtr handle;
        try
        {
            handle = NativeLibrary.Load(patchedPath);
        }
        catch (DllNotFoundException ex)
        {
            throw new TorchSharpNativeException($"Could not load the patched TorchSharp library '{patchedPath}' (copied from '{original}'): {ex.Message}", ex);
        }

        patchedHandle = handle;
        patchedLibraryPath = patchedPath;
        log.Add($"  loaded {patchedPath}");

        // 4. Point TorchSharp's [DllImport("LibTorchSharp")] at the copy.
        RegisterResolver(log);

        // 5. TorchSharp's own loader calls NativeLibrary.TryLoad("LibTorchSharp", ...), which bypasses
        //    resolvers: it fails on the original file, then dlopen("libLibTorchSharp.so") matches the
        //    loaded copy by its soname. Confirm that this match holds.
        CheckSonameMatch(image.ReadSoname(), handle, log);
        return TorchSharpNativeStatus.Applied;
    }

    /// <summary>
    /// Asks the process's own libstdc++.so.6 (the one the dynamic loader would bind libLibTorchSharp.so to:
    /// dlopen by soname returns the copy already loaded by the .NET host) for the exact symbol and version
    /// that TorchSharp needs. This tests what matters, regardless of distribution or file location, and loads
    /// nothing new. Returns null where glibc's libdl or libstdc++ cannot be opened (then the fix cannot help).
    /// </summary>
    [SupportedOSPlatform("linux")]
    private static bool? StdCxxProvidesRequiredVersion(List<string> log)
    {
        IntPtr handle;
        try
        {
            handle = LibDl.Open(StdCxx, LibDl.RtldLazy);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            log.Add($"glibc's libdl.so.2 is not available ({ex.Message}): not a glibc system, the fix does not apply.");
            return null;
        }

        if (handle == IntPtr.Zero)
        {
            log.Add($"{StdCxx} could not be opened ({LibDl.LastError()}): the fix cannot help.");
            return null;
        }

        try
        {
            bool provided = LibDl.VersionedSymbol(handle, RequiredSymbol, RequiredVersion) != IntPtr.Zero;
            string where = LoadedPathOf(StdCxx) ?? StdCxx;
            log.Add(provided
                ? $"{where} provides {RequiredSymbol}@{RequiredVersion}: the fix is not needed."
                : $"{where} lacks {RequiredVersion} (needs GCC 13's libstdc++): applying the fix.");
            return provided;
        }
        finally
        {
            _ = LibDl.Close(handle);
        }
    }

    /// <summary>
    /// Where .NET looks for TorchSharp's DllImport("LibTorchSharp"), in its order: the host's probing
    /// directories from deps.json (NATIVE_DLL_SEARCH_DIRECTORIES), then TorchSharp.dll's directory, then the
    /// app directory and its runtimes/linux-x64/native folder for hosts without deps.json.
    /// </summary>
    private static List<string> ProbeDirectories()
    {
        var candidates = new List<string>();
        if (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") is string searchDirectories)
        {
            candidates.AddRange(searchDirectories.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        string? torchDirectory = Path.GetDirectoryName(typeof(TorchSharp.torch).Assembly.Location);
        if (!string.IsNullOrEmpty(torchDirectory))
        {
            candidates.Add(torchDirectory);
        }

        candidates.Add(AppContext.BaseDirectory);
        candidates.Add(Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native"));
        if (!string.IsNullOrEmpty(torchDirectory))
        {
            candidates.Add(Path.Combine(torchDirectory, "runtimes", "linux-x64", "native"));
        }

        return candidates
            .Select(d => Path.TrimEndingDirectorySeparator(Path.GetFullPath(d)))
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    private static string FindOriginal(List<string> directories, List<string> log)
    {
        foreach (string directory in directories)
        {
            string candidate = Path.Combine(directory, LibraryFileName);
            if (File.Exists(candidate))
            {
                log.Add($"  original: {candidate}");
                return candidate;
            }
        }

        throw new TorchSharpNativeException(
            $"Could not find TorchSharp's native library {LibraryFileName} to patch. Looked in: {string.Join(", ", directories)}. " +
            "Reference the TorchSharp-cpu package (or TorchSharp plus libtorch-cpu-linux-x64) from the application.");
    }

    [SupportedOSPlatform("linux")]
    private static void PreloadDependencies(ElfImage image, string originalDirectory, List<string> directories, List<string> log)
    {
        foreach (string needed in image.ReadNeededLibraries())
        {
            // Already in the process (e.g. libstdc++ via the host, or libtorch via an earlier load):
            // the dynamic loader reuses it by name, exactly as it would for the original.
            IntPtr loaded = LibDl.Open(needed, LibDl.RtldLazy | LibDl.RtldNoload);
            if (loaded != IntPtr.Zero)
            {
                _ = LibDl.Close(loaded);
                continue;
            }

            string? path = directories.Prepend(originalDirectory)
                .Select(d => Path.Combine(d, needed))
                .FirstOrDefault(File.Exists);
            if (path is null)
            {
                continue; // a system library: found through the usual search path, as for the original
            }

            try
            {
                NativeLibrary.Load(path);
            }
            catch (DllNotFoundException ex)
            {
                throw new TorchSharpNativeException($"Could not load '{path}', which TorchSharp's {LibraryFileName} depends on: {ex.Message}", ex);
            }

            log.Add($"  preloaded {path}");
        }
    }

    private static void RegisterResolver(List<string> log)
    {
        try
        {
            NativeLibrary.SetDllImportResolver(typeof(TorchSharp.torch).Assembly, ResolveLibTorchSharp);
            log.Add("  registered a DllImport resolver on TorchSharp.dll for LibTorchSharp");
        }
        catch (InvalidOperationException)
        {
            // Only one resolver per assembly is allowed. The soname match (step 5) still routes
            // TorchSharp's P/Invokes to the patched copy.
            log.Add("  TorchSharp.dll already has a DllImport resolver; relying on the soname match");
        }
    }

    private static IntPtr ResolveLibTorchSharp(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName is LibraryName or LibraryFileName or "libLibTorchSharp" ? patchedHandle : IntPtr.Zero;

    [SupportedOSPlatform("linux")]
    private static void CheckSonameMatch(string? soname, IntPtr handle, List<string> log)
    {
        if (soname is null)
        {
            log.Add("  warning: the library has no soname; TorchSharp's by-name load can only succeed through the resolver");
            return;
        }

        IntPtr byName = LibDl.Open(soname, LibDl.RtldLazy | LibDl.RtldNoload);
        if (byName != IntPtr.Zero)
        {
            _ = LibDl.Close(byName);
        }

        log.Add(byName == handle
            ? $"  dlopen(\"{soname}\") resolves to the patched copy"
            : $"  warning: dlopen(\"{soname}\") does not resolve to the patched copy");
    }

    private static byte[] ReadFile(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new TorchSharpNativeException($"Could not read '{path}': {ex.Message}", ex);
        }
    }

    private static ElfImage ParseElf(byte[] bytes, string path)
    {
        try
        {
            var image = new ElfImage(bytes, path);
            if (image.Machine != ElfImage.MachineX86_64)
            {
                throw new InvalidDataException($"'{path}' is not an x86-64 library (e_machine {image.Machine}).");
            }

            _ = image.ReadVersionNeeds(); // surface a corrupt version table here, with the file name
            return image;
        }
        catch (InvalidDataException ex)
        {
            throw new TorchSharpNativeException($"Cannot patch TorchSharp's native library: {ex.Message}", ex);
        }
    }

    private static byte[] ReadShim()
    {
        using Stream? stream = typeof(TorchSharpNative).Assembly.GetManifestResourceStream(ShimResourceName);
        if (stream is null)
        {
            throw new TorchSharpNativeException(
                $"{typeof(TorchSharpNative).Assembly.Location} has no embedded {ShimFileName}: it was built on a machine that is not Linux x64 " +
                $"or with DeclCnnBuildNativeShim=false. Rebuild DeclCnn.Runtime on Linux x64 with g++ installed, or set {SwitchVariable}=0.");
        }

        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static string? LoadedPathOf(string fileName)
    {
        try
        {
            return File.ReadLines("/proc/self/maps")
                .Select(line => line.IndexOf('/', StringComparison.Ordinal) is var at and >= 0 ? line[at..] : null)
                .FirstOrDefault(path => path is not null && Path.GetFileName(path).StartsWith(fileName, StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return null;
        }
    }
}
