using System;

namespace DeclCnn.Runtime.Tests.Interchange.PyTorch;

/// <summary>
/// The test class's PyTorch session, started by the first test that needs it; where it cannot start, every test that
/// needs it fails with the reason and what to install.
/// </summary>
public sealed class PyTorchFixture : IDisposable
{
    private readonly Lazy<PyTorchSession> session = new(static () => PyTorchSession.Start());

    internal PyTorchSession Session => session.Value;

    public void Dispose()
    {
        if (session.IsValueCreated)
        {
            session.Value.Dispose();
        }
    }
}
