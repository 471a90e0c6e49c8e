using System;
using DeclCnn.Runtime.Data;
using DeclCnn.Runtime.Data.Augmentation;

namespace DeclCnn.Runtime.Tests.Data;

/// <summary>
/// Per-sample reference implementations of the batched augmentations, written independently in plain C# loops over
/// one image (C, H, W) at a time, for the tests to check the tensor versions against.
/// </summary>
internal static class ReferenceAugmentations
{
    public static float[] Crop(float[] image, int channels, int height, int width, int padding, CropPadding mode, int top, int left, int cropHeight, int cropWidth)
    {
        var output = new float[channels * cropHeight * cropWidth];
        for (int c = 0; c < channels; c++)
        {
            for (int y = 0; y < cropHeight; y++)
            {
                for (int x = 0; x < cropWidth; x++)
                {
                    // Position in the unpadded image.
                    int sourceY = top + y - padding, sourceX = left + x - padding;
                    float value;
                    if (mode == CropPadding.Reflect)
                    {
                        value = image[(c * height * width) + (Reflect(sourceY, height) * width) + Reflect(sourceX, width)];
                    }
                    else
                    {
                        bool inside = sourceY >= 0 && sourceY < height && sourceX >= 0 && sourceX < width;
                        value = inside ? image[(c * height * width) + (sourceY * width) + sourceX] : 0f;
                    }

                    output[(c * cropHeight * cropWidth) + (y * cropWidth) + x] = value;
                }
            }
        }

        return output;
    }

    public static float[] Flip(float[] image, int channels, int height, int width, bool flip)
    {
        var output = (float[])image.Clone();
        if (!flip)
        {
            return output;
        }

        for (int c = 0; c < channels; c++)
        {
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    output[(c * height * width) + (y * width) + x] = image[(c * height * width) + (y * width) + (width - 1 - x)];
                }
            }
        }

        return output;
    }

    public static float[] Erase(float[] image, int channels, int height, int width, ErasedBox box, float value)
    {
        var output = (float[])image.Clone();
        for (int c = 0; c < channels; c++)
        {
            for (int y = box.Top; y < box.Top + box.Height; y++)
            {
                for (int x = box.Left; x < box.Left + box.Width; x++)
                {
                    output[(c * height * width) + (y * width) + x] = value;
                }
            }
        }

        return output;
    }

    public static float[] Normalize(float[] image, int channels, int height, int width, ChannelStatistics statistics)
    {
        var output = new float[image.Length];
        for (int i = 0; i < image.Length; i++)
        {
            int c = i / (height * width);
            output[i] = (image[i] - statistics.Mean[c]) * (1f / statistics.Std[c]);
        }

        return output;
    }

    /// <summary>
    /// Rotation by <paramref name="degrees"/> counter-clockwise about the centre with bilinear interpolation, in pixel
    /// coordinates: output pixel centre (x, y) relative to the image centre, y down, reads the input at
    /// (x cos - y sin, x sin + y cos); outside the image counts as <paramref name="fill"/>.
    /// </summary>
    public static float[] Rotate(float[] image, int channels, int height, int width, double degrees, float fill)
    {
        var output = new float[image.Length];
        (double sin, double cos) = Math.SinCos(degrees * Math.PI / 180);
        double centreX = width / 2.0, centreY = height / 2.0;
        for (int c = 0; c < channels; c++)
        {
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    double dx = x + 0.5 - centreX, dy = y + 0.5 - centreY;
                    double sourceX = (dx * cos) - (dy * sin) + centreX - 0.5;
                    double sourceY = (dx * sin) + (dy * cos) + centreY - 0.5;
                    int x0 = (int)Math.Floor(sourceX), y0 = (int)Math.Floor(sourceY);
                    double fx = sourceX - x0, fy = sourceY - y0;
                    double value = 0;
                    for (int k = 0; k < 4; k++)
                    {
                        int px = x0 + (k & 1), py = y0 + (k >> 1);
                        double weight = ((k & 1) == 1 ? fx : 1 - fx) * ((k >> 1) == 1 ? fy : 1 - fy);
                        bool inside = px >= 0 && px < width && py >= 0 && py < height;
                        value += weight * (inside ? image[(c * height * width) + (py * width) + px] : fill);
                    }

                    output[(c * height * width) + (y * width) + x] = (float)value;
                }
            }
        }

        return output;
    }

    private static int Reflect(int index, int size) => index < 0 ? -index : index >= size ? (2 * (size - 1)) - index : index;
}
