using System.Buffers;
using System.Security.Cryptography;

namespace WpBackup.Core.Crypto;

/// <summary>
/// A write-only stream that encrypts what is written to it into an age v1 file: the header is
/// written by <see cref="Create"/>, then the payload goes out in 64 KiB ChaCha20-Poly1305
/// chunks as data arrives (memory stays at two chunk buffers whatever the size).
/// <para>
/// The last chunk is written by <see cref="FlushFinalBlock"/> or, failing that, by Dispose —
/// as with <see cref="CryptoStream"/>. A file whose producer failed half-way is therefore
/// complete-looking but short: write to a temporary name and keep it only on success.
/// </para>
/// </summary>
public sealed class AgeEncryptStream : Stream
{
    private readonly Stream _output;
    private readonly bool _leaveOpen;
    private readonly ChaCha20Poly1305 _aead;
    private readonly byte[] _plain;
    private readonly byte[] _cipher;
    private readonly byte[] _nonceBytes = new byte[12];
    private AgeChunkNonce _nonce;
    private int _count;
    private long _written;
    private bool _completed;
    private bool _faulted;
    private bool _disposed;

    private AgeEncryptStream(Stream output, byte[] payloadKey, bool leaveOpen)
    {
        _output = output;
        _leaveOpen = leaveOpen;
        _aead = new ChaCha20Poly1305(payloadKey);
        _plain = ArrayPool<byte>.Shared.Rent(AgeFormat.ChunkSize);
        _cipher = ArrayPool<byte>.Shared.Rent(AgeFormat.EncryptedChunkSize);
    }

    /// <summary>
    /// Starts an age file on <paramref name="output"/> for these recipients and writes its header.
    /// A passphrase recipient must be the only one (age's rule); several X25519 recipients may each
    /// decrypt the file.
    /// </summary>
    public static AgeEncryptStream Create(Stream output, IReadOnlyList<AgeRecipient> recipients, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(recipients);
        if (!output.CanWrite)
            throw new ArgumentException("The output stream is not writable.", nameof(output));
        if (recipients.Count == 0)
            throw new AgeKeyException("AgeNoRecipients", "No recipients: an age file needs at least one public key or a passphrase to be encrypted to.");
        if (recipients.Any(r => r is null))
            throw new ArgumentException("A recipient is null.", nameof(recipients));
        if (recipients.Count > 1 && recipients.Any(r => r.MustBeAlone))
            throw new AgeKeyException("AgePassphraseNotAlone",
                "A passphrase cannot be combined with other recipients: age requires a passphrase (scrypt) stanza to be the only one in a file. Encrypt either with the passphrase alone or to public keys only.");
        if (!ChaCha20Poly1305.IsSupported)
            throw new PlatformNotSupportedException("ChaCha20-Poly1305 is not available on this platform (it needs OpenSSL 1.1 or later on Linux).");

        var fileKey = RandomNumberGenerator.GetBytes(AgeFormat.FileKeySize);
        byte[]? payloadKey = null;
        try
        {
            var stanzas = recipients.Select(r => r.Wrap(fileKey)).ToList();
            var header = AgeHeader.Write(stanzas, fileKey);
            var nonce = RandomNumberGenerator.GetBytes(AgeFormat.PayloadNonceSize);
            payloadKey = AgePrimitives.PayloadKey(fileKey, nonce);
            output.Write(header);
            output.Write(nonce);
            return new AgeEncryptStream(output, payloadKey, leaveOpen);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(fileKey);
            if (payloadKey is not null)
                CryptographicOperations.ZeroMemory(payloadKey);
        }
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => !_completed && !_disposed;

    public override long Length => throw new NotSupportedException();

    /// <summary>Plaintext bytes written so far (setting it is not supported).</summary>
    public override long Position
    {
        get => _written;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        Write(buffer.AsSpan(offset, count));
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ThrowIfNotWritable();
        _written += buffer.Length;
        try
        {
            WriteCore(buffer);
        }
        catch
        {
            _faulted = true;
            throw;
        }
    }

    private void WriteCore(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            // A full chunk is sealed only once more data arrives: the last chunk must be marked final.
            if (_count == AgeFormat.ChunkSize)
            {
                _output.Write(_cipher, 0, Seal(_plain.AsSpan(0, _count), last: false));
                _count = 0;
            }

            if (_count == 0 && buffer.Length > AgeFormat.ChunkSize)
            {
                _output.Write(_cipher, 0, Seal(buffer[..AgeFormat.ChunkSize], last: false));
                buffer = buffer[AgeFormat.ChunkSize..];
                continue;
            }

            int n = Math.Min(AgeFormat.ChunkSize - _count, buffer.Length);
            buffer[..n].CopyTo(_plain.AsSpan(_count));
            _count += n;
            buffer = buffer[n..];
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ThrowIfNotWritable();
        _written += buffer.Length;
        try
        {
            await WriteCoreAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _faulted = true;
            throw;
        }
    }

    private async ValueTask WriteCoreAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        while (!buffer.IsEmpty)
        {
            if (_count == AgeFormat.ChunkSize)
            {
                int sealedLength = Seal(_plain.AsSpan(0, _count), last: false);
                await _output.WriteAsync(_cipher.AsMemory(0, sealedLength), cancellationToken).ConfigureAwait(false);
                _count = 0;
            }

            if (_count == 0 && buffer.Length > AgeFormat.ChunkSize)
            {
                int sealedLength = Seal(buffer.Span[..AgeFormat.ChunkSize], last: false);
                await _output.WriteAsync(_cipher.AsMemory(0, sealedLength), cancellationToken).ConfigureAwait(false);
                buffer = buffer[AgeFormat.ChunkSize..];
                continue;
            }

            int n = Math.Min(AgeFormat.ChunkSize - _count, buffer.Length);
            buffer.Span[..n].CopyTo(_plain.AsSpan(_count));
            _count += n;
            buffer = buffer[n..];
        }
    }

    public override void WriteByte(byte value) => Write([value]);

    /// <summary>Flushes the underlying stream. Partial chunks stay buffered: a chunk is sealed only when full or final.</summary>
    public override void Flush()
    {
        if (!_disposed)
            _output.Flush();
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => _disposed ? Task.CompletedTask : _output.FlushAsync(cancellationToken);

    /// <summary>Seals the buffered data as the final chunk and flushes the output. Nothing may be written afterwards.</summary>
    public void FlushFinalBlock()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_completed)
            return;
        ThrowIfFaulted();
        _completed = true;
        _output.Write(_cipher, 0, Seal(_plain.AsSpan(0, _count), last: true));
        _count = 0;
        _output.Flush();
    }

    /// <inheritdoc cref="FlushFinalBlock"/>
    public async ValueTask FlushFinalBlockAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_completed)
            return;
        ThrowIfFaulted();
        _completed = true;
        int sealedLength = Seal(_plain.AsSpan(0, _count), last: true);
        _count = 0;
        await _output.WriteAsync(_cipher.AsMemory(0, sealedLength), cancellationToken).ConfigureAwait(false);
        await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("An AgeEncryptStream is write-only.");

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (_disposed)
            return;
        try
        {
            // After a failed write the output is in an unknown state: leave it unfinished.
            if (disposing && !_faulted)
                FlushFinalBlock();
        }
        finally
        {
            Release();
            if (disposing && !_leaveOpen)
                _output.Dispose();
            base.Dispose(disposing);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        if (_disposed)
            return;
        try
        {
            if (!_faulted)
                await FlushFinalBlockAsync().ConfigureAwait(false);
        }
        finally
        {
            Release();
            if (!_leaveOpen)
                await _output.DisposeAsync().ConfigureAwait(false);
            GC.SuppressFinalize(this);
        }
    }

    /// <summary>Encrypts one chunk into the cipher buffer; returns its length (plaintext + 16-byte tag).</summary>
    private int Seal(ReadOnlySpan<byte> plaintext, bool last)
    {
        _nonce.Write(_nonceBytes, last);
        _aead.Encrypt(_nonceBytes, plaintext, _cipher.AsSpan(0, plaintext.Length), _cipher.AsSpan(plaintext.Length, AgeFormat.TagSize));
        _nonce.Advance();
        return plaintext.Length + AgeFormat.TagSize;
    }

    private void ThrowIfNotWritable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_completed)
            throw new InvalidOperationException("The age file is complete (FlushFinalBlock was called); nothing more can be written.");
        ThrowIfFaulted();
    }

    private void ThrowIfFaulted()
    {
        if (_faulted)
            throw new InvalidOperationException("An earlier write to the output failed; this age file cannot be completed.");
    }

    private void Release()
    {
        _disposed = true;
        _aead.Dispose();
        CryptographicOperations.ZeroMemory(_plain.AsSpan(0, AgeFormat.ChunkSize));
        ArrayPool<byte>.Shared.Return(_plain);
        ArrayPool<byte>.Shared.Return(_cipher);
    }
}
