using System;
using System.IO;
using DeclCnn.Runtime.Data;
using Xunit;

namespace DeclCnn.Runtime.Tests.Data;

public sealed class DataRootTests
{
    [Fact]
    public void Explicit_root_wins_then_the_environment_then_the_home_folder()
    {
        string? saved = Environment.GetEnvironmentVariable(DataRoot.EnvironmentVariable);
        string fromEnvironment = Path.Combine(Path.GetTempPath(), "from-env");
        try
        {
            Environment.SetEnvironmentVariable(DataRoot.EnvironmentVariable, fromEnvironment);
            Assert.Equal(Path.GetFullPath("given"), DataRoot.Resolve("given"));
            Assert.Equal(Path.GetFullPath(fromEnvironment), DataRoot.Resolve());

            Environment.SetEnvironmentVariable(DataRoot.EnvironmentVariable, null);
            string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            Assert.Equal(Path.Combine(home, ".declcnn", "data"), DataRoot.Resolve());
            Assert.Equal(Path.Combine(home, ".declcnn", "data", "fashion-mnist"), FashionMnist.GetDirectory());
        }
        finally
        {
            Environment.SetEnvironmentVariable(DataRoot.EnvironmentVariable, saved);
        }
    }
}
