using System;
using System.Globalization;
using System.IO;

namespace DeclCnn.Runtime.Data.Download;

/// <summary>
/// A one-line text progress bar for downloads, e.g. <c>train-images-idx3-ubyte.gz [##########----------]  50%  12.6/25.2 MB</c>,
/// redrawn in place with a carriage return at most once per percent (or per megabyte when the length is unknown), and
/// finished with a newline when the file is complete.
/// </summary>
/// <param name="output">Where to draw, e.g. <see cref="Console.Out"/>.</param>
public sealed class DownloadProgressBar(TextWriter output) : IProgress<DownloadProgress>
{
    private const int Width = 20;
    private readonly TextWriter output = output ?? throw new ArgumentNullException(nameof(output));
    private long lastStep = -1;

    /// <summary>Redraws the bar when the download has moved by a visible step.</summary>
    public void Report(DownloadProgress value)
    {
        bool known = value.TotalBytes is > 0;
        long step = known ? value.BytesReceived * 100 / value.TotalBytes!.Value : value.BytesReceived >> 20;
        bool done = known && value.BytesReceived == value.TotalBytes;
        if (step == lastStep && !done)
        {
            return;
        }

        lastStep = step;
        string megabytes = (value.BytesReceived / 1e6).ToString("0.0", CultureInfo.InvariantCulture);
        string line = known
            ? $"{value.FileName} [{new string('#', (int)(step * Width / 100)).PadRight(Width, '-')}] {step,3}%  {megabytes}/{(value.TotalBytes!.Value / 1e6).ToString("0.0", CultureInfo.InvariantCulture)} MB"
            : $"{value.FileName} {megabytes} MB";
        output.Write('\r' + line);
        if (done)
        {
            output.WriteLine();
            lastStep = -1;
        }
    }
}
