namespace DeclCnn.Runtime.Data;

/// <summary>
/// Constants of the IDX format (LeCun et al., used by MNIST and Fashion-MNIST): a big-endian magic
/// number 0x0000TTDD (TT = element type, 08 = unsigned byte; DD = number of dimensions), one
/// big-endian uint32 per dimension, then the elements in row-major order.
/// </summary>
internal static class IdxFormat
{
    /// <summary>Magic number of a file of unsigned bytes with three dimensions (images, rows, columns).</summary>
    public const uint ImagesMagic = 0x00000803;

    /// <summary>Magic number of a file of unsigned bytes with one dimension (labels).</summary>
    public const uint LabelsMagic = 0x00000801;

    /// <summary>Header length of an image file: magic and three dimensions.</summary>
    public const int ImagesHeaderLength = 16;

    /// <summary>Header length of a label file: magic and one dimension.</summary>
    public const int LabelsHeaderLength = 8;
}
