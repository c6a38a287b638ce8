using System.Buffers;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;

namespace WpBackup.Core.Crypto;

/// <summary>
/// A read-only stream of the plaintext of an age v1 file. <see cref="Open"/> reads the header,
/// finds the file key with the identities given and verifies the header MAC, so a wrong key or
/// passphrase or an altered header fails there, before any plaintext exists. Reads then decrypt
/// one 64 KiB chunk at a time; a chunk's bytes are returned only after it authenticated, and a
/// file must end with a chunk marked final: altered, reordered, cut or extended ciphertext
/// throws <see cref="AgeDecryptionException"/> instead of yielding data.
/// </summary>
public sealed class AgeDecryptStream : Stream
{
    /// <summary>When the last chunk fails, how many trailing bytes are looked for to name the cause "trailing data".</summary>
    private const int TrailingDataProbe = 4096;

    private readonly AgeInput _input;
    private readonly bool _leaveOpen;
    private readonly ChaCha20Poly1305 _aead;
    private readonly byte[] _encrypted;
    private readonly byte[] _plain;
    private readonly byte[] _nonceBytes = new byte[12];
    private AgeChunkNonce _nonce;
    private int _carried;
    private int _plainPosition;
    private int _plainEnd;
    private long _position;
    private bool _finished;
    private ExceptionDispatchInfo? _failure;
    private bool _disposed;

    /// <summary>Where the payload's first chunk starts in a seekable input; null for one read straight through.</summary>
    private readonly long? _payloadStart;

    private AgeDecryptStream(AgeInput input, byte[] payloadKey, bool leaveOpen)
    {
        _input = input;
        _payloadStart = input.Stream.CanSeek ? input.Position : null;
        _leaveOpen = leaveOpen;
        _aead = new ChaCha20Poly1305(payloadKey);
        // One byte more than a chunk: whether that byte exists tells whether the chunk is the last.
        _encrypted = ArrayPool<byte>.Shared.Rent(AgeFormat.EncryptedChunkSize + 1);
        _plain = ArrayPool<byte>.Shared.Rent(AgeFormat.ChunkSize);
    }

    /// <summary>
    /// Reads the header of the age file on <paramref name="input"/> and unlocks it with the first
    /// identity that opens one of its stanzas. The stream is owned by the result (disposed with it
    /// unless <paramref name="leaveOpen"/>) only once Open returns; when Open throws, the caller still owns it.
    /// </summary>
    /// <exception cref="AgeDecryptionException">
    /// Not an age file, a malformed header, no identity matches (<see cref="AgeFailure.NoMatchingIdentity"/>),
    /// the passphrase is wrong (<see cref="AgeFailure.WrongPassphrase"/>), the scrypt work factor is above
    /// the identity's limit, or the header MAC does not verify.
    /// </exception>
    public static AgeDecryptStream Open(Stream input, IReadOnlyList<AgeIdentity> identities, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(identities);
        if (!input.CanRead)
            throw new ArgumentException("The input stream is not readable.", nameof(input));
        if (identities.Count == 0)
            throw new AgeKeyException("AgeNoIdentities", "No identities: decrypting an age file needs its secret key or its passphrase.");
        if (identities.Any(i => i is null))
            throw new ArgumentException("An identity is null.", nameof(identities));
        if (!ChaCha20Poly1305.IsSupported)
            throw new PlatformNotSupportedException("ChaCha20-Poly1305 is not available on this platform (it needs OpenSSL 1.1 or later on Linux).");

        var buffered = new AgeInput(input);
        var header = AgeHeader.Read(buffered);
        byte[]? fileKey = null;
        byte[]? payloadKey = null;
        try
        {
            foreach (var identity in identities)
            {
                fileKey = identity.Unwrap(header.Stanzas);
                if (fileKey is not null)
                    break;
            }

            if (fileKey is null)
                throw NoMatch(header.Stanzas, identities);

            if (!CryptographicOperations.FixedTimeEquals(AgePrimitives.HeaderMac(fileKey, header.MacInput), header.Mac))
                throw new AgeDecryptionException(AgeFailure.HeaderMacMismatch, "The age header's MAC does not verify: the header was altered after encryption (the key did open a stanza, so this is damage or tampering, not a wrong key).");

            var nonce = new byte[AgeFormat.PayloadNonceSize];
            if (buffered.ReadFull(nonce) != nonce.Length)
                throw new AgeDecryptionException(AgeFailure.Truncated, "The file ends right after its header, before the payload: it was cut short.");
            payloadKey = AgePrimitives.PayloadKey(fileKey, nonce);
            return new AgeDecryptStream(buffered, payloadKey, leaveOpen);
        }
        finally
        {
            if (fileKey is not null)
                CryptographicOperations.ZeroMemory(fileKey);
            if (payloadKey is not null)
                CryptographicOperations.ZeroMemory(payloadKey);
        }
    }

    public override bool CanRead => !_disposed;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    /// <summary>Plaintext bytes returned so far (setting it is not supported).</summary>
    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        return Read(buffer.AsSpan(offset, count));
    }

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _failure?.Throw();
        if (buffer.IsEmpty)
            return 0;
        if (_plainPosition < _plainEnd)
            return CopyPlain(buffer);
        if (_finished)
            return 0;

        int available = _carried + _input.ReadFull(_encrypted.AsSpan(_carried, AgeFormat.EncryptedChunkSize + 1 - _carried));
        return Deliver(available, buffer);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _failure?.Throw();
        if (buffer.IsEmpty)
            return 0;
        if (_plainPosition < _plainEnd)
            return CopyPlain(buffer.Span);
        if (_finished)
            return 0;

        int available = _carried + await _input.ReadFullAsync(_encrypted.AsMemory(_carried, AgeFormat.EncryptedChunkSize + 1 - _carried), cancellationToken).ConfigureAwait(false);
        return Deliver(available, buffer.Span);
    }

    /// <summary>
    /// Moves to plaintext offset <paramref name="offset"/> of a seekable input: STREAM chunks are
    /// sealed one by one with their index in the nonce, so from then on only the chunks from the one
    /// holding that offset are read, each still authenticated (a chunk moved from elsewhere, or an
    /// end cut off, fails as it would reading from the start).
    /// </summary>
    public void SeekPlaintext(long offset)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (_payloadStart is not long start)
            throw new NotSupportedException("Seeking in an age payload needs a seekable input.");
        _failure = null;
        var chunk = offset / AgeFormat.ChunkSize;
        _input.Seek(start + chunk * AgeFormat.EncryptedChunkSize);
        _nonce = new AgeChunkNonce((ulong)chunk);
        _carried = 0;
        _plainPosition = _plainEnd = 0;
        _finished = false;
        _position = chunk * AgeFormat.ChunkSize;
        Span<byte> skipped = stackalloc byte[4096];
        for (var left = offset - _position; left > 0;)
        {
            var n = Read(skipped[..(int)Math.Min(left, skipped.Length)]);
            if (n == 0)
                throw new AgeDecryptionException(AgeFailure.Truncated, $"The age payload ends before plaintext offset {offset}.");
            left -= n;
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("An AgeDecryptStream is read-only.");

    protected override void Dispose(bool disposing)
    {
        if (_disposed)
            return;
        _disposed = true;
        _aead.Dispose();
        CryptographicOperations.ZeroMemory(_plain.AsSpan(0, AgeFormat.ChunkSize));
        ArrayPool<byte>.Shared.Return(_plain);
        ArrayPool<byte>.Shared.Return(_encrypted);
        if (disposing && !_leaveOpen)
            _input.Stream.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>Decrypts the chunk in the buffer (<paramref name="available"/> bytes read) and hands out its start.</summary>
    private int Deliver(int available, Span<byte> buffer)
    {
        // Large reads get the plaintext directly; small ones go through the chunk buffer.
        bool direct = buffer.Length >= AgeFormat.ChunkSize;
        var target = direct ? buffer : _plain.AsSpan(0, AgeFormat.ChunkSize);
        int length;
        try
        {
            length = DecryptChunk(available, target);
        }
        catch (AgeDecryptionException e)
        {
            target.Clear();
            _failure = ExceptionDispatchInfo.Capture(e);
            throw;
        }

        if (direct)
        {
            _position += length;
            return length;
        }

        _plainPosition = 0;
        _plainEnd = length;
        return CopyPlain(buffer);
    }

    private int CopyPlain(Span<byte> buffer)
    {
        int n = Math.Min(buffer.Length, _plainEnd - _plainPosition);
        _plain.AsSpan(_plainPosition, n).CopyTo(buffer);
        _plainPosition += n;
        _position += n;
        return n;
    }

    /// <summary>
    /// Authenticates and decrypts the next chunk into <paramref name="target"/>; returns the plaintext length.
    /// With one byte more than a chunk in hand the chunk cannot be the last; with less, it must be.
    /// </summary>
    private int DecryptChunk(int available, Span<byte> target)
    {
        _carried = 0;
        if (available == AgeFormat.EncryptedChunkSize + 1)
        {
            var chunk = _encrypted.AsSpan(0, AgeFormat.EncryptedChunkSize);
            if (!TryOpen(chunk, target, last: false))
            {
                if (TryOpen(chunk, target, last: true))
                    throw TrailingData();
                throw new AgeDecryptionException(AgeFailure.PayloadAuthenticationFailed,
                    $"Chunk {_nonce.Counter} of the age payload (plaintext offset {ChunkOffset}) does not authenticate: the file was altered or damaged.");
            }

            _encrypted[0] = _encrypted[AgeFormat.EncryptedChunkSize];
            _carried = 1;
            _nonce.Advance();
            return AgeFormat.ChunkSize;
        }

        if (available == 0)
            throw new AgeDecryptionException(AgeFailure.Truncated, _nonce.Counter == 0
                ? "The age payload is missing: the file ends right after the payload nonce."
                : $"The age file ends after {_nonce.Counter} chunks ({ChunkOffset} bytes of plaintext) without its final chunk: it was cut short at a chunk boundary.");
        if (available < AgeFormat.TagSize)
            throw new AgeDecryptionException(AgeFailure.Truncated, $"The age file ends inside chunk {_nonce.Counter}: it was cut short.");

        var last = _encrypted.AsSpan(0, available);
        if (!TryOpen(last, target, last: true))
        {
            // A full chunk that is not final, then the end: its data is genuine and is returned;
            // the next read finds nothing more and reports the truncation.
            if (available == AgeFormat.EncryptedChunkSize && TryOpen(last, target, last: false))
            {
                _nonce.Advance();
                return AgeFormat.ChunkSize;
            }

            if (FindsFinalChunkBefore(available))
                throw TrailingData();
            throw new AgeDecryptionException(AgeFailure.PayloadAuthenticationFailed,
                $"The last chunk of the age payload (chunk {_nonce.Counter}, plaintext offset {ChunkOffset}) does not authenticate: the file was cut short inside a chunk, or altered.");
        }

        if (available == AgeFormat.TagSize && _nonce.Counter != 0)
            throw new AgeDecryptionException(AgeFailure.MalformedPayload, "The age payload ends with an empty final chunk after data, which age forbids.");
        _finished = true;
        _nonce.Advance();
        return available - AgeFormat.TagSize;
    }

    /// <summary>
    /// Diagnosis only, after the last chunk failed: whether a shorter prefix of the buffer is a
    /// valid final chunk, i.e. the file was complete and bytes were appended to it. The search is
    /// bounded; beyond it, appended data is reported as an authentication failure (still refused).
    /// </summary>
    private bool FindsFinalChunkBefore(int available)
    {
        var scratch = _plain.AsSpan(0, AgeFormat.ChunkSize);
        int longest = Math.Min(available - 1, AgeFormat.EncryptedChunkSize);
        int shortest = Math.Max(AgeFormat.TagSize, available - 1 - TrailingDataProbe);
        try
        {
            for (int length = longest; length >= shortest; length--)
            {
                if (TryOpen(_encrypted.AsSpan(0, length), scratch, last: true))
                    return true;
            }

            return false;
        }
        finally
        {
            scratch.Clear();
        }
    }

    private bool TryOpen(ReadOnlySpan<byte> chunk, Span<byte> target, bool last)
    {
        int length = chunk.Length - AgeFormat.TagSize;
        _nonce.Write(_nonceBytes, last);
        try
        {
            _aead.Decrypt(_nonceBytes, chunk[..length], chunk[length..], target[..length]);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
    }

    private long ChunkOffset => (long)_nonce.Counter * AgeFormat.ChunkSize;

    private AgeDecryptionException TrailingData() => new(AgeFailure.TrailingData,
        $"The age file has data after its final chunk (chunk {_nonce.Counter}): bytes were appended to a complete file, which is refused.");

    private static AgeDecryptionException NoMatch(IReadOnlyList<AgeStanza> stanzas, IReadOnlyList<AgeIdentity> identities)
    {
        bool passphraseFile = stanzas.Any(s => s.Type == "scrypt");
        bool passphraseGiven = identities.Any(i => i is AgePassphraseIdentity);
        var keys = identities.OfType<AgeX25519Identity>().Select(i => i.Recipient.PublicKey).ToList();
        if (passphraseFile && passphraseGiven)
            return new AgeDecryptionException(AgeFailure.WrongPassphrase, "The passphrase is wrong: it does not open this age file.");
        if (passphraseFile)
            return new AgeDecryptionException(AgeFailure.NoMatchingIdentity, "The age file is encrypted with a passphrase, and no passphrase was given.");
        var types = string.Join(", ", stanzas.GroupBy(s => s.Type).Select(g => g.Count() == 1 ? g.Key : $"{g.Count()} × {g.Key}"));
        if (keys.Count == 0)
            return new AgeDecryptionException(AgeFailure.NoMatchingIdentity, $"The age file is encrypted to public keys ({types}), not with a passphrase: give the identity file holding the matching secret key.");
        return new AgeDecryptionException(AgeFailure.NoMatchingIdentity,
            $"None of the identities given ({string.Join(", ", keys)}) matches a recipient of this age file ({types}): it was encrypted to other keys.");
    }
}
