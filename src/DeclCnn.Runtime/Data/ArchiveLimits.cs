namespace DeclCnn.Runtime.Data;

/// <summary>How much a <see cref="TarGzArchive"/> may hold: checked from each entry's header, before its data is read.</summary>
/// <param name="MaxBytes">The most bytes all file entries together may declare.</param>
/// <param name="MaxEntries">The most entries (files, folders, anything) the archive may have.</param>
internal sealed record ArchiveLimits(long MaxBytes, int MaxEntries)
{
    /// <summary>1 GiB and 10,000 entries: five times the CIFAR archives (about 185 MB in 8 files) and the npm package (155 MB in 15 files).</summary>
    public static ArchiveLimits Default { get; } = new(1L << 30, 10_000);
}
