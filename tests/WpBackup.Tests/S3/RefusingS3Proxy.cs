using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace WpBackup.Tests.S3;

/// <summary>
/// A TCP proxy on 127.0.0.1 in front of s3rver that refuses the requests a rule picks with S3's own
/// 403 AccessDenied answer, as a bucket policy would, and passes every other request through unchanged
/// (one request per connection: it asks both sides for "Connection: close"). s3rver itself has no way to
/// refuse one key while storing others. Every request line is recorded in order.
/// </summary>
internal sealed class RefusingS3Proxy : IDisposable
{
    private const string Denied = """<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>""";
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _upstreamPort;
    private readonly Func<string, string, bool> _refuse;
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly CancellationTokenSource _stop = new();

    /// <param name="refuse">
    /// Given the method and the request target (path and query), whether to refuse the request. It runs before the request
    /// is passed on, so a test can also act at that moment (stop the server) and let it through.
    /// </param>
    public RefusingS3Proxy(int upstreamPort, Func<string, string, bool> refuse)
    {
        _upstreamPort = upstreamPort;
        _refuse = refuse;
        _listener.Start();
        _ = Task.Run(AcceptAsync);
    }

    public Uri Endpoint => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    /// <summary>"METHOD target" of every request so far, refused ones as "METHOD target REFUSED".</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var lines = await ReadHeadAsync(stream);
                if (lines is null)
                    return;
                var requestLine = lines[0].Split(' ');
                var (method, target) = (requestLine[0], requestLine[1]);
                if (_refuse(method, target))
                {
                    _requests.Enqueue($"{method} {target} REFUSED");
                    await RefuseAsync(stream, lines);
                    return;
                }
                _requests.Enqueue($"{method} {target}");
                using var upstream = new TcpClient();
                await upstream.ConnectAsync(IPAddress.Loopback, _upstreamPort);
                var server = upstream.GetStream();
                var head = new StringBuilder(lines[0]).Append("\r\n");
                foreach (var header in lines.Skip(1).Where(l => !l.StartsWith("Connection:", StringComparison.OrdinalIgnoreCase)))
                    head.Append(header).Append("\r\n");
                await server.WriteAsync(Encoding.ASCII.GetBytes(head.Append("Connection: close\r\n\r\n").ToString()));
                _ = stream.CopyToAsync(server).ContinueWith(_ => { }, TaskScheduler.Default); // the body; ends when either side closes
                await server.CopyToAsync(stream); // the answer, until the server closes
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
                // the client or the server went away; so does this connection
            }
        }
    }

    /// <summary>Reads the request line and headers (up to the empty line), byte by byte so no body byte is taken; null when the client closed.</summary>
    private static async Task<List<string>?> ReadHeadAsync(NetworkStream stream)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (head.Count < 4 || !(head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
        {
            if (await stream.ReadAsync(one) == 0)
                return null;
            head.Add(one[0]);
        }
        return [.. Encoding.ASCII.GetString([.. head]).Split("\r\n").Where(l => l.Length > 0)];
    }

    /// <summary>Takes the body (after a 100 Continue when the client waits for one), then answers 403 AccessDenied and closes.</summary>
    private static async Task RefuseAsync(NetworkStream stream, List<string> lines)
    {
        string? Header(string name) => lines.Skip(1).Where(l => l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))
            .Select(l => l[(name.Length + 1)..].Trim()).FirstOrDefault();
        if (string.Equals(Header("Expect"), "100-continue", StringComparison.OrdinalIgnoreCase))
            await stream.WriteAsync("HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray());
        var left = long.TryParse(Header("Content-Length"), out var length) ? length : 0;
        var buffer = new byte[64 * 1024];
        while (left > 0)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)));
            if (n == 0)
                return;
            left -= n;
        }
        var body = Encoding.UTF8.GetBytes(Denied);
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"HTTP/1.1 403 Forbidden\r\nContent-Type: application/xml\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n"));
        await stream.WriteAsync(body);
    }
}
