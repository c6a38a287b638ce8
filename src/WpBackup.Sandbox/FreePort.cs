using System.Net;
using System.Net.Sockets;

namespace WpBackup.Sandbox;

/// <summary>Asks the kernel for an unused TCP port on 127.0.0.1.</summary>
public static class FreePort
{
    /// <summary>
    /// A port that was free a moment ago. Another process could take it before the caller
    /// binds it, so callers that start servers retry on "address in use".
    /// </summary>
    public static int Next()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try { return ((IPEndPoint)listener.LocalEndpoint).Port; }
        finally { listener.Stop(); }
    }
}
