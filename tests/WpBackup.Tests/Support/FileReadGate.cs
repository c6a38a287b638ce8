using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace WpBackup.Tests.Support;

/// <summary>
/// Holds the first read of one file, by whatever process makes it, until an action of the test has run;
/// then lets that read and every later one go. A test thus acts at an exact point of another process's
/// work (e.g. while a server's tar has this file open and has sent everything before it) with no sleep.
/// Uses a fanotify permission event, so it needs root on Linux.
/// </summary>
public sealed class FileReadGate : IDisposable
{
    private const uint FanClassContent = 0x04, FanCloexec = 0x01, FanMarkAdd = 0x01, FanAccessPerm = 0x20000, FanAllow = 0x01;
    private const int AtFdCwd = -100, MetadataLength = 24, PollIn = 0x1;

    private readonly int _fanotify;
    private readonly int[] _stop = new int[2];
    private readonly Action<int> _onFirstRead;
    private readonly Thread _thread;

    private FileReadGate(string path, Action<int> onFirstRead)
    {
        _onFirstRead = onFirstRead;
        _fanotify = fanotify_init(FanClassContent | FanCloexec, 0 /* O_RDONLY */);
        if (_fanotify < 0)
            throw new InvalidOperationException($"fanotify_init failed (errno {Marshal.GetLastPInvokeError()}): the test needs root on Linux.");
        if (fanotify_mark(_fanotify, FanMarkAdd, FanAccessPerm, AtFdCwd, path) != 0 || Pipe(_stop) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            Close(_fanotify);
            throw new InvalidOperationException($"Cannot watch reads of '{path}' (errno {errno}).");
        }
        _thread = new Thread(Serve) { IsBackground = true, Name = "FileReadGate" };
        _thread.Start();
    }

    /// <summary>Runs <paramref name="onFirstRead"/> (given the reader's process id) while the first read of <paramref name="path"/> waits.</summary>
    public static FileReadGate Arm(string path, Action<int> onFirstRead) => new(path, onFirstRead);

    private volatile bool _fired;

    /// <summary>Whether a read came and the action ran.</summary>
    public bool Fired => _fired;

    /// <summary>What the action threw, if it did.</summary>
    public Exception? ActionFailure { get; private set; }

    private void Serve()
    {
        var fds = new PollFd[] { new() { Fd = _fanotify, Events = PollIn }, new() { Fd = _stop[0], Events = PollIn } };
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                if (Poll(fds, 2, -1) < 0)
                {
                    if (Marshal.GetLastPInvokeError() == 4 /* EINTR */)
                        continue;
                    return;
                }
                if (fds[1].Revents != 0)
                    return;
                var read = (int)Read(_fanotify, buffer, buffer.Length);
                if (read <= 0)
                    return;
                for (var at = 0; at + MetadataLength <= read;)
                {
                    var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(at));
                    var eventFd = BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(at + 16));
                    var pid = BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(at + 20));
                    if (!_fired)
                        RunAction(pid);
                    Allow(eventFd);
                    at += length;
                }
                if (_fired)
                    return; // closing the group below stops gating: later reads go straight through
            }
        }
        finally
        {
            Close(_fanotify);
        }
    }

    private void RunAction(int pid)
    {
        try { _onFirstRead(pid); }
        catch (Exception e) { ActionFailure = e; }
        _fired = true;
    }

    private void Allow(int eventFd)
    {
        var response = new byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(response, eventFd);
        BinaryPrimitives.WriteUInt32LittleEndian(response.AsSpan(4), FanAllow);
        Write(_fanotify, response, response.Length);
        Close(eventFd);
    }

    public void Dispose()
    {
        Write(_stop[1], [1], 1);
        _thread.Join();
        Close(_stop[0]);
        Close(_stop[1]);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int fanotify_init(uint flags, uint eventFlags);

    [DllImport("libc", SetLastError = true)]
    private static extern int fanotify_mark(int fd, uint flags, ulong mask, int dirFd, string path);

    [DllImport("libc", EntryPoint = "pipe", SetLastError = true)]
    private static extern int Pipe(int[] fds);

    [DllImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static extern int Poll([In, Out] PollFd[] fds, ulong count, int timeout);

    [DllImport("libc", EntryPoint = "read", SetLastError = true)]
    private static extern nint Read(int fd, byte[] buffer, nint count);

    [DllImport("libc", EntryPoint = "write", SetLastError = true)]
    private static extern nint Write(int fd, byte[] buffer, nint count);

    [DllImport("libc", EntryPoint = "close")]
    private static extern int Close(int fd);
}
