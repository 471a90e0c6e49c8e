using Microsoft.CodeAnalysis;

namespace DeclCnn.Generators.Diagnostics;

/// <summary>
/// Every diagnostic the generator reports, numbered in order. Each id has a section in
/// docs/diagnostics.md; the message shows what flowed into the layer and what would come out.
/// Layer references read like "MaxPool(2) (layer 9)"; shapes like "64x7x7" or "3136".
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string DeclarationCategory = "DeclCnn.Declaration";
    private const string ShapeCategory = "DeclCnn.Shape";

    /// <summary>DCNN0001: <c>The class '{0}' must be declared partial ...</c></summary>
    public static readonly DiagnosticDescriptor ModelClassNotPartial = Error(
        "DCNN0001",
        "Model class must be partial",
        "The class '{0}' must be declared partial so that the generator can add its TorchSharp module",
        DeclarationCategory);

    /// <summary>DCNN0002: <c>The class '{0}' {1}; ...</c></summary>
    public static readonly DiagnosticDescriptor UnsupportedModelClass = Error(
        "DCNN0002",
        "Unsupported model class",
        "The class '{0}' {1}; declare it as a non-generic, non-static partial class, at namespace level or nested in non-generic partial classes",
        DeclarationCategory);

    /// <summary>DCNN0003: <c>'{0}' declares layers but no [Input(channels, height, width)] ...</c></summary>
    public static readonly DiagnosticDescriptor InputMissing = Error(
        "DCNN0003",
        "Layers without [Input]",
        "'{0}' declares layers but no [Input(channels, height, width)]; add one so that the shapes can be inferred",
        DeclarationCategory);

    /// <summary>DCNN0004: <c>[Input] dimensions must be positive, but are {0}</c></summary>
    public static readonly DiagnosticDescriptor InputMalformed = Error(
        "DCNN0004",
        "Malformed [Input]",
        "[Input] dimensions must be positive, but are {0}",
        DeclarationCategory);

    /// <summary>DCNN0005: <c>'{0}' declares no layers; ...</c></summary>
    public static readonly DiagnosticDescriptor NoLayers = Error(
        "DCNN0005",
        "Model without layers",
        "'{0}' declares no layers; add layer attributes such as [Conv(32, 3)]",
        DeclarationCategory);

    /// <summary>DCNN0006: <c>The layers of '{0}' are declared on more than one part ...</c></summary>
    public static readonly DiagnosticDescriptor LayersOnSeveralDeclarations = Error(
        "DCNN0006",
        "Layers split across partial declarations",
        "The layers of '{0}' are declared on more than one part of the partial class, so their order is undefined; declare them all on one part",
        DeclarationCategory);

    /// <summary>DCNN0007: <c>'{0}' is a DeclCnn model, but the project does not reference TorchSharp ...</c></summary>
    public static readonly DiagnosticDescriptor TorchSharpNotReferenced = Error(
        "DCNN0007",
        "TorchSharp is not referenced",
        "'{0}' is a DeclCnn model, but the project does not reference TorchSharp; add a reference to the DeclCnn.Runtime package",
        DeclarationCategory);

    /// <summary>DCNN0008: <c>{0}: {1} must be {2}, but is {3}</c> (an argument of the wrong type)</summary>
    public static readonly DiagnosticDescriptor InvalidArgumentType = Error(
        "DCNN0008",
        "Layer argument of the wrong type",
        "{0}: {1} must be {2}, but is {3}",
        DeclarationCategory);

    /// <summary>DCNN0009: <c>{0}: {1} must be {2}, but is {3}</c> (a count or size out of range)</summary>
    public static readonly DiagnosticDescriptor ArgumentOutOfRange = Error(
        "DCNN0009",
        "Layer argument out of range",
        "{0}: {1} must be {2}, but is {3}",
        DeclarationCategory);

    /// <summary>DCNN0010: <c>{0}: unknown padding "{1}"{2} ...</c>, {2} a "did you mean" when a valid string is close</summary>
    public static readonly DiagnosticDescriptor UnknownPadding = Error(
        "DCNN0010",
        "Unknown padding",
        "{0}: unknown padding \"{1}\"{2}; use an int, new[] {{ height, width }}, \"same\" or \"valid\"",
        DeclarationCategory);

    /// <summary>DCNN0011: <c>{0}: unknown mode "{1}"{2} ...</c>, {2} a "did you mean" when a valid mode is close</summary>
    public static readonly DiagnosticDescriptor UnknownUpsampleMode = Error(
        "DCNN0011",
        "Unknown upsampling mode",
        "{0}: unknown mode \"{1}\"{2}; use \"nearest\" or \"bilinear\"",
        DeclarationCategory);

    /// <summary>DCNN0012: <c>{0}: the name "{1}" {2}</c></summary>
    public static readonly DiagnosticDescriptor InvalidLayerName = Error(
        "DCNN0012",
        "Invalid layer name",
        "{0}: the name \"{1}\" {2}",
        DeclarationCategory);

    /// <summary>DCNN0013: <c>{0} receives {1} from {2}; its output would be {3}; {4}</c></summary>
    public static readonly DiagnosticDescriptor NonPositiveOutput = Error(
        "DCNN0013",
        "Layer output would be empty",
        "{0} receives {1} from {2}; its output would be {3}; {4}",
        ShapeCategory);

    /// <summary>DCNN0014: <c>{0} receives {1} from {2}; its kernel spans {3} (with dilation), more than the padded input {4}. ...</c></summary>
    public static readonly DiagnosticDescriptor KernelLargerThanInput = Error(
        "DCNN0014",
        "Kernel larger than the padded input",
        "{0} receives {1} from {2}; its kernel spans {3} (with dilation), more than the padded input {4}. Pad the input, or use a smaller kernel or dilation.",
        ShapeCategory);

    /// <summary>DCNN0015: <c>{0}: padding "same" needs stride 1, but the stride is {1}. ...</c></summary>
    public static readonly DiagnosticDescriptor SamePaddingWithStride = Error(
        "DCNN0015",
        "\"same\" padding with a stride",
        "{0}: padding \"same\" needs stride 1, but the stride is {1}. Pad explicitly, for example Padding = {2} (half the dilated kernel, rounded down), or drop the stride.",
        ShapeCategory);

    /// <summary>DCNN0016: <c>{0} receives {1} from {2}; Groups = {3} must divide both the input channels ({4}) and the output channels ({5})</c></summary>
    public static readonly DiagnosticDescriptor GroupsDoNotDivideChannels = Error(
        "DCNN0016",
        "Groups do not divide the channels",
        "{0} receives {1} from {2}; Groups = {3} must divide both the input channels ({4}) and the output channels ({5})",
        ShapeCategory);

    /// <summary>DCNN0017: <c>{0}: padding {1} is more than half the kernel {2}</c></summary>
    public static readonly DiagnosticDescriptor PoolPaddingTooLarge = Error(
        "DCNN0017",
        "Pooling padding larger than half the kernel",
        "{0}: padding {1} is more than half the kernel {2}; PyTorch rejects it. Use padding of at most {3}.",
        ShapeCategory);

    /// <summary>DCNN0018: <c>{0}: the dropout probability must be in [0, 1), but is {1}</c></summary>
    public static readonly DiagnosticDescriptor DropoutOutOfRange = Error(
        "DCNN0018",
        "Dropout probability out of range",
        "{0}: the dropout probability must be in [0, 1), but is {1}",
        DeclarationCategory);

    /// <summary>DCNN0019: <c>{0} receives the feature map {1} from {2}; a dense layer needs a flat input. ...</c></summary>
    public static readonly DiagnosticDescriptor DenseOnFeatureMap = Error(
        "DCNN0019",
        "Dense layer on a feature map",
        "{0} receives the feature map {1} from {2}; a dense layer needs a flat input. Add [Flatten] (or [GlobalAvgPool, Flatten]) before it.",
        ShapeCategory);

    /// <summary>DCNN0020: <c>{0}: InFeatures = {1}, but it receives {2} features from {3}</c></summary>
    public static readonly DiagnosticDescriptor DenseInFeaturesMismatch = Error(
        "DCNN0020",
        "Dense input size disagrees with the inferred one",
        "{0}: InFeatures = {1}, but it receives {2} features from {3}; remove InFeatures to infer it, or fix the layers before it",
        ShapeCategory);

    /// <summary>DCNN0021: <c>{0} receives the flat vector {1} from {2}; it needs a feature map [channels, height, width]</c></summary>
    public static readonly DiagnosticDescriptor NeedsFeatureMap = Error(
        "DCNN0021",
        "Layer needs a feature map",
        "{0} receives the flat vector {1} from {2}; it needs a feature map [channels, height, width]. Move it before [Flatten].",
        ShapeCategory);

    /// <summary>DCNN0022: <c>{0}: Dim = {1} is out of range for its {2}-D input [N, {3}]; use a value from {4} to {5}</c></summary>
    public static readonly DiagnosticDescriptor DimOutOfRange = Error(
        "DCNN0022",
        "Dimension out of range",
        "{0}: Dim = {1} is out of range for its {2}-D input [N, {3}]; use a value from {4} to {5}",
        ShapeCategory);

    /// <summary>DCNN0023: <c>{0} receives {1} from {2}; its {3} overflows 64-bit arithmetic</c></summary>
    public static readonly DiagnosticDescriptor ArithmeticOverflow = Error(
        "DCNN0023",
        "Shape arithmetic overflows",
        "{0} receives {1} from {2}; its {3} overflows 64-bit arithmetic",
        ShapeCategory);

    /// <summary>DCNN0024: <c>{0}: {1} uses block parameters, which only exist in a [Block]</c></summary>
    public static readonly DiagnosticDescriptor BlockParameterOutsideBlock = Error(
        "DCNN0024",
        "Block parameter outside a block",
        "{0}: {1} uses block parameters, which only exist in a [Block]; write a number, or move the layers into a [Block] used by a [Stage]",
        DeclarationCategory);

    /// <summary>DCNN0025: <c>{0}: {1} = {2} cannot depend on block parameters; {3}</c></summary>
    public static readonly DiagnosticDescriptor UnsupportedBlockExpression = Error(
        "DCNN0025",
        "Unsupported block parameter expression",
        "{0}: {1} = {2} cannot depend on block parameters; {3}",
        DeclarationCategory);

    /// <summary>DCNN0026: <c>{0}: '{1}' is not a [Block]; ...</c></summary>
    public static readonly DiagnosticDescriptor NotABlock = Error(
        "DCNN0026",
        "Stage of a type that is not a block",
        "{0}: '{1}' is not a [Block]; mark it [Block] and declare its layers on it",
        DeclarationCategory);

    /// <summary>DCNN0027: <c>{0}: {1} is not allowed in a [Block], ...</c></summary>
    public static readonly DiagnosticDescriptor LayerNotAllowedInBlock = Error(
        "DCNN0027",
        "Layer not allowed in a block",
        "{0}: {1} is not allowed in a [Block]: a block maps a feature map to a feature map; use it in the model after the stages",
        DeclarationCategory);

    /// <summary>DCNN0028: <c>{0}: {1}</c> (an [Add] or [Concat] in the wrong place)</summary>
    public static readonly DiagnosticDescriptor JoinMisplaced = Error(
        "DCNN0028",
        "Misplaced [Add] or [Concat]",
        "{0}: {1}",
        DeclarationCategory);

    /// <summary>DCNN0029: <c>{0}: its block {1} ({2}, channels {3}, stride {4}) receives {5} and does not fit: {6}</c></summary>
    public static readonly DiagnosticDescriptor BlockDoesNotFit = Error(
        "DCNN0029",
        "Block does not fit where it is used",
        "{0}: its block {1} ({2}, channels {3}, stride {4}) receives {5} and does not fit: {6}",
        ShapeCategory);

    /// <summary>DCNN0030: <c>{0}: the body gives {1} but the shortcut gives {2}; {3}</c></summary>
    public static readonly DiagnosticDescriptor ResidualBranchesDiffer = Error(
        "DCNN0030",
        "Residual branches differ in shape",
        "{0}: the body gives {1} but the shortcut gives {2}; {3}",
        ShapeCategory);

    /// <summary>DCNN0031: <c>{0}: the body gives {1} but the input is {2}; ...</c></summary>
    public static readonly DiagnosticDescriptor ConcatBranchesDiffer = Error(
        "DCNN0031",
        "Concatenated branches differ in size",
        "{0}: the body gives {1} but the input is {2}; a concatenation needs the same height and width on both sides",
        ShapeCategory);

    /// <summary>DCNN0032: <c>{0}: '{1}' contains itself through its stages or shortcut blocks ({2}); ...</c></summary>
    public static readonly DiagnosticDescriptor BlockUsesItself = Error(
        "DCNN0032",
        "Block contains itself",
        "{0}: '{1}' contains itself through its stages or shortcut blocks ({2}); a block cannot be part of its own body",
        ShapeCategory);

    /// <summary>DCNN0033: <c>{0} receives {1} from {2}; Groups = {3} must divide its {4} channels</c></summary>
    public static readonly DiagnosticDescriptor GroupNormGroupsDoNotDivideChannels = Error(
        "DCNN0033",
        "Group norm groups do not divide the channels",
        "{0} receives {1} from {2}; Groups = {3} must divide its {4} channels",
        ShapeCategory);

    /// <summary>DCNN0034: <c>The class '{0}' declares '{1}', which the generated module also declares; ...</c></summary>
    public static readonly DiagnosticDescriptor GeneratedMemberClash = Error(
        "DCNN0034",
        "Member clashes with a generated member",
        "The class '{0}' declares '{1}', which the generated module also declares; rename or remove it",
        DeclarationCategory);

    /// <summary>DCNN0035: <c>The DeclCnn generator failed on '{0}' while {1} ({2}); ...</c></summary>
    public static readonly DiagnosticDescriptor InternalGeneratorError = Error(
        "DCNN0035",
        "Internal generator error",
        "The DeclCnn generator failed on '{0}' while {1} ({2}); the other declarations are generated as usual; please report this with the declaration",
        DeclarationCategory);

    /// <summary>DCNN0036: <c>{0}: '{1}' would nest blocks {2} deep; at most {3} levels are supported ...</c></summary>
    public static readonly DiagnosticDescriptor BlocksNestedTooDeep = Error(
        "DCNN0036",
        "Blocks nested too deep",
        "{0}: '{1}' would nest blocks {2} deep; at most {3} levels are supported, as TorchSharp's train() and eval() take twice as long with each level; merge a level's layers into the block that uses it",
        DeclarationCategory);

    /// <summary>DCNN0037: <c>[Backbone&lt;{0}&gt;]: '{0}' {1}; a backbone must be a network declared with [Input] in this project</c></summary>
    public static readonly DiagnosticDescriptor BackboneNotANetwork = Error(
        "DCNN0037",
        "Backbone that is not a declared network",
        "[Backbone<{0}>]: '{0}' {1}; a backbone must be a network declared with [Input] in this project",
        DeclarationCategory);

    /// <summary>DCNN0038: <c>[Backbone&lt;{0}&gt;]: '{0}' has no layer named "{1}"{2}; its layers are {3}</c>, {2} a "did you mean"</summary>
    public static readonly DiagnosticDescriptor UnknownBackboneLayer = Error(
        "DCNN0038",
        "Backbone has no layer of that name",
        "[Backbone<{0}>]: '{0}' has no layer named \"{1}\"{2}; its layers are {3}",
        DeclarationCategory);

    /// <summary>DCNN0039: <c>'{0}' declares [Input({1})], but its backbone '{2}' takes [Input({3})]; ...</c></summary>
    public static readonly DiagnosticDescriptor BackboneInputDiffers = Error(
        "DCNN0039",
        "Input differs from the backbone's",
        "'{0}' declares [Input({1})], but its backbone '{2}' takes [Input({3})]; declare the backbone's input",
        ShapeCategory);

    /// <summary>DCNN0040: <c>The backbone '{0}' of '{1}' has errors (reported on '{0}'); ...</c></summary>
    public static readonly DiagnosticDescriptor BackboneHasErrors = Error(
        "DCNN0040",
        "Backbone with errors",
        "The backbone '{0}' of '{1}' has errors (reported on '{0}'); '{1}' is checked once they are fixed",
        DeclarationCategory);

    /// <summary>DCNN0041: <c>'{0}' is its own backbone: {1}</c></summary>
    public static readonly DiagnosticDescriptor BackboneUsesItself = Error(
        "DCNN0041",
        "Network is its own backbone",
        "'{0}' is its own backbone: {1}; a backbone must be another network",
        DeclarationCategory);

    /// <summary>
    /// An error whose description names its section of docs/diagnostics.md. The docs ship inside the DeclCnn
    /// package; the project has no public address yet, so there is no help link rather than one that does not resolve.
    /// </summary>
    private static DiagnosticDescriptor Error(string id, string title, string messageFormat, string category) =>
        new(id, title, messageFormat, category, DiagnosticSeverity.Error, isEnabledByDefault: true, description: Help(id));

    /// <summary>Where an id is explained: its section of docs/diagnostics.md, in the package's docs folder.</summary>
    public static string Help(string id) =>
        $"See docs/diagnostics.md#{id.ToLowerInvariant()} in the DeclCnn package (~/.nuget/packages/declcnn/<version>/docs/diagnostics.md).";
}
