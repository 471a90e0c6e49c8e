using System;
using DeclCnn.Runtime.Tests.Data;
using DeclCnn.Runtime.Training;
using Xunit;
using TorchSharp;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Tests.Training;

/// <summary>Device selection, fallbacks and errors, decided for simulated CUDA availability; the CPU runs the rest.</summary>
public sealed class DeviceTests
{
    public DeviceTests() => Synthetic.EnsureTorch();

    [Fact]
    public void Auto_falls_back_to_the_cpu_with_a_note()
    {
        Device device = DeviceRequest.Auto.Resolve(cudaAvailable: false, cudaDevices: 0, out string? note);

        Assert.Equal(DeviceType.CPU, device.type);
        Assert.Contains("CUDA is not available", note, StringComparison.Ordinal);
    }

    [Fact]
    public void Auto_picks_the_first_cuda_device_when_there_is_one()
    {
        Device device = DeviceRequest.Auto.Resolve(cudaAvailable: true, cudaDevices: 2, out _);
        DevicePlan plan = DevicePlan.For(device, new FitOptions { ChannelsLast = true });

        Assert.Equal((DeviceType.CUDA, 0), (device.type, (int)device.index));
        Assert.True(plan.ChannelsLast);
    }

    [Fact]
    public void Explicit_cuda_without_cuda_is_an_error_that_says_what_to_reference()
    {
        var error = Assert.Throws<TrainingDeviceException>(() => DeviceRequest.Cuda().Resolve(cudaAvailable: false, cudaDevices: 0, out _));

        Assert.Contains("cuda:0 was requested, but torch.cuda.is_available() is false", error.Message, StringComparison.Ordinal);
        Assert.Contains("TorchSharp-cuda-linux", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cuda_index_beyond_the_devices_is_an_error_listing_them()
    {
        var error = Assert.Throws<TrainingDeviceException>(() => DeviceRequest.Cuda(3).Resolve(cudaAvailable: true, cudaDevices: 2, out _));

        Assert.Contains("this machine has 2 CUDA device(s) (cuda:0 to cuda:1)", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, DeviceRequest.Cuda(1).Resolve(true, 2, out _).index);
    }

    [Fact]
    public void Mixed_precision_is_ignored_on_the_cpu_with_a_note_and_refused_on_cuda_while_channels_last_applies_on_both()
    {
        var options = new FitOptions { ChannelsLast = true, MixedPrecision = true };

        DevicePlan cpu = DevicePlan.For(DeviceRequest.Cpu.Resolve(cudaAvailable: true, cudaDevices: 1, out _), options);
        var error = Assert.Throws<TrainingDeviceException>(() => DevicePlan.For(DeviceRequest.Auto.Resolve(true, 1, out _), options));

        Assert.True(cpu.ChannelsLast);
        Assert.Contains("mixed precision", Assert.Single(cpu.Notes), StringComparison.Ordinal);
        Assert.Contains("no autocast", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("auto", "auto")]
    [InlineData("CPU", "cpu")]
    [InlineData("cuda", "cuda:0")]
    [InlineData("cuda:2", "cuda:2")]
    public void Device_requests_parse_and_print(string text, string printed) => Assert.Equal(printed, DeviceRequest.Parse(text).ToString());

    [Fact]
    public void Unknown_device_text_is_rejected() => Assert.Throws<FormatException>(() => DeviceRequest.Parse("tpu"));

    [Fact]
    public void This_process_resolves_auto_to_the_cpu_since_it_loads_TorchSharp_cpu()
    {
        Assert.False(cuda.is_available());
        Assert.Equal(DeviceType.CPU, DeviceRequest.Auto.Resolve().type);
        Assert.Throws<TrainingDeviceException>(() => DeviceRequest.Cuda().Resolve());
    }

    [Fact]
    public void Channels_last_keeps_values_and_changes_strides()
    {
        using var scope = NewDisposeScope();
        Tensor x = arange(2 * 3 * 4 * 5, ScalarType.Float32).reshape(2, 3, 4, 5);

        Tensor converted = ChannelsLast.Convert(x);

        Assert.False(ChannelsLast.IsChannelsLast(x));
        Assert.True(ChannelsLast.IsChannelsLast(converted));
        Assert.Equal(new long[] { 60, 1, 15, 3 }, converted.stride());
        Assert.True(converted.eq(x).all().item<bool>());
    }

    [Fact]
    public void Channels_last_parameters_keep_outputs_and_layout_through_optimizer_steps()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var standard = TinyConvNet();
        using var packed = TinyConvNet();
        packed.load_state_dict(standard.state_dict());

        int converted = ChannelsLast.ConvertParameters(packed);

        // Only the convolution weight is 4-D; the bias and the linear layer keep their layout.
        Assert.Equal(1, converted);
        Tensor convWeight = Parameter(packed, "conv.weight");
        Assert.True(ChannelsLast.IsChannelsLast(convWeight));
        Assert.True(Parameter(packed, "fc.weight").is_contiguous());
        Assert.Equal(0, ChannelsLast.ConvertParameters(packed));

        Tensor images = randn(4, 3, 8, 8);
        Tensor labels = tensor(new long[] { 0, 1, 2, 3 });
        Assert.True(standard.call(images).allclose(packed.call(ChannelsLast.Convert(images)), rtol: 1e-4, atol: 1e-5));

        foreach (var (model, input) in new[] { (standard, images), (packed, ChannelsLast.Convert(images)) })
        {
            var sgd = optim.SGD(model.parameters(), 0.1, momentum: 0.9);
            for (int step = 0; step < 3; step++)
            {
                sgd.zero_grad();
                nn.functional.cross_entropy(model.call(input), labels).backward();
                sgd.step();
            }
        }

        Assert.True(ChannelsLast.IsChannelsLast(convWeight));
        Assert.True(Parameter(standard, "conv.weight").allclose(convWeight, rtol: 1e-4, atol: 1e-5));
        Assert.True(Parameter(standard, "fc.weight").allclose(Parameter(packed, "fc.weight"), rtol: 1e-4, atol: 1e-5));
    }

    private static TorchSharp.Modules.Parameter Parameter(nn.Module module, string name) =>
        module.get_parameter(name) ?? throw new InvalidOperationException($"The model has no parameter {name}.");

    private static nn.Module<Tensor, Tensor> TinyConvNet() =>
        nn.Sequential(("conv", nn.Conv2d(3, 4, 3)), ("relu", nn.ReLU()), ("flatten", nn.Flatten()), ("fc", nn.Linear(4 * 6 * 6, 4)));
}
