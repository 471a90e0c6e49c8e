using System;
using System.Collections.Generic;
using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Training;

/// <summary>What the user asked for: the best available device, the CPU, or one CUDA device.</summary>
/// <param name="Type">Null for automatic, else <see cref="DeviceType.CPU"/> or <see cref="DeviceType.CUDA"/>.</param>
/// <param name="Index">The CUDA device index; 0 unless given.</param>
public sealed record DeviceRequest(DeviceType? Type, int Index = 0)
{
    /// <summary>CUDA device 0 when available, else the CPU.</summary>
    public static DeviceRequest Auto { get; } = new((DeviceType?)null);

    /// <summary>The CPU.</summary>
    public static DeviceRequest Cpu { get; } = new(DeviceType.CPU);

    /// <summary>CUDA device <paramref name="index"/>; an error when it does not exist.</summary>
    /// <param name="index">The device index.</param>
    /// <returns>The request.</returns>
    public static DeviceRequest Cuda(int index = 0) => new(DeviceType.CUDA, index);

    /// <summary>Parses <c>auto</c>, <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c> (case-insensitive).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The request.</returns>
    /// <exception cref="FormatException">Anything else.</exception>
    public static DeviceRequest Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string value = text.Trim().ToLowerInvariant();
        if (value == "auto")
        {
            return Auto;
        }

        if (value == "cpu")
        {
            return Cpu;
        }

        if (value == "cuda")
        {
            return Cuda();
        }

        if (value.StartsWith("cuda:", StringComparison.Ordinal)
            && int.TryParse(value.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out int index))
        {
            return Cuda(index);
        }

        throw new FormatException($"'{text}' is not a device: use auto, cpu, cuda or cuda:N.");
    }

    /// <summary><c>auto</c>, <c>cpu</c> or <c>cuda:N</c>.</summary>
    /// <returns>The text form, which <see cref="Parse"/> reads back.</returns>
    public override string ToString() => Type switch
    {
        null => "auto",
        DeviceType.CPU => "cpu",
        _ => string.Create(CultureInfo.InvariantCulture, $"{Type.Value.ToString().ToLowerInvariant()}:{Index}"),
    };

    /// <summary>The device this request means in this process (asks TorchSharp whether CUDA is available), e.g. for <see cref="Data.LoaderOptions.Device"/>.</summary>
    /// <returns>The device.</returns>
    /// <exception cref="TrainingDeviceException">CUDA was requested explicitly but cannot be used.</exception>
    public Device Resolve() => Resolve(cuda.is_available(), cuda.is_available() ? cuda.device_count() : 0, out _);

    /// <summary>The decision itself, for a given CUDA availability (so it can be tested on any machine).</summary>
    /// <param name="cudaAvailable">Whether torch reports CUDA available.</param>
    /// <param name="cudaDevices">The number of CUDA devices.</param>
    /// <param name="note">For <see cref="Auto"/>, what was decided and why; otherwise null.</param>
    /// <returns>The device.</returns>
    /// <exception cref="TrainingDeviceException">CUDA was requested explicitly but cannot be used.</exception>
    public Device Resolve(bool cudaAvailable, int cudaDevices, out string? note)
    {
        note = null;
        switch (Type)
        {
            case null when cudaAvailable && cudaDevices > 0:
                note = string.Create(CultureInfo.InvariantCulture, $"auto: CUDA is available ({cudaDevices} device(s)); using cuda:0.");
                return new Device(DeviceType.CUDA, 0);
            case null:
                note = "auto: CUDA is not available (TorchSharp-cpu, no GPU, or no driver); using the CPU.";
                return CPU;
            case DeviceType.CPU:
                return CPU;
            case DeviceType.CUDA when !cudaAvailable:
                throw new TrainingDeviceException(
                    $"{this} was requested, but torch.cuda.is_available() is false in this process. Reference TorchSharp-cuda-linux or "
                    + "TorchSharp-cuda-windows instead of TorchSharp-cpu, check that the NVIDIA driver is installed, or request auto (falls back to the CPU) or cpu.");
            case DeviceType.CUDA when Index < 0 || Index >= cudaDevices:
                throw new TrainingDeviceException(
                    string.Create(CultureInfo.InvariantCulture, $"{this} was requested, but this machine has {cudaDevices} CUDA device(s) (cuda:0 to cuda:{cudaDevices - 1}). Request one of those, or auto."));
            case DeviceType.CUDA:
                return new Device(DeviceType.CUDA, Index);
            default:
                throw new TrainingDeviceException($"{this} is not supported: the trainer runs on cpu or cuda devices.");
        }
    }
}

/// <summary>The options in effect on the training device, with a note for every request that was adjusted there.</summary>
/// <param name="Device">The training device: the one the training batches come on (<see cref="Data.IBatchSource.Device"/>).</param>
/// <param name="ChannelsLast">Whether the convolution weights and the images are laid out channels-last (see <see cref="DeclCnn.Runtime.Training.ChannelsLast"/>).</param>
/// <param name="Notes">Options ignored on this device, and why.</param>
public sealed record DevicePlan(Device Device, bool ChannelsLast, IReadOnlyList<string> Notes)
{
    /// <summary>Decides which of the run's device options apply on <paramref name="device"/>.</summary>
    /// <param name="device">The training device.</param>
    /// <param name="options">The run's options.</param>
    /// <returns>The plan.</returns>
    /// <exception cref="TrainingDeviceException">Mixed precision was requested on CUDA, or the device is neither the CPU nor CUDA.</exception>
    public static DevicePlan For(Device device, FitOptions options)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(options);
        if (device.type is not (DeviceType.CPU or DeviceType.CUDA))
        {
            throw new TrainingDeviceException($"{device} is not supported: the trainer runs on cpu or cuda devices.");
        }

        var notes = new List<string>();
        bool onCpu = device.type == DeviceType.CPU;
        if (options.MixedPrecision)
        {
            if (!onCpu)
            {
                throw new TrainingDeviceException(
                    "Mixed precision was requested on CUDA, but TorchSharp 0.107 has no autocast (torch.amp), so it cannot be applied safely. Train without MixedPrecision.");
            }

            notes.Add("mixed precision is a CUDA option; ignored on the CPU.");
        }

        return new DevicePlan(device, options.ChannelsLast, notes);
    }
}

/// <summary>
/// The channels-last (NHWC in memory) layout for 4-D tensors, built from strides: TorchSharp 0.107 declares a
/// <c>memory_format</c> enum but no method takes it (no <c>contiguous(memory_format)</c>, <c>to(..., memory_format)</c>
/// or <c>Module.to(memory_format)</c>).
/// </summary>
public static class ChannelsLast
{
    /// <summary>
    /// A tensor with the same shape (N, C, H, W) and values as <paramref name="tensor"/>, laid out channels-last
    /// in memory (strides (H*W*C, 1, W*C, C)); tensors of another rank are returned unchanged.
    /// </summary>
    /// <param name="tensor">The tensor.</param>
    /// <returns>The channels-last tensor (a new tensor unless the rank is not 4).</returns>
    public static Tensor Convert(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.dim() != 4)
        {
            return tensor;
        }

        using Tensor nhwc = tensor.permute(0, 2, 3, 1);
        using Tensor packed = nhwc.contiguous();
        return packed.permute(0, 3, 1, 2);
    }

    /// <summary>
    /// Lays out every 4-D parameter of <paramref name="module"/> (the convolution weights) channels-last, in place:
    /// the parameters stay the same objects, so an optimizer created before or after sees them, and optimizer
    /// steps, which update in place, keep the layout. Do this before creating the optimizer, so that its state
    /// tensors take the same layout. Buffers and parameters of other ranks are left as they are.
    /// </summary>
    /// <param name="module">The model.</param>
    /// <returns>How many parameters were converted (those already channels-last are not counted).</returns>
    public static int ConvertParameters(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        int converted = 0;
        using var noGrad = no_grad();
        foreach (TorchSharp.Modules.Parameter parameter in module.parameters())
        {
            if (parameter.dim() == 4 && !IsChannelsLast(parameter))
            {
                using Tensor packed = Convert(parameter);
                parameter.set_(packed);
                converted++;
            }
        }

        return converted;
    }

    /// <summary>Whether <paramref name="tensor"/> is a 4-D tensor laid out channels-last.</summary>
    /// <param name="tensor">The tensor.</param>
    /// <returns>True for channels-last strides.</returns>
    public static bool IsChannelsLast(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.dim() != 4)
        {
            return false;
        }

        long[] shape = tensor.shape;
        long[] strides = tensor.stride();
        return strides[1] == 1 && strides[3] == shape[1] && strides[2] == shape[1] * shape[3] && strides[0] == shape[1] * shape[2] * shape[3];
    }
}
