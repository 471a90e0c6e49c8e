namespace DeclCnn.Runtime.Native;

/// <summary>What <see cref="TorchSharpNative.EnsureLoaded"/> found and did.</summary>
public enum TorchSharpNativeStatus
{
    /// <summary><see cref="TorchSharpNative.EnsureLoaded"/> has not completed yet.</summary>
    NotChecked,

    /// <summary>The fix was switched off with <c>DECLCNN_NATIVE_FIX=0</c>; TorchSharp loads its library unaided.</summary>
    Disabled,

    /// <summary>Not Linux x64 with glibc, where the fix does not exist; TorchSharp loads its library unaided.</summary>
    NotApplicable,

    /// <summary>The process's libstdc++ already provides what TorchSharp needs (or TorchSharp no longer needs it).</summary>
    NotNeeded,

    /// <summary>A patched copy of libLibTorchSharp.so and the shim were loaded; TorchSharp uses that copy.</summary>
    Applied,
}
