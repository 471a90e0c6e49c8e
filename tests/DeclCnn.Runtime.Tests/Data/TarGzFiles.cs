using System;
using System.Formats.Tar;
using System.IO;
using System.IO.Compression;
using System.Text;

namespace DeclCnn.Runtime.Tests.Data;

/// <summary>Builds gzip-compressed tar archives for the extraction tests, hostile entries included.</summary>
internal static class TarGzFiles
{
    /// <summary>A regular file entry holding <paramref name="content"/>.</summary>
    public static TarEntry File(string name, byte[] content) =>
        new UstarTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content) };

    /// <summary>A link entry (symbolic or hard) named <paramref name="name"/> that points at <paramref name="target"/>.</summary>
    public static TarEntry Link(TarEntryType type, string name, string target) => new UstarTarEntry(type, name) { LinkName = target };

    /// <summary>The uncompressed tar of <paramref name="entries"/>, in order.</summary>
    public static byte[] Tar(params TarEntry[] entries)
    {
        using var buffer = new MemoryStream();
        using (var tar = new TarWriter(buffer, TarEntryFormat.Ustar, leaveOpen: true))
        {
            foreach (TarEntry entry in entries)
            {
                tar.WriteEntry(entry);
            }
        }

        return buffer.ToArray();
    }

    public static byte[] Gzip(byte[] content)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(content);
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// Rewrites the size field of the first entry's header (offset 124, 11 octal digits) to <paramref name="size"/> and
    /// fixes the header checksum: an entry that declares far more data than follows it.
    /// </summary>
    public static byte[] DeclaringFirstSize(byte[] tar, long size)
    {
        byte[] patched = (byte[])tar.Clone();
        Encoding.ASCII.GetBytes(Convert.ToString(size, 8).PadLeft(11, '0') + "\0").CopyTo(patched, 124);
        patched.AsSpan(148, 8).Fill((byte)' ');
        int sum = 0;
        foreach (byte b in patched.AsSpan(0, 512))
        {
            sum += b;
        }

        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(patched, 148);
        return patched;
    }
}
