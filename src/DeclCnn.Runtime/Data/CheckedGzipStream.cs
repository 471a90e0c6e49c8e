using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using System.IO.Hashing;

namespace DeclCnn.Runtime.Data;

/// <summary>
/// Decompresses a gzip file (RFC 1952) member after member, like <see cref="GZipStream"/>, and also refuses what
/// <see cref="GZipStream"/> lets pass without a word: a member cut off before its 8-byte trailer (CRC-32 and length),
/// a trailer that does not match the data, and bytes after the last member that are not another member.
/// </summary>
/// <remarks>
/// Each member's deflate data goes through a <see cref="DeflateStream"/>, which does not say where the data ended. The
/// trailer is found instead by looking for the expected CRC-32 and length in the last block the deflate stream read:
/// eight bytes that match by chance would be a one in 2^64 coincidence. Errors are <see cref="InvalidDataException"/>s
/// that describe the damage; the caller names the file.
/// </remarks>
internal sealed class CheckedGzipStream : Stream
{
    private const int TrailerLength = 8;

    private readonly Stream source;
    private readonly ReadTracker tracker;
    private readonly Crc32 crc = new();
    private DeflateStream? member;
    private long memberStart;
    private long deflateStart;
    private long memberLength;
    private int members;
    private bool finished;

    /// <summary>Reads the gzip file <paramref name="source"/> from its current position; it must be seekable, and it is disposed with this stream.</summary>
    public CheckedGzipStream(Stream source)
    {
        if (!source.CanSeek)
        {
            throw new ArgumentException("The gzip source must be seekable: the trailers are read back.", nameof(source));
        }

        this.source = source;
        tracker = new ReadTracker(source);
        memberStart = source.Position;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        while (!finished && !buffer.IsEmpty)
        {
            if (member is null && !StartMember())
            {
                finished = true;
                break;
            }

            int read = member!.Read(buffer);
            if (read > 0)
            {
                crc.Append(buffer[..read]);
                memberLength += read;
                return read;
            }

            EndMember();
        }

        return 0;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            member?.Dispose();
            source.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>Reads the header of the next member, or returns false at the end of the file after at least one member.</summary>
    private bool StartMember()
    {
        source.Position = memberStart;
        Span<byte> header = stackalloc byte[10];
        int read = source.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (read == 0 && members > 0)
        {
            return false;
        }

        bool signature = read >= 2 && header[0] == 0x1F && header[1] == 0x8B;
        if (members > 0 && (!signature || read < header.Length))
        {
            throw new InvalidDataException($"{source.Length - memberStart} bytes after the end of the gzip data are not another gzip member");
        }

        if (!signature)
        {
            throw new InvalidDataException("it does not start with the gzip signature 1f 8b");
        }

        if (read < header.Length)
        {
            throw new InvalidDataException("it ends inside the gzip header");
        }

        if (header[2] != 8)
        {
            throw new InvalidDataException($"a gzip member uses compression method {header[2]}; only deflate (8) is defined");
        }

        byte flags = header[3];
        if ((flags & 0xE0) != 0)
        {
            throw new InvalidDataException($"a gzip member header sets reserved flag bits (0x{flags:X2})");
        }

        if ((flags & 0x04) != 0)
        {
            Span<byte> extraLength = stackalloc byte[2];
            ReadHeaderBytes(extraLength);
            source.Seek(BinaryPrimitives.ReadUInt16LittleEndian(extraLength), SeekOrigin.Current);
        }

        if ((flags & 0x08) != 0)
        {
            SkipZeroTerminated();
        }

        if ((flags & 0x10) != 0)
        {
            SkipZeroTerminated();
        }

        if ((flags & 0x02) != 0)
        {
            source.Seek(2, SeekOrigin.Current);
        }

        if (source.Position > source.Length)
        {
            throw new InvalidDataException("it ends inside a gzip member header");
        }

        deflateStart = source.Position;
        tracker.Reset();
        crc.Reset();
        memberLength = 0;
        member = new DeflateStream(tracker, CompressionMode.Decompress, leaveOpen: true);
        return true;
    }

    /// <summary>Finds and checks the trailer of the member whose deflate data just ended; the next member starts after it.</summary>
    private void EndMember()
    {
        member!.Dispose();
        member = null;
        Span<byte> expected = stackalloc byte[TrailerLength];
        BinaryPrimitives.WriteUInt32LittleEndian(expected, crc.GetCurrentHashAsUInt32());
        BinaryPrimitives.WriteUInt32LittleEndian(expected[4..], unchecked((uint)memberLength));

        // The deflate data ended somewhere in the last block the deflate stream read; the trailer follows it.
        long end = source.Position;
        long from = Math.Max(deflateStart, end - tracker.LargestRead);
        var window = new byte[(int)(Math.Min(source.Length, end + TrailerLength) - from)];
        source.Position = from;
        source.ReadExactly(window);
        int at = window.AsSpan().IndexOf(expected);
        if (at < 0)
        {
            throw new InvalidDataException(
                $"gzip member {members + 1} does not end with the 8-byte trailer of its data (CRC-32 {crc.GetCurrentHashAsUInt32():x8}, "
                + $"length {memberLength}): the file is truncated, or damaged");
        }

        memberStart = from + at + TrailerLength;
        members++;
    }

    private void ReadHeaderBytes(Span<byte> bytes)
    {
        if (source.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false) < bytes.Length)
        {
            throw new InvalidDataException("it ends inside a gzip member header");
        }
    }

    private void SkipZeroTerminated()
    {
        int value;
        while ((value = source.ReadByte()) > 0)
        {
        }

        if (value < 0)
        {
            throw new InvalidDataException("it ends inside a gzip member header");
        }
    }

    /// <summary>Passes reads through to the file and remembers the largest one, which bounds how far the deflate stream read ahead.</summary>
    private sealed class ReadTracker(Stream inner) : Stream
    {
        public int LargestRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public void Reset() => LargestRead = 0;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int read = inner.Read(buffer);
            LargestRead = Math.Max(LargestRead, read);
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
