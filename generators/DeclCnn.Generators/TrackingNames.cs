namespace DeclCnn.Generators;

/// <summary>Names of the tracked pipeline steps, for incrementality tests.</summary>
internal static class TrackingNames
{
    public const string Declarations = nameof(Declarations);
    public const string Analyses = nameof(Analyses);
    public const string Diagnostics = nameof(Diagnostics);
    public const string Models = nameof(Models);
    public const string Unusable = nameof(Unusable);
    public const string NativeInitializer = nameof(NativeInitializer);
    public const string OnnxExport = nameof(OnnxExport);
    public const string BlockDeclarations = nameof(BlockDeclarations);
    public const string BlockAnalyses = nameof(BlockAnalyses);
    public const string BlockLibrary = nameof(BlockLibrary);
    public const string BlockDiagnostics = nameof(BlockDiagnostics);
    public const string NetworkLibrary = nameof(NetworkLibrary);
    public const string Backbones = nameof(Backbones);
}
