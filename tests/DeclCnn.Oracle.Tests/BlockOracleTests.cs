using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Runtime.InteropServices;
using CsCheck;
using DeclCnn.Runtime.Native;
using Xunit;
using Xunit.Abstractions;

namespace DeclCnn.Oracle.Tests;

/// <summary>
/// The oracle for blocks and stages: random residual, projection and dense blocks used by random
/// stages, some with another block as the residual shortcut (<c>[Add(Projection = typeof(...))]</c>)
/// and some holding stages of other blocks, two levels deep. A clean declaration must run on
/// TorchSharp with the compile-time shapes and parameter counts (shortcuts included), and every
/// module at any depth (each block, nested stage, shortcut and layer) must give the same shape and
/// parameter count as the same network built by hand; a diagnosed one must fail by hand too, unless
/// it only "runs" because PyTorch broadcast a size-1 dimension in a residual addition (DeclCnn
/// requires equal shapes).
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
        // Clean and diagnosed counts: all cases, those with a shortcut block, those with a nested stage.
        var counts = new int[3, 2];
        var tooLarge = 0;
        for (var i = 0; i < Cases; i++)
        {
            var pcg = new PCG((uint)i, Seed);
            var declaration = BlockDeclarations.Network.Generate(pcg, null, out _);
            bool? clean;
            try
            {
                clean = Check(declaration);
            }
            catch (Exception failure)
            {
                throw new InvalidOperationException($"Case {i} (CsCheck seed {new PCG((uint)i, Seed)}) disagrees:\n{declaration}\n{Shrink(pcg)}", failure);
            }

            if (clean is null)
            {
                tooLarge++;
                continue;
            }

            var kind = clean.Value ? 0 : 1;
            counts[0, kind]++;
            counts[1, kind] += declaration.HasShortcutBlock ? 1 : 0;
            counts[2, kind] += declaration.HasNestedStage ? 1 : 0;
        }

        output.WriteLine($"{Cases} cases: {counts[0, 0]} clean, {counts[0, 1]} diagnosed; "
            + $"with a shortcut block {counts[1, 0]} clean, {counts[1, 1]} diagnosed; with a nested stage {counts[2, 0]} clean, {counts[2, 1]} diagnosed; "
            + $"{tooLarge} too large to run.");
        Assert.True(counts[0, 0] > Cases / 10 && counts[0, 1] > Cases / 10, $"The generator should produce both kinds: {counts[0, 0]} clean, {counts[0, 1]} diagnosed.");
        Assert.True(
            counts[1, 0] > Cases / 50 && counts[2, 0] > Cases / 50,
            $"The generator should produce clean shortcut blocks ({counts[1, 0]}) and clean nested stages ({counts[2, 0]}).");
    }

    /// <summary>Checks one declaration; returns whether it was clean, or null when it is too large to run by hand.</summary>
    private static bool? Check(BlockDeclaration declaration)
    {
        var generated = OracleHarness.Generate(declaration.Source());
        var errors = generated.Diagnostics.Where(static d => d.Id.StartsWith("DCNN", StringComparison.Ordinal)).ToList();
        (List<string> Rows, List<string> Modules, bool Broadcast)? byHand;
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
        catch (TooLargeToRunException)
        {
            return null;
        }

        if (errors.Count == 0)
        {
            Assert.True(failure is null, $"Clean declaration fails in TorchSharp: {failure?.Message}");
            Assert.False(byHand!.Value.Broadcast, "A clean declaration's residual branches must have equal shapes.");
            var (measured, compiled, modules) = OracleHarness.RunGenerated(declaration, generated.Compilation);
            Assert.Equal(compiled.Rows, measured.Rows);
            Assert.Equal(compiled.MultiplyAdds, measured.MultiplyAdds);
            Assert.Equal(byHand.Value.Rows, measured.Rows);
            Assert.Equal(byHand.Value.Modules, modules.Rows);
            return true;
        }

        // Broadcasting only excuses the residual mismatch it hides, reported at the join and at the stage.
        if (failure is null && !(byHand!.Value.Broadcast && errors.All(static e => e.Id is "DCNN0030" or "DCNN0029")))
        {
            Assert.Fail($"Diagnosed as {string.Join("; ", errors)}, but TorchSharp runs it: {string.Join(" | ", byHand.Value.Rows)}");
        }

        return false;
    }

    /// <summary>Lets CsCheck shrink a failing case to a smaller declaration that still disagrees.</summary>
    private static string Shrink(PCG failing)
    {
        try
        {
            BlockDeclarations.Network.Sample(d => { Check(d); }, seed: failing.ToString(), iter: 500, threads: 1);
            return "(CsCheck found no smaller failing case.)";
        }
        catch (Exception shrunk)
        {
            return "Shrunk: " + shrunk.Message;
        }
    }
}
