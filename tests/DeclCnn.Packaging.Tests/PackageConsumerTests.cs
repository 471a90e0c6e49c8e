using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using Xunit;

namespace DeclCnn.Packaging.Tests;

/// <summary>
/// Packs DeclCnn, DeclCnn.Runtime, DeclCnn.App and the project template as NuGet packages and builds fresh projects that
/// consume them from a local folder feed plus TorchSharp-cpu, exactly as a user would.
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
    public void The_template_creates_a_project_whose_command_line_lists_its_declared_network()
    {
        string hive = feed.Folder("template-hive");
        string work = feed.Folder("from-template");

        // A custom hive keeps the template out of the user's own dotnet new installation.
        var install = DotNetCli.Run(work, "new", "install", feed.Package("DeclCnn.Templates"), "--debug:custom-hive", hive);
        Assert.True(install.ExitCode == 0, install.Output);
        var created = DotNetCli.Run(work, "new", "declcnn", "-n", "Digits", "--declcnn-version", feed.Version, "--debug:custom-hive", hive);
        Assert.True(created.ExitCode == 0, created.Output);
        string project = Path.Combine(work, "Digits");
        Assert.Contains("return DeclCnn.App.DeclCnnApp.Run(args);", File.ReadAllText(Path.Combine(project, "Program.cs")), StringComparison.Ordinal);
        Assert.Contains("namespace Digits;", File.ReadAllText(Path.Combine(project, "Net.cs")), StringComparison.Ordinal);

        var listed = DotNetCli.Run(project, "run", "-c", "Release", "--", "list");

        // The template's Net is SimpleCnn's architecture: 421,642 parameters, 4,241,152 multiply-adds per image.
        Assert.True(listed.ExitCode == 0, listed.Output);
        var line = listed.Output.Split('\n').FirstOrDefault(static l => l.StartsWith("Net ", StringComparison.Ordinal));
        Assert.True(line is not null, listed.Output);
        Assert.Contains("[N, 1, 28, 28]", line, StringComparison.Ordinal);
        Assert.Contains("421,642", line, StringComparison.Ordinal);
        Assert.Contains("4,241,152", line, StringComparison.Ordinal);
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

    /// <summary>Packs the packages once, under a version unique to this run so no stale package is reused from the NuGet cache.</summary>
    public sealed class LocalFeed : IDisposable
    {
        private readonly string root = Path.Combine(Path.GetTempPath(), "declcnn-packaging-" + Guid.NewGuid().ToString("N")[..8]);
        private readonly string version = "0.0.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture);

        public LocalFeed()
        {
            var feedDirectory = Path.Combine(root, "feed");
            var repository = FindRepositoryRoot();
            foreach (var project in new[] { "src/DeclCnn/DeclCnn.csproj", "src/DeclCnn.Runtime/DeclCnn.Runtime.csproj", "src/DeclCnn.App/DeclCnn.App.csproj", "templates/DeclCnn.Templates/DeclCnn.Templates.csproj" })
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

        /// <summary>The version every package of this run is packed with.</summary>
        public string Version => version;

        /// <summary>A new folder under the feed's root, whose NuGet.config restores from the local feed.</summary>
        public string Folder(string name) => Directory.CreateDirectory(Path.Combine(root, name)).FullName;

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
