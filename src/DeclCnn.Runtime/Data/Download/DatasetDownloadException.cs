using System;
using System.IO;

namespace DeclCnn.Runtime.Data.Download;

/// <summary>No mirror delivered a file with the right checksum; the message lists what went wrong at each.</summary>
public sealed class DatasetDownloadException : IOException
{
    /// <summary>Creates the exception.</summary>
    public DatasetDownloadException()
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public DatasetDownloadException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the failure of the last mirror.</summary>
    public DatasetDownloadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
