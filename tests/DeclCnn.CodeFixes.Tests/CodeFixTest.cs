extern alias DeclCnnAttributes;

using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using DeclCnn.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace DeclCnn.CodeFixes.Tests;

/// <summary>
/// Roslyn's code-fix test with DeclCnn's generator and analyzer running as in a user's project: the
/// diagnostics come from them, the fix is applied, and the fixed code must compile with no diagnostic
/// left (or exactly the ones the test expects). References are the running framework, the DSL and
/// TorchSharp, so that nothing is downloaded.
/// </summary>
internal sealed class CodeFixTest<TCodeFix> : CSharpCodeFixTest<MissingInputAnalyzer, TCodeFix, DefaultVerifier>
    where TCodeFix : CodeFixProvider, new()
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

    public CodeFixTest(string source, string fixedSource)
    {
        TestCode = source;
        FixedCode = fixedSource;
        ReferenceAssemblies = new ReferenceAssemblies("net10.0");
        TestState.AdditionalReferences.AddRange(References.Value);
        TestBehaviors |= TestBehaviors.SkipGeneratedSourcesCheck;
    }

    protected override IEnumerable<Type> GetSourceGenerators() => new[] { typeof(DeclCnnGenerator) };

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var framework = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(static path => Path.GetFileName(path).StartsWith("System.", StringComparison.Ordinal)
                || Path.GetFileName(path) is "mscorlib.dll" or "netstandard.dll");
        var project = new[] { typeof(DeclCnnAttributes::DeclCnn.InputAttribute).Assembly.Location, typeof(TorchSharp.torch).Assembly.Location };
        return framework.Concat(project).Select(static path => (MetadataReference)MetadataReference.CreateFromFile(path)).ToImmutableArray();
    }
}
