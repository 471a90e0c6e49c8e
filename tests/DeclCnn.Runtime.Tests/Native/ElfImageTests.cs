using DeclCnn.Runtime.Native;
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;

namespace DeclCnn.Runtime.Tests;

public sealed class ElfImageTests
{
    private const string StdCxx = "libstdc++.so.6";
    private const string Version = "GLIBCXX_3.4.32";

    [Fact]
    public void Marking_GLIBCXX_3_4_32_weak_changes_only_its_flag_bytes()
    {
        if (!NativeTestFiles.IsLinuxX64)
        {
            return; // the linux-x64 library is only deployed on linux-x64
        }

        string path = NativeTestFiles.LibTorchSharp();
        byte[] original = File.ReadAllBytes(path);
        byte[] patched = (byte[])original.Clone();

        IReadOnlyList<ElfVersionNeed> before = new ElfImage(original, path).ReadVersionNeeds();
        IReadOnlyList<ElfVersionNeed> matched = new ElfImage(patched, path).MarkVersionNeedWeak(StdCxx, Version);
        IReadOnlyList<ElfVersionNeed> after = new ElfImage(patched, path).ReadVersionNeeds();

        ElfVersionNeed target = Assert.Single(matched);
        Assert.Equal(0, target.Flags & ElfImage.VerFlagWeak);

        // Same entries in the same order; only the GLIBCXX_3.4.32 one gained VER_FLG_WEAK.
        Assert.Equal(before.Count, after.Count);
        for (int i = 0; i < before.Count; i++)
        {
            bool isTarget = before[i].File == StdCxx && before[i].Version == Version;
            ushort expectedFlags = isTarget ? (ushort)(before[i].Flags | ElfImage.VerFlagWeak) : before[i].Flags;
            Assert.Equal(before[i] with { Flags = expectedFlags }, after[i]);
        }

        // Every byte outside the 16-bit vna_flags field is untouched.
        var flagBytes = new HashSet<int> { target.FlagsOffset, target.FlagsOffset + 1 };
        Assert.Equal(original.Length, patched.Length);
        int[] changed = Enumerable.Range(0, original.Length).Where(i => original[i] != patched[i]).ToArray();
        Assert.NotEmpty(changed);
        Assert.All(changed, i => Assert.Contains(i, flagBytes));
    }

    [Fact]
    public void The_real_library_needs_the_version_for_one_symbol_and_libtorch_beside_it()
    {
        if (!NativeTestFiles.IsLinuxX64)
        {
            return;
        }

        string path = NativeTestFiles.LibTorchSharp();
        var image = new ElfImage(File.ReadAllBytes(path), path);

        Assert.Equal(ElfImage.MachineX86_64, image.Machine);
        Assert.Equal("libLibTorchSharp.so", image.ReadSoname());
        Assert.StartsWith("$ORIGIN", image.ReadRunpath(), StringComparison.Ordinal);
        Assert.Contains("libtorch.so", image.ReadNeededLibraries());
        Assert.Contains(StdCxx, image.ReadNeededLibraries());

        ElfVersionNeed need = Assert.Single(image.ReadVersionNeeds(), n => n.Version == Version);
        Assert.Equal(StdCxx, need.File);
        Assert.Equal(["_ZSt21ios_base_library_initv"], image.ReadUndefinedSymbolsOfVersion(need.Index));
    }

    [Fact]
    public void Marking_is_idempotent_and_ignores_absent_versions()
    {
        if (!NativeTestFiles.IsLinuxX64)
        {
            return;
        }

        string path = NativeTestFiles.LibTorchSharp();
        byte[] once = File.ReadAllBytes(path);
        new ElfImage(once, path).MarkVersionNeedWeak(StdCxx, Version);
        byte[] twice = (byte[])once.Clone();
        new ElfImage(twice, path).MarkVersionNeedWeak(StdCxx, Version);
        Assert.Equal(once, twice);

        Assert.Empty(new ElfImage(twice, path).MarkVersionNeedWeak(StdCxx, "GLIBCXX_9.9.9"));
        Assert.Equal(once, twice);
    }

    [Fact]
    public void A_file_that_is_not_ELF_is_rejected_by_name()
    {
        byte[] text = "#!/bin/sh\necho not a library\n"u8.ToArray();
        var error = Assert.Throws<InvalidDataException>(() => new ElfImage(text, "/some/dir/script.so"));
        Assert.Contains("/some/dir/script.so", error.Message, StringComparison.Ordinal);
        Assert.Contains("not an ELF file", error.Message, StringComparison.Ordinal);

        error = Assert.Throws<InvalidDataException>(() => new ElfImage([], "empty.so"));
        Assert.Contains("'empty.so' is not an ELF file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_32_bit_or_big_endian_file_is_rejected()
    {
        byte[] header = new byte[64];
        header[0] = 0x7f;
        header[1] = (byte)'E';
        header[2] = (byte)'L';
        header[3] = (byte)'F';
        header[4] = 1; // ELFCLASS32
        header[5] = 1;
        var error = Assert.Throws<InvalidDataException>(() => new ElfImage(header, "lib32.so"));
        Assert.Contains("not a 64-bit little-endian ELF file", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(20)] // inside the ELF header
    [InlineData(4096)] // header complete, section header table cut off
    public void A_truncated_library_is_rejected_by_name(int length)
    {
        if (!NativeTestFiles.IsLinuxX64)
        {
            return;
        }

        string path = NativeTestFiles.LibTorchSharp();
        byte[] truncated = File.ReadAllBytes(path).AsSpan(0, length).ToArray();
        var error = Assert.Throws<InvalidDataException>(() => new ElfImage(truncated, path).ReadVersionNeeds());
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_library_cut_inside_the_version_table_is_rejected_by_name()
    {
        if (!NativeTestFiles.IsLinuxX64)
        {
            return;
        }

        // Keep the section headers (at the end of the file) but zero the version requirements, so that
        // vn_aux/vna_next offsets point nowhere sensible: reading must fail cleanly, not index out of range.
        string path = NativeTestFiles.LibTorchSharp();
        byte[] bytes = File.ReadAllBytes(path);
        ElfVersionNeed first = new ElfImage(bytes, path).ReadVersionNeeds()[0];
        int verneed = first.FlagsOffset - 4 - 16; // first Elf64_Vernaux follows the first Elf64_Verneed
        BitConverter.GetBytes(int.MaxValue).CopyTo(bytes, verneed + 8); // vn_aux far outside the file

        var error = Assert.Throws<InvalidDataException>(() => new ElfImage(bytes, path).ReadVersionNeeds());
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("Elf64_Vernaux", error.Message, StringComparison.Ordinal);
    }
}
