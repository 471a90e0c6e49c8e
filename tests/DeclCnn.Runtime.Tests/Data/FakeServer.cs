using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace DeclCnn.Runtime.Tests.Data;

/// <summary>Answers requests from a table of URIs; anything else is a 404.</summary>
internal sealed class FakeServer : HttpMessageHandler
{
    private readonly Dictionary<string, Func<HttpResponseMessage>> routes = [];

    public int Requests { get; private set; }

    public void Serve(string uri, byte[] body, long? announcedLength = null) => routes[uri] = () =>
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentLength = announcedLength ?? body.Length;
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
    };

    public void ServeBroken(string uri, byte[] body, int breakAfter) => routes[uri] = () =>
        new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new BreakingStream(body, breakAfter)) };

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests++;
        return Task.FromResult(routes.TryGetValue(request.RequestUri!.AbsoluteUri, out var respond)
            ? respond()
            : new HttpResponseMessage(HttpStatusCode.NotFound) { ReasonPhrase = "Not Found" });
    }
}

/// <summary>Delivers the first bytes of a body, then fails like a dropped connection.</summary>
internal sealed class BreakingStream(byte[] body, int breakAfter) : MemoryStream(body)
{
    public override int Read(byte[] buffer, int offset, int count)
    {
        if (Position >= breakAfter)
        {
            throw new IOException("connection reset");
        }

        return base.Read(buffer, offset, (int)Math.Min(count, breakAfter - Position));
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (Position >= breakAfter)
        {
            throw new IOException("connection reset");
        }

        return base.ReadAsync(buffer[..(int)Math.Min(buffer.Length, breakAfter - Position)], cancellationToken);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
}
