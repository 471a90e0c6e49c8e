using System.Linq;
using DeclCnn.Runtime.Interchange;
using Xunit;

namespace DeclCnn.Runtime.Tests.Interchange;

/// <summary>
/// The opcode walk that vets a .pth pickle, on hand-assembled pickles for the cases torch.save does not write (the
/// fixtures cover protocol 2's inline globals and protocol 4's memoized names).
/// </summary>
public class PickleGuardTests
{
    private static readonly byte[] Proto4 = [0x80, 4];
    private static readonly byte[] Memoize = [0x94];
    private static readonly byte[] StackGlobal = [0x93];
    private static readonly byte[] Stop = "."u8.ToArray();

    [Fact]
    public void Names_fetched_back_from_the_memo_are_checked()
    {
        byte[] allowed = Pickle(Proto4, Text("collections"), Memoize, Text("OrderedDict"), Memoize, StackGlobal,
            "0"u8.ToArray(), [(byte)'h', 0], [(byte)'h', 1], StackGlobal, Stop);
        byte[] refused = Pickle(Proto4, Text("posix"), Memoize, Text("collections"), Memoize, "0"u8.ToArray(), "0"u8.ToArray(),
            [(byte)'h', 0], Text("system"), StackGlobal, Stop);

        Assert.Null(PickleGuard.FindDisallowedGlobal(allowed));
        Assert.Equal("posix.system", PickleGuard.FindDisallowedGlobal(refused));
    }

    [Fact]
    public void A_global_whose_name_is_not_two_known_strings_is_refused()
    {
        byte[] pickle = Pickle(Proto4, Text("posix"), "K\u0001"u8.ToArray(), StackGlobal, Stop);

        Assert.Equal("a global whose name is computed in the pickle", PickleGuard.FindDisallowedGlobal(pickle));
    }

    [Fact]
    public void Extension_codes_unknown_opcodes_and_a_missing_stop_are_refused()
    {
        Assert.Equal("a global from Python's copyreg extension registry", PickleGuard.FindDisallowedGlobal(Pickle([0x80, 2, 0x82, 1], Stop)));
        Assert.Equal("an unknown pickle opcode 0xff at byte 2", PickleGuard.FindDisallowedGlobal(Pickle([0x80, 2, 0xff], Stop)));
        Assert.Equal("a pickle without its STOP opcode (the file is truncated)", PickleGuard.FindDisallowedGlobal(Pickle([0x80, 2], "}"u8.ToArray())));
    }

    // SHORT_BINUNICODE: one length byte, then UTF-8.
    private static byte[] Text(string value) => [0x8c, (byte)value.Length, .. System.Text.Encoding.UTF8.GetBytes(value)];

    private static byte[] Pickle(params byte[][] parts) => parts.SelectMany(static part => part).ToArray();
}
