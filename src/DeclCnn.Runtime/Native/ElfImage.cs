using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace DeclCnn.Runtime.Native;

/// <summary>One version requirement (an Elf64_Vernaux entry of <c>.gnu.version_r</c>).</summary>
/// <param name="File">The library the version is needed from (vn_file), e.g. <c>libstdc++.so.6</c>.</param>
/// <param name="Version">The version name (vna_name), e.g. <c>GLIBCXX_3.4.32</c>.</param>
/// <param name="Flags">vna_flags; bit 0x2 (VER_FLG_WEAK) makes a missing version non-fatal.</param>
/// <param name="Index">vna_other: the index that <c>.gnu.version</c> uses for symbols of this version.</param>
/// <param name="FlagsOffset">File offset of the 16-bit vna_flags field.</param>
internal readonly record struct ElfVersionNeed(string File, string Version, ushort Flags, ushort Index, int FlagsOffset);

/// <summary>
/// A minimal reader for 64-bit little-endian ELF shared libraries: just enough to read the
/// version requirements, DT_NEEDED entries and versioned undefined symbols, and to mark a version
/// requirement weak in place. Works on section headers (which every linker-produced library has)
/// rather than program headers because the patch is applied to a file, not to a mapped image.
/// </summary>
internal sealed class ElfImage
{
    private const uint ShtDynsym = 11;
    private const uint ShtDynamic = 6;
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const uint ShtGnuVersym = 0x6fffffff;
    private const long DtNull = 0;
    private const long DtNeeded = 1;
    private const long DtSoname = 14;
    private const long DtRunpath = 29;

    /// <summary>VER_FLG_WEAK: the dynamic loader tolerates a weak version that the library does not define.</summary>
    public const ushort VerFlagWeak = 0x2;

    /// <summary>EM_X86_64.</summary>
    public const ushort MachineX86_64 = 62;

    private readonly byte[] bytes;
    private readonly string name;
    private readonly Section[] sections;

    private readonly record struct Section(uint Type, long Offset, long Size, uint Link, uint Info, long EntrySize);

    /// <summary>Parses the ELF header and section headers; throws <see cref="InvalidDataException"/> naming <paramref name="name"/>.</summary>
    public ElfImage(byte[] bytes, string name)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        this.bytes = bytes;
        this.name = name;

        if (bytes.Length < 4 || bytes[0] != 0x7f || bytes[1] != (byte)'E' || bytes[2] != (byte)'L' || bytes[3] != (byte)'F')
        {
            throw Corrupt("is not an ELF file (the first 4 bytes are not 0x7f 'E' 'L' 'F')");
        }

        if (bytes.Length < 64)
        {
            throw Corrupt($"is truncated: {bytes.Length} bytes is shorter than the 64-byte ELF64 header");
        }

        if (bytes[4] != 2 || bytes[5] != 1)
        {
            throw Corrupt($"is not a 64-bit little-endian ELF file (EI_CLASS={bytes[4]}, EI_DATA={bytes[5]})");
        }

        Machine = U16(18);
        long shoff = I64(40);
        int shentsize = U16(58);
        long shnum = U16(60);
        if (shoff == 0)
        {
            throw Corrupt("has no section header table");
        }

        if (shentsize < 64)
        {
            throw Corrupt($"has an invalid section header size {shentsize}");
        }

        // With 0xff00 sections or more, e_shnum is 0 and the count lives in section 0's sh_size.
        if (shnum == 0)
        {
            Require(shoff, 64, "section header 0");
            shnum = I64(checked((int)shoff + 32));
        }

        Require(shoff, checked(shnum * shentsize), "the section header table");
        sections = new Section[shnum];
        for (int i = 0; i < shnum; i++)
        {
            int at = checked((int)(shoff + (i * (long)shentsize)));
            sections[i] = new Section(U32(at + 4), I64(at + 24), I64(at + 32), U32(at + 40), U32(at + 44), I64(at + 56));
        }
    }

    /// <summary>e_machine of the file.</summary>
    public ushort Machine { get; }

    /// <summary>All version requirements of <c>.gnu.version_r</c>, in file order (empty when it has none).</summary>
    public IReadOnlyList<ElfVersionNeed> ReadVersionNeeds()
    {
        var result = new List<ElfVersionNeed>();
        foreach (Section section in sections)
        {
            if (section.Type != ShtGnuVerneed)
            {
                continue;
            }

            Require(section.Offset, section.Size, ".gnu.version_r");
            Section strings = LinkedStrings(section, ".gnu.version_r");

            // sh_info holds the number of Elf64_Verneed entries; vn_next / vna_next are byte offsets
            // relative to the current entry, 0 for the last one.
            long need = section.Offset;
            for (uint n = 0; n < section.Info; n++)
            {
                Require(need, 16, "an Elf64_Verneed entry");
                int at = (int)need;
                ushort count = U16(at + 2);
                string file = ReadString(strings, U32(at + 4));
                long aux = need + U32(at + 8);
                for (int a = 0; a < count; a++)
                {
                    Require(aux, 16, "an Elf64_Vernaux entry");
                    int x = (int)aux;
                    result.Add(new ElfVersionNeed(file, ReadString(strings, U32(x + 8)), U16(x + 4), U16(x + 6), x + 4));
                    uint nextAux = U32(x + 12);
                    if (nextAux == 0)
                    {
                        break;
                    }

                    aux += nextAux;
                }

                uint next = U32(at + 12);
                if (next == 0)
                {
                    break;
                }

                need += next;
            }
        }

        return result;
    }

    /// <summary>The DT_NEEDED entries, in order.</summary>
    public IReadOnlyList<string> ReadNeededLibraries() => ReadDynamicStrings(DtNeeded);

    /// <summary>DT_SONAME, or null.</summary>
    public string? ReadSoname() => ReadDynamicStrings(DtSoname) is [var soname, ..] ? soname : null;

    /// <summary>DT_RUNPATH, or null.</summary>
    public string? ReadRunpath() => ReadDynamicStrings(DtRunpath) is [var runpath, ..] ? runpath : null;

    /// <summary>Names of the undefined dynamic symbols whose <c>.gnu.version</c> index is <paramref name="versionIndex"/>.</summary>
    public IReadOnlyList<string> ReadUndefinedSymbolsOfVersion(ushort versionIndex)
    {
        var result = new List<string>();
        Section? symbols = null;
        Section? versions = null;
        foreach (Section section in sections)
        {
            if (section.Type == ShtDynsym)
            {
                symbols = section;
            }
            else if (section.Type == ShtGnuVersym)
            {
                versions = section;
            }
        }

        if (symbols is not { } syms || versions is not { } vers)
        {
            return result;
        }

        Require(syms.Offset, syms.Size, ".dynsym");
        Require(vers.Offset, vers.Size, ".gnu.version");
        Section strings = LinkedStrings(syms, ".dynsym");
        long count = Math.Min(syms.Size / 24, vers.Size / 2);
        for (long i = 0; i < count; i++)
        {
            int sym = checked((int)(syms.Offset + (i * 24)));
            ushort shndx = U16(sym + 6);
            ushort version = (ushort)(U16(checked((int)(vers.Offset + (i * 2)))) & 0x7fff); // bit 15 = hidden
            if (shndx == 0 && version == versionIndex)
            {
                result.Add(ReadString(strings, U32(sym)));
            }
        }

        return result;
    }

    /// <summary>
    /// Sets VER_FLG_WEAK on every requirement of <paramref name="version"/> from <paramref name="file"/>,
    /// in the byte array given to the constructor. Returns the requirements that matched (before the change).
    /// </summary>
    public IReadOnlyList<ElfVersionNeed> MarkVersionNeedWeak(string file, string version)
    {
        var matched = new List<ElfVersionNeed>();
        foreach (ElfVersionNeed need in ReadVersionNeeds())
        {
            if (need.File == file && need.Version == version)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(need.FlagsOffset), (ushort)(need.Flags | VerFlagWeak));
                matched.Add(need);
            }
        }

        return matched;
    }

    private List<string> ReadDynamicStrings(long tag)
    {
        var result = new List<string>();
        foreach (Section section in sections)
        {
            if (section.Type != ShtDynamic)
            {
                continue;
            }

            Require(section.Offset, section.Size, ".dynamic");
            Section strings = LinkedStrings(section, ".dynamic");
            for (long at = section.Offset; at + 16 <= section.Offset + section.Size; at += 16)
            {
                long entryTag = I64((int)at);
                if (entryTag == DtNull)
                {
                    break;
                }

                if (entryTag == tag)
                {
                    result.Add(ReadString(strings, (uint)I64((int)at + 8)));
                }
            }
        }

        return result;
    }

    private Section LinkedStrings(Section section, string what)
    {
        if (section.Link >= sections.Length)
        {
            throw Corrupt($"has a {what} section linked to missing section {section.Link}");
        }

        Section strings = sections[section.Link];
        Require(strings.Offset, strings.Size, $"the string table of {what}");
        return strings;
    }

    private string ReadString(Section strings, uint offset)
    {
        if (offset >= strings.Size)
        {
            throw Corrupt($"has a string offset {offset} outside its string table ({strings.Size} bytes)");
        }

        int start = checked((int)(strings.Offset + offset));
        int end = Array.IndexOf(bytes, (byte)0, start, (int)(strings.Offset + strings.Size - start));
        if (end < 0)
        {
            throw Corrupt($"has an unterminated string at offset {start}");
        }

        return Encoding.UTF8.GetString(bytes, start, end - start);
    }

    private void Require(long offset, long length, string what)
    {
        if (offset < 0 || length < 0 || offset > bytes.Length || length > bytes.Length - offset)
        {
            throw Corrupt($"is truncated or corrupt: {what} (offset {offset}, {length} bytes) lies outside the file ({bytes.Length} bytes)");
        }
    }

    private ushort U16(int at) => BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(at));

    private uint U32(int at) => BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at));

    private long I64(int at) => BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(at));

    private InvalidDataException Corrupt(string problem) => new($"'{name}' {problem}.");
}
