using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using Xunit;

namespace DeclCnn.Packaging.Tests;

/// <summary>
/// Packs DeclCnn and DeclCnn.Runtime as NuGet packages and builds fresh projects that consume them
/// from a local folder feed plus TorchSharp-cpu, exactly as a user would.
/// </summary>
public sealed class PackageConsumerTests : IClassFixture<PackageConsumerTests.LocalFeed>
{
    private const string ValidModel = """
        using System;
        using DeclCnn;
        using static TorchSharp.torch;

        using var model = new Consumer.TinyCnn();
        using var output = model.forward(randn(2, 1, 12, 12));
        Console.WriteLine($"output [{string.Join(", ", output.shape)}]");
        Console.WriteLine($"parameters {Consumer.TinyCnn.Summary.TotalParameters}");

        namespace Consumer
        {
            [Input(1, 12, 12)]
            [Conv(4, 3), ReLU, MaxPool(2)]
            [Flatten, Dense(3)]
            public partial class TinyCnn;
        }
        """;

    private const string BrokenModel = """
        using DeclCnn;

        namespace Consumer;

        [Input(1, 4, 4)]
        [Conv(8, 3), ReLU]
        [MaxPool(3), Flatten, Dense(3)]
        public partial class BrokenCnn;

        [Conv(8, 3), ReLU]
        public partial class ForgottenInput;
        """;

    private readonly LocalFeed feed;

    public PackageConsumerTests(LocalFeed feed) => this.feed = feed;

    [Fact]
    public void A_consumer_project_generates_and_runs_a_declared_network()
    {
        var project = feed.CreateConsumer("valid", ValidModel, outputType: "Exe");

        var run = DotNetCli.Run(project, "run", "-c", "Release");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("output [2, 3]", run.Output, StringComparison.Ordinal);
        // 4*1*3*3+4 = 40 for the convolution, 4*5*5*3+3 = 303 for the dense layer.
        Assert.Contains("parameters 343", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Broken_declarations_fail_the_build_with_DCNN_errors_on_their_lines()
    {
        var project = feed.CreateConsumer("broken", BrokenModel, outputType: "Library");

        var build = DotNetCli.Run(project, "build", "-c", "Release");

        Assert.NotEqual(0, build.ExitCode);
        // MaxPool(3) is on line 7 of Model.cs: 4x4 -> Conv 3x3 -> 8x2x2 -> a 3x3 window fits nowhere (the generator).
        var shapeError = build.Output.Split('\n').FirstOrDefault(static line => line.Contains("error DCNN0013", StringComparison.Ordinal));
        Assert.True(shapeError is not null, build.Output);
        Assert.Contains("Model.cs(7,2): error DCNN0013", shapeError, StringComparison.Ordinal);
        Assert.Contains("8x2x2", shapeError, StringComparison.Ordinal);
        // ForgottenInput, line 11, declares layers without [Input] (the analyzer, shipped in the same assembly).
        Assert.Contains("Model.cs(11,22): error DCNN0003", build.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_DeclCnn_package_carries_the_generator_the_code_fixes_the_docs_and_its_metadata()
    {
        using var package = ZipFile.OpenRead(feed.Package("DeclCnn"));
        var entries = package.Entries.Select(static e => e.FullName).ToList();

        Assert.Contains("analyzers/dotnet/cs/DeclCnn.Generators.dll", entries);
        Assert.Contains("analyzers/dotnet/cs/DeclCnn.CodeFixes.dll", entries);
        Assert.Contains("docs/diagnostics.md", entries);
        Assert.Contains("README.md", entries);

        using var reader = new StreamReader(package.GetEntry("DeclCnn.nuspec")!.Open());
        var nuspec = reader.ReadToEnd();
        Assert.Contains("<readme>README.md</readme>", nuspec, StringComparison.Ordinal);
        Assert.Contains("<license type=\"expression\">MIT</license>", nuspec, StringComparison.Ordinal);
        Assert.Contains("<tags>", nuspec, StringComparison.Ordinal);
        Assert.Contains("<description>Declare convolutional networks", nuspec, StringComparison.Ordinal);
    }

    /// <summary>Packs both packages once, under a version unique to this run so no stale package is reused from the NuGet cache.</summary>
    public sealed class LocalFeed : IDisposable
    {
        private readonly string root = Path.Combine(Path.GetTempPath(), "declcnn-packaging-" + Guid.NewGuid().ToString("N")[..8]);
        private readonly string version = "0.0.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture);

        public LocalFeed()
        {
            var feedDirectory = Path.Combine(root, "feed");
            var repository = FindRepositoryRoot();
            foreach (var project in new[] { "src/DeclCnn/DeclCnn.csproj", "src/DeclCnn.Runtime/DeclCnn.Runtime.csproj" })
            {
                // PackageVersion, not Version: the assemblies keep the repository's version, so the pack rebuilds nothing
                // that other test projects running at the same time read (the generator's version is in generated code).
                var pack = DotNetCli.Run(repository, "pack", project, "-c", "Release", "-o", feedDirectory, $"-p:PackageVersion={version}");
                if (pack.ExitCode != 0)
                {
                    throw new InvalidOperationException($"dotnet pack {project} failed:\n{pack.Output}");
                }
            }

            File.WriteAllText(Path.Combine(root, "NuGet.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <add key="declcnn-local" value="{feedDirectory}" />
                  </packageSources>
                </configuration>
                """);
        }

        /// <summary>The path of a package packed for this run.</summary>
        public string Package(string id) => Path.Combine(root, "feed", $"{id}.{version}.nupkg");

        public string CreateConsumer(string name, string source, string outputType)
        {
            var directory = Path.Combine(root, name);
            Directory.CreateDirectory(directory);
            File.WriteAllText(Path.Combine(directory, $"{name}.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>{outputType}</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                    <NoWarn>NU1603</NoWarn>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="DeclCnn" Version="{version}" />
                    <PackageReference Include="DeclCnn.Runtime" Version="{version}" />
                    <PackageReference Include="TorchSharp-cpu" Version="0.107.0" />
                  </ItemGroup>
                </Project>
                """);
            File.WriteAllText(Path.Combine(directory, "Model.cs"), source);
            return directory;
        }

        public void Dispose() => Directory.Delete(root, recursive: true);

        private static string FindRepositoryRoot()
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "DeclCnn.sln")))
                {
                    return directory.FullName;
                }
            }

            throw new InvalidOperationException($"DeclCnn.sln not found above {AppContext.BaseDirectory}.");
        }
    }
}
