using System;
using System.Globalization;
using System.Linq;
using System.Runtime.InteropServices;
using CsCheck;
using DeclCnn.Runtime;
using Xunit;
using Xunit.Abstractions;

namespace DeclCnn.Oracle.Tests;

/// <summary>
/// The oracle for blocks and stages: random residual, projection and dense blocks used by random
/// stages. A clean declaration must run on TorchSharp with the compile-time shapes and parameter
/// counts (shortcut projections included), which must also equal those of the same network built
/// by hand; a diagnosed one must fail by hand too, unless it only "runs" because PyTorch
/// broadcast a size-1 dimension in the residual addition (DeclCnn requires equal shapes).
/// </summary>
public class BlockOracleTests
{
    private static readonly int Cases = int.TryParse(Environment.GetEnvironmentVariable("DECLCNN_ORACLE_CASES"), NumberStyles.None, CultureInfo.InvariantCulture, out var cases) ? cases : 300;

    private static readonly ulong Seed = ulong.TryParse(Environment.GetEnvironmentVariable("DECLCNN_ORACLE_SEED"), NumberStyles.None, CultureInfo.InvariantCulture, out var seed) ? seed : 20261123;

    private readonly ITestOutputHelper output;

    public BlockOracleTests(ITestOutputHelper output)
    {
        this.output = output;
        TorchSharpNative.EnsureLoaded();
    }

    [Fact]
    public void Generator_and_TorchSharp_agree_on_random_blocks_and_stages()
    {
        int clean = 0, diagnosed = 0;
        for (var i = 0; i < Cases; i++)
        {
            var pcg = new PCG((uint)i, Seed);
            var declaration = BlockDeclarations.Network.Generate(pcg, null, out _);
            try
            {
                if (Check(declaration))
                {
                    clean++;
                }
                else
                {
                    diagnosed++;
                }
            }
            catch (Exception failure)
            {
                throw new InvalidOperationException($"Case {i} (CsCheck seed {new PCG((uint)i, Seed)}) disagrees:\n{declaration}", failure);
            }
        }

        output.WriteLine($"{Cases} cases: {clean} clean, {diagnosed} diagnosed.");
        Assert.True(clean > Cases / 10 && diagnosed > Cases / 10, $"The generator should produce both kinds: {clean} clean, {diagnosed} diagnosed.");
    }

    private static bool Check(BlockDeclaration declaration)
    {
        var generated = OracleHarness.Generate(declaration.Source());
        var errors = generated.Diagnostics.Where(static d => d.Id.StartsWith("DCNN", StringComparison.Ordinal)).ToList();
        (System.Collections.Generic.List<string> Rows, bool Broadcast)? byHand;
        Exception? failure = null;
        try
        {
            byHand = declaration.RunByHand();
        }
        catch (Exception e) when (e is ExternalException or ArgumentException or InvalidOperationException)
        {
            byHand = null;
            failure = e;
        }

        if (errors.Count == 0)
        {
            Assert.True(failure is null, $"Clean declaration fails in TorchSharp: {failure?.Message}");
            Assert.False(byHand!.Value.Broadcast, "A clean declaration's residual branches must have equal shapes.");
            var (measured, compiled) = OracleHarness.RunGenerated(declaration, generated.Compilation);
            Assert.Equal(compiled.Rows, measured.Rows);
            Assert.Equal(byHand.Value.Rows, measured.Rows);
            return true;
        }

        if (failure is null && !byHand!.Value.Broadcast)
        {
            Assert.Fail($"Diagnosed as {string.Join("; ", errors)}, but TorchSharp runs it: {string.Join(" | ", byHand.Value.Rows)}");
        }

        return false;
    }
}
