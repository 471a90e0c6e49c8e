using DeclCnn.Runtime.Native;
using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Tests;

public sealed class TorchSharpNativeTests
{
    [Fact]
    public void EnsureLoaded_applies_the_fix_exactly_where_the_machine_needs_it()
    {
        TorchSharpNative.EnsureLoaded();

        if (Environment.GetEnvironmentVariable(TorchSharpNative.SwitchVariable) == "0")
        {
            Assert.Equal(TorchSharpNativeStatus.Disabled, TorchSharpNative.Status);
        }
        else if (!NativeTestFiles.IsLinuxX64)
        {
            Assert.Equal(TorchSharpNativeStatus.NotApplicable, TorchSharpNative.Status);
        }
        else if (NativeTestFiles.MachineNeedsFix())
        {
            Assert.True(TorchSharpNative.Status == TorchSharpNativeStatus.Applied, TorchSharpNative.Diagnostics);
            Assert.Contains("registered a DllImport resolver", TorchSharpNative.Diagnostics, StringComparison.Ordinal);
            Assert.Contains("resolves to the patched copy", TorchSharpNative.Diagnostics, StringComparison.Ordinal);
        }
        else
        {
            Assert.True(TorchSharpNative.Status == TorchSharpNativeStatus.NotNeeded, TorchSharpNative.Diagnostics);
            Assert.Null(TorchSharpNative.PatchedLibraryPath);
        }
    }

    [Fact]
    public void TorchSharp_creates_tensors_and_trains_a_linear_layer()
    {
        TorchSharpNative.EnsureLoaded();

        using Tensor random = randn(2, 3);
        Assert.Equal([2L, 3L], random.shape);

        torch.random.manual_seed(1);
        using var layer = nn.Linear(3, 1);
        using var optimizer = optim.SGD(layer.parameters(), 0.01);
        using Tensor x = tensor(new float[] { 1, 2, 3, 4, 5, 6 }).reshape(2, 3);
        using Tensor y = tensor(new float[] { 1, -1 }).reshape(2, 1);

        float first = 0, last = 0;
        for (int step = 0; step < 20; step++)
        {
            optimizer.zero_grad();
            using Tensor loss = nn.functional.mse_loss(layer.forward(x), y);
            loss.backward();
            optimizer.step();
            last = loss.item<float>();
            if (step == 0)
            {
                first = last;
            }
        }

        Assert.NotNull(layer.weight!.grad);
        Assert.True(last < first, $"loss went from {first} to {last}");
    }

    [Fact]
    public void TorchSharps_own_loader_succeeds_without_its_fallback_copy()
    {
        TorchSharpNative.EnsureLoaded();

        // LoadNativeBackend loads "torch_cpu" and "LibTorchSharp" by name; had it failed, it would
        // consolidate the NuGet native files into a "cpu" folder beside TorchSharp.dll and retry.
        torch.InitializeDeviceType(DeviceType.CPU);
        Assert.True(torch.TryInitializeDeviceType(DeviceType.CPU));
        string torchDirectory = Path.GetDirectoryName(typeof(torch).Assembly.Location)!;
        Assert.False(Directory.Exists(Path.Combine(torchDirectory, "cpu")), "TorchSharp fell back to copying its native files");
    }

    [Fact]
    public void Exactly_one_copy_of_each_native_library_is_mapped()
    {
        TorchSharpNative.EnsureLoaded();
        using Tensor warmUp = ones(1); // make sure TorchSharp has bound its native library

        if (!NativeTestFiles.IsLinuxX64)
        {
            return;
        }

        string[] mapped = NativeTestFiles.MappedFiles();
        foreach (string library in new[] { "libLibTorchSharp.so", "libtorch_cpu.so", "libc10.so", "libtorch.so" })
        {
            Assert.Single(mapped, f => Path.GetFileName(f) == library);
        }

        if (TorchSharpNative.Status == TorchSharpNativeStatus.Applied)
        {
            string patched = TorchSharpNative.PatchedLibraryPath!;
            Assert.Contains(patched, mapped);
            Assert.Contains(mapped, f => Path.GetFileName(f) == "libdeclcnn_ios_base_init.so");

            var image = new ElfImage(File.ReadAllBytes(patched), patched);
            ElfVersionNeed need = Assert.Single(image.ReadVersionNeeds(), n => n.Version == "GLIBCXX_3.4.32");
            Assert.Equal(ElfImage.VerFlagWeak, need.Flags & ElfImage.VerFlagWeak);
        }
    }

    [Fact]
    public void EnsureLoaded_is_idempotent_across_threads()
    {
        TorchSharpNative.EnsureLoaded();
        TorchSharpNativeStatus status = TorchSharpNative.Status;
        string? path = TorchSharpNative.PatchedLibraryPath;

        Parallel.For(0, 16, _ => TorchSharpNative.EnsureLoaded());

        Assert.Equal(status, TorchSharpNative.Status);
        Assert.Equal(path, TorchSharpNative.PatchedLibraryPath);
        Assert.NotEqual(TorchSharpNativeStatus.NotChecked, status);
    }

    [Fact]
    public void The_libstdcxx_check_sees_versions_that_exist()
    {
        if (!NativeTestFiles.IsLinuxX64)
        {
            return;
        }

        // Guards the detection against a dlvsym that always answers "missing" (which would apply the fix everywhere).
        IntPtr stdcxx = LibDl.Open("libstdc++.so.6", LibDl.RtldLazy);
        Assert.NotEqual(IntPtr.Zero, stdcxx);
        try
        {
            Assert.NotEqual(IntPtr.Zero, LibDl.VersionedSymbol(stdcxx, "_ZNSt8ios_base4InitC1Ev", "GLIBCXX_3.4"));
            Assert.Equal(IntPtr.Zero, LibDl.VersionedSymbol(stdcxx, "_ZNSt8ios_base4InitC1Ev", "GLIBCXX_9.9"));
            bool provided = LibDl.VersionedSymbol(stdcxx, "_ZSt21ios_base_library_initv", "GLIBCXX_3.4.32") != IntPtr.Zero;
            Assert.Equal(!NativeTestFiles.MachineNeedsFix(), provided);
        }
        finally
        {
            _ = LibDl.Close(stdcxx);
        }
    }

    [Fact]
    public void The_embedded_shim_does_not_itself_need_a_newer_libstdcxx()
    {
        if (!NativeTestFiles.IsLinuxX64)
        {
            return;
        }

        using Stream? stream = typeof(TorchSharpNative).Assembly.GetManifestResourceStream("DeclCnn.Runtime.Native.libdeclcnn_ios_base_init.so");
        Assert.NotNull(stream);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);

        var shim = new ElfImage(buffer.ToArray(), "embedded shim");
        Assert.Equal(ElfImage.MachineX86_64, shim.Machine);
        Assert.DoesNotContain(shim.ReadVersionNeeds(), n => n.Version == "GLIBCXX_3.4.32");
    }
}
