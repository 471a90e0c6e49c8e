using System;
using System.IO;
using System.Linq;

namespace DeclCnn.Runtime.Tests.Data;

/// <summary>Writes CIFAR-10/100 binary files in the official layout, with pixels that identify their image.</summary>
internal static class CifarFiles
{
    public const int ImageBytes = 3072;

    /// <summary>
    /// The 3072 pixel bytes of image <paramref name="id"/>: the red plane is all <paramref name="id"/>, green is
    /// id + 1 and blue holds position-dependent values, so channel order and row-major layout are both visible.
    /// </summary>
    public static byte[] Pixels(int id)
    {
        var pixels = new byte[ImageBytes];
        pixels.AsSpan(0, 1024).Fill((byte)id);
        pixels.AsSpan(1024, 1024).Fill((byte)(id + 1));
        for (int p = 0; p < 1024; p++)
        {
            pixels[2048 + p] = (byte)((p * 7) + id);
        }

        return pixels;
    }

    /// <summary>One record per entry of <paramref name="labels"/>: the label byte(s) then <see cref="Pixels"/> of the id.</summary>
    public static void Write(string path, params (byte[] Labels, int Id)[] records) =>
        File.WriteAllBytes(path, records.SelectMany(r => r.Labels.Concat(Pixels(r.Id))).ToArray());

    /// <summary>A complete CIFAR-10 folder: training file k holds images 10k+0 .. 10k+<paramref name="perFile"/>-1, test holds 100.. .</summary>
    public static void WriteCifar10(string directory, int perFile = 2, bool meta = true)
    {
        for (int file = 1; file <= 5; file++)
        {
            Write(Path.Combine(directory, $"data_batch_{file}.bin"),
                Enumerable.Range(0, perFile).Select(i => (new[] { (byte)((file + i) % 10) }, (10 * file) + i)).ToArray());
        }

        Write(Path.Combine(directory, "test_batch.bin"), (new byte[] { 9 }, 100), (new byte[] { 0 }, 101), (new byte[] { 4 }, 102));
        if (meta)
        {
            File.WriteAllText(Path.Combine(directory, "batches.meta.txt"),
                "airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n");
        }
    }

    /// <summary>A complete CIFAR-100 folder: train holds images 0..2 and test image 50, with (coarse, fine) labels.</summary>
    public static void WriteCifar100(string directory)
    {
        Write(Path.Combine(directory, "train.bin"), (new byte[] { 4, 30 }, 0), (new byte[] { 19, 99 }, 1), (new byte[] { 0, 4 }, 2));
        Write(Path.Combine(directory, "test.bin"), (new byte[] { 11, 31 }, 50));
    }
}
