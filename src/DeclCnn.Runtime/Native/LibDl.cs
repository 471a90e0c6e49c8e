using System;
using System.Runtime.InteropServices;

namespace DeclCnn.Runtime.Native;

/// <summary>
/// The few glibc dynamic-loader calls that <see cref="NativeLibrary"/> does not offer:
/// <see cref="NativeLibrary.Load(string)"/> always uses RTLD_LAZY | RTLD_LOCAL, but the shim must be
/// RTLD_GLOBAL so that the patched library's lookup of <c>std::ios_base_library_init()</c> finds it,
/// and the libstdc++ check needs dlvsym. "libdl.so.2" exists on every glibc: before 2.34 it holds these
/// functions, from 2.34 on it is a stub whose dependency libc.so.6 does (dlsym searches dependencies).
/// </summary>
internal static partial class LibDl
{
    public const int RtldLazy = 0x001;
    public const int RtldNow = 0x002;
    public const int RtldNoload = 0x004;
    public const int RtldGlobal = 0x100;

    private const string Library = "libdl.so.2";

    [LibraryImport(Library, EntryPoint = "dlopen", StringMarshalling = StringMarshalling.Utf8)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static partial IntPtr Open(string? file, int mode);

    [LibraryImport(Library, EntryPoint = "dlclose")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static partial int Close(IntPtr handle);

    [LibraryImport(Library, EntryPoint = "dlvsym", StringMarshalling = StringMarshalling.Utf8)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static partial IntPtr VersionedSymbol(IntPtr handle, string symbol, string version);

    [LibraryImport(Library, EntryPoint = "dlerror")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial IntPtr ErrorPointer();

    /// <summary>The pending dlerror() text (and clears it), or a fallback.</summary>
    public static string LastError() => Marshal.PtrToStringUTF8(ErrorPointer()) ?? "no error text from dlerror()";
}
