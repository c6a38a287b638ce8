namespace WpBackup.Core.Hosts;

/// <summary>A 0600 file holding a secret; deleting it is the job of Dispose, which runs in every finally.</summary>
public sealed class PrivateFile(string path, Action<string> delete) : IDisposable
{
    private int _disposed;

    public string Path { get; } = path;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
            delete(Path);
    }
}
