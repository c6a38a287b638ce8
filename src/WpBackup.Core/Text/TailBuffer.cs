namespace WpBackup.Core.Text;

/// <summary>Keeps the last bytes of a stream as it passes, e.g. to look for a dump's completion marker.</summary>
internal sealed class TailBuffer(int capacity)
{
    private byte[] _bytes = [];

    public byte[] Bytes => _bytes;

    public void Append(ReadOnlySpan<byte> data)
    {
        var keep = Math.Min(capacity, _bytes.Length + data.Length);
        var next = new byte[keep];
        var fromData = Math.Min(data.Length, keep);
        var fromOld = keep - fromData;
        _bytes.AsSpan(_bytes.Length - fromOld).CopyTo(next);
        data[^fromData..].CopyTo(next.AsSpan(fromOld));
        _bytes = next;
    }
}
