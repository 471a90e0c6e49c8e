using System;
using System.Buffers.Binary;
using System.Collections.Frozen;
using System.Collections.Generic;
using System.Text;

namespace DeclCnn.Runtime.Interchange;

/// <summary>
/// Checks the pickle of a .pth file before it is unpickled: every Python global it names must be one of the few that
/// a state dict needs (the tensor rebuild functions, the storage types and <c>OrderedDict</c>). The unpickler behind
/// <see cref="TorchSharp.PyBridge"/> runs no Python, but it builds a stand-in object for any unknown global and
/// silently drops non-tensor values from an <c>OrderedDict</c>; a file that names <c>os.system</c> or a class of
/// its own is not a plain state dict and is refused here, before anything is built from it.
/// </summary>
/// <remarks>
/// This walks the opcodes without executing them. A global is named either inline (<c>GLOBAL</c>, <c>INST</c>) or by
/// the two strings pushed just before <c>STACK_GLOBAL</c>, directly or through the memo; anything this walk cannot
/// resolve to a name (extension codes, a <c>STACK_GLOBAL</c> fed by other opcodes) is refused rather than guessed.
/// </remarks>
internal static class PickleGuard
{
    private static readonly FrozenSet<string> AllowedGlobals = FrozenSet.ToFrozenSet(
    [
        "collections.OrderedDict",
        "torch._utils._rebuild_tensor",
        "torch._utils._rebuild_tensor_v2",
        "torch.BFloat16Storage",
        "torch.BoolStorage",
        "torch.ByteStorage",
        "torch.CharStorage",
        "torch.ComplexDoubleStorage",
        "torch.ComplexFloatStorage",
        "torch.DoubleStorage",
        "torch.FloatStorage",
        "torch.HalfStorage",
        "torch.IntStorage",
        "torch.LongStorage",
        "torch.ShortStorage",
    ]);

    /// <summary>Returns null when <paramref name="pickle"/> names only allowed globals, else what it names.</summary>
    public static string? FindDisallowedGlobal(ReadOnlySpan<byte> pickle)
    {
        var memo = new Dictionary<long, string?>();
        string? below = null, top = null;   // the last two values pushed, when they are known strings
        int position = 0;
        while (position < pickle.Length)
        {
            byte opcode = pickle[position++];
            string? pushed = null;
            switch (opcode)
            {
                case (byte)'.':   // STOP
                    return null;
                case (byte)'c':   // GLOBAL module\nname\n
                case (byte)'i':   // INST module\nname\n
                    string module = ReadLine(pickle, ref position), name = ReadLine(pickle, ref position);
                    if (!AllowedGlobals.Contains($"{module}.{name}"))
                    {
                        return $"{module}.{name}";
                    }

                    break;
                case 0x93:        // STACK_GLOBAL: module and name are the two values below
                    if (below is null || top is null)
                    {
                        return "a global whose name is computed in the pickle";
                    }

                    if (!AllowedGlobals.Contains($"{below}.{top}"))
                    {
                        return $"{below}.{top}";
                    }

                    break;
                case 0x82 or 0x83 or 0x84:   // EXT1, EXT2, EXT4: globals from Python's extension registry
                    return "a global from Python's copyreg extension registry";
                case (byte)'X':   // BINUNICODE
                    pushed = Encoding.UTF8.GetString(ReadCounted(pickle, ref position, 4));
                    break;
                case 0x8c:        // SHORT_BINUNICODE
                    pushed = Encoding.UTF8.GetString(ReadCounted(pickle, ref position, 1));
                    break;
                case 0x8d:        // BINUNICODE8
                    pushed = Encoding.UTF8.GetString(ReadCounted(pickle, ref position, 8));
                    break;
                case (byte)'V':   // UNICODE (protocol 0), raw-unicode-escape: a plain name reads as itself
                    pushed = ReadLine(pickle, ref position);
                    break;
                case (byte)'q':   // BINPUT
                    memo[Read(pickle, ref position, 1)] = top;
                    continue;
                case (byte)'r':   // LONG_BINPUT
                    memo[Read(pickle, ref position, 4)] = top;
                    continue;
                case (byte)'p':   // PUT
                    memo[long.Parse(ReadLine(pickle, ref position), System.Globalization.CultureInfo.InvariantCulture)] = top;
                    continue;
                case 0x94:        // MEMOIZE
                    memo[memo.Count] = top;
                    continue;
                case (byte)'h':   // BINGET
                    pushed = memo.GetValueOrDefault(Read(pickle, ref position, 1));
                    break;
                case (byte)'j':   // LONG_BINGET
                    pushed = memo.GetValueOrDefault(Read(pickle, ref position, 4));
                    break;
                case (byte)'g':   // GET
                    pushed = memo.GetValueOrDefault(long.Parse(ReadLine(pickle, ref position), System.Globalization.CultureInfo.InvariantCulture));
                    break;
                case 0x80:        // PROTO
                    position += 1;
                    continue;
                case 0x95:        // FRAME: a length, then the framed opcodes inline
                    position += 8;
                    continue;
                default:
                    if (!TrySkipArgument(opcode, pickle, ref position))
                    {
                        return $"an unknown pickle opcode 0x{opcode:x2} at byte {position - 1}";
                    }

                    break;
            }

            (below, top) = (top, pushed);
        }

        return "a pickle without its STOP opcode (the file is truncated)";
    }

    /// <summary>Moves past the argument of an opcode that names no global; false for a byte that is no opcode.</summary>
    private static bool TrySkipArgument(byte opcode, ReadOnlySpan<byte> pickle, ref int position)
    {
        switch (opcode)
        {
            // No argument: stack, container, constant and object-building opcodes.
            case (byte)'(' or (byte)'0' or (byte)'1' or (byte)'2' or (byte)'N' or (byte)'Q' or (byte)'R' or (byte)'a'
                or (byte)'b' or (byte)'d' or (byte)'}' or (byte)'e' or (byte)'l' or (byte)']' or (byte)'o' or (byte)'s'
                or (byte)'t' or (byte)')' or (byte)'u' or 0x81 or 0x85 or 0x86 or 0x87 or 0x88 or 0x89 or 0x8f or 0x90
                or 0x91 or 0x92 or 0x97 or 0x98:
                return true;
            // A newline-terminated text argument: FLOAT, INT, LONG, PERSID, STRING.
            case (byte)'F' or (byte)'I' or (byte)'L' or (byte)'P' or (byte)'S':
                ReadLine(pickle, ref position);
                return true;
            case (byte)'K':   // BININT1
                position += 1;
                return true;
            case (byte)'M':   // BININT2
                position += 2;
                return true;
            case (byte)'J':   // BININT
                position += 4;
                return true;
            case (byte)'G':   // BINFLOAT
                position += 8;
                return true;
            // Length-prefixed data: SHORT_BINSTRING, SHORT_BINBYTES, LONG1; BINSTRING, BINBYTES, LONG4;
            // BINBYTES8, BYTEARRAY8.
            case (byte)'U' or (byte)'C' or 0x8a:
                ReadCounted(pickle, ref position, 1);
                return true;
            case (byte)'T' or (byte)'B' or 0x8b:
                ReadCounted(pickle, ref position, 4);
                return true;
            case 0x8e or 0x96:
                ReadCounted(pickle, ref position, 8);
                return true;
            default:
                return false;
        }
    }

    private static long Read(ReadOnlySpan<byte> pickle, ref int position, int size)
    {
        ReadOnlySpan<byte> bytes = Take(pickle, ref position, size);
        return size switch
        {
            1 => bytes[0],
            4 => BinaryPrimitives.ReadUInt32LittleEndian(bytes),
            _ => checked((long)BinaryPrimitives.ReadUInt64LittleEndian(bytes)),
        };
    }

    private static ReadOnlySpan<byte> ReadCounted(ReadOnlySpan<byte> pickle, ref int position, int sizeOfCount) =>
        Take(pickle, ref position, checked((int)Read(pickle, ref position, sizeOfCount)));

    private static string ReadLine(ReadOnlySpan<byte> pickle, ref int position)
    {
        int end = pickle[position..].IndexOf((byte)'\n');
        if (end < 0)
        {
            throw new FormatException("The pickle ends inside a text argument.");
        }

        string line = Encoding.UTF8.GetString(pickle.Slice(position, end));
        position += end + 1;
        return line;
    }

    private static ReadOnlySpan<byte> Take(ReadOnlySpan<byte> pickle, ref int position, int count)
    {
        if (count < 0 || count > pickle.Length - position)
        {
            throw new FormatException("The pickle ends inside an opcode's argument.");
        }

        ReadOnlySpan<byte> bytes = pickle.Slice(position, count);
        position += count;
        return bytes;
    }
}
