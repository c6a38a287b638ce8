using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using WpBackup.Core.Archives;
using WpBackup.Core.Crypto;
using WpBackup.Core.Errors;
using WpBackup.Tests.Ssh;
using WpBackup.Tests.Support;
using static WpBackup.Tests.Crypto.AgeFileLayout;

namespace WpBackup.Tests.Crypto;

/// <summary>
/// The age v1 encryption layer: round trips, interoperability with the real age CLI in both
/// directions (public keys and passphrases), and refusal of wrong keys and damaged files.
/// </summary>
public sealed class AgeTests : IDisposable
{
    private const int Chunk = AgeFormat.ChunkSize;
    private readonly TempFolder _temp = new("wpbackup-age-");
    private readonly AgeKeyPair _key = AgeKeys.Generate();

    public void Dispose() => _temp.Dispose();

    private AgeRecipient[] Recipient => [AgeRecipient.Parse(_key.Recipient)];

    private AgeIdentity[] Identity => [AgeIdentity.Parse(_key.Identity)];

    private static byte[] RandomBytes(int size, int seed = 1)
    {
        var data = new byte[size];
        new Random(seed).NextBytes(data);
        return data;
    }

    private static byte[] Encrypt(byte[] plaintext, IReadOnlyList<AgeRecipient> recipients, int piece = 1000)
    {
        var output = new MemoryStream();
        using (var age = AgeEncryptStream.Create(output, recipients, leaveOpen: true))
        {
            for (int offset = 0; offset < plaintext.Length; offset += piece)
                age.Write(plaintext, offset, Math.Min(piece, plaintext.Length - offset));
        }

        return output.ToArray();
    }

    private static byte[] Decrypt(byte[] ciphertext, IReadOnlyList<AgeIdentity> identities, int readSize = 100_000)
    {
        using var age = AgeDecryptStream.Open(new MemoryStream(ciphertext), identities);
        var result = new MemoryStream();
        var buffer = new byte[readSize];
        int n;
        while ((n = age.Read(buffer, 0, buffer.Length)) > 0)
            result.Write(buffer, 0, n);
        return result.ToArray();
    }

    /// <summary>Decrypts as far as possible; returns the failure and the plaintext handed out before it.</summary>
    private static (AgeDecryptionException Error, byte[] Delivered) DecryptExpectingFailure(byte[] ciphertext, IReadOnlyList<AgeIdentity> identities, int readSize = 8192)
    {
        var delivered = new MemoryStream();
        var error = Assert.Throws<AgeDecryptionException>(() =>
        {
            using var age = AgeDecryptStream.Open(new MemoryStream(ciphertext), identities);
            var buffer = new byte[readSize];
            int n;
            while ((n = age.Read(buffer, 0, buffer.Length)) > 0)
                delivered.Write(buffer, 0, n);
        });
        return (error, delivered.ToArray());
    }

    // ---- Round trips ----

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(Chunk - 1)]
    [InlineData(Chunk)]
    [InlineData(Chunk + 1)]
    [InlineData(3 * Chunk)]
    [InlineData(5 * 1024 * 1024 + 12345)]
    public void Round_trips_keep_every_byte(int size)
    {
        var plaintext = RandomBytes(size);
        var ciphertext = Encrypt(plaintext, Recipient, piece: 4099);

        int chunks = Math.Max(1, (size + Chunk - 1) / Chunk);
        Assert.Equal(PayloadStart(ciphertext) + size + 16 * chunks, ciphertext.Length);
        Assert.True(AgeFormat.IsAgeFile(ciphertext));

        Assert.Equal(plaintext, Decrypt(ciphertext, Identity, readSize: 777));        // small reads, through the chunk buffer
        Assert.Equal(plaintext, Decrypt(ciphertext, Identity, readSize: 3 * Chunk));  // large reads, straight into the caller's buffer
    }

    [Fact]
    public async Task Async_writes_and_reads_round_trip()
    {
        var plaintext = RandomBytes(3 * Chunk + 17, seed: 2);
        var output = new MemoryStream();
        await using (var age = AgeEncryptStream.Create(output, Recipient, leaveOpen: true))
        {
            await age.WriteAsync(plaintext.AsMemory(0, 10));
            await age.WriteAsync(plaintext.AsMemory(10, 2 * Chunk));
            await age.WriteAsync(plaintext.AsMemory(10 + 2 * Chunk));
        }

        await using var reader = AgeDecryptStream.Open(new MemoryStream(output.ToArray()), Identity);
        var result = new MemoryStream();
        await reader.CopyToAsync(result);
        Assert.Equal(plaintext, result.ToArray());
        Assert.Equal(plaintext.Length, reader.Position);
    }

    [Theory]
    [InlineData(3 * Chunk + 5, 0)]
    [InlineData(Chunk, 0)]
    [InlineData(1000, 3)]
    public void Decrypts_from_a_stream_that_returns_a_few_bytes_at_a_time(int size, int trailing)
    {
        var plaintext = RandomBytes(size, seed: 21);
        var ciphertext = Encrypt(plaintext, Recipient).Concat(new byte[trailing]).ToArray();
        using var age = AgeDecryptStream.Open(new TrickleStream(ciphertext), Identity);
        var result = new MemoryStream();
        if (trailing == 0)
        {
            age.CopyTo(result);
            Assert.Equal(plaintext, result.ToArray());
        }
        else
        {
            Assert.Equal(AgeFailure.TrailingData, Assert.Throws<AgeDecryptionException>(() => age.CopyTo(result)).Reason);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(32)]
    [InlineData(47)]
    [InlineData(48)]
    [InlineData(96)]
    [InlineData(100)]
    public void Stanza_bodies_wrap_at_64_columns_and_end_with_a_short_line(int bodyLength)
    {
        var body = RandomBytes(bodyLength, seed: bodyLength);
        var header = AgeHeader.Write([new AgeStanza("example.com/test", ["a", "b"], body), new AgeStanza("X25519", ["c"], new byte[32])], new byte[16]);
        var lines = Encoding.ASCII.GetString(header).Split('\n');
        Assert.Equal("-> example.com/test a b", lines[1]);
        int bodyLines = bodyLength / 48 + 1;
        Assert.All(lines[2..(2 + bodyLines - 1)], l => Assert.Equal(64, l.Length));
        Assert.True(lines[1 + bodyLines].Length < 64);
        Assert.Equal("-> X25519 c", lines[2 + bodyLines]);

        var parsed = AgeHeader.Read(new AgeInput(new MemoryStream(header)));
        Assert.Equal(body, parsed.Stanzas[0].Body);
        Assert.Equal(["a", "b"], parsed.Stanzas[0].Args);
        Assert.Equal(header.AsSpan(0, header.Length - 45).ToArray(), parsed.MacInput);
    }

    [Fact]
    public void Passphrase_round_trip()
    {
        var plaintext = RandomBytes(Chunk + 3);
        var ciphertext = Encrypt(plaintext, [AgeRecipient.FromPassphrase("correct horse", workFactor: 10)]);
        Assert.Contains("-> scrypt ", Encoding.ASCII.GetString(ciphertext, 0, HeaderLength(ciphertext)));
        Assert.Equal(plaintext, Decrypt(ciphertext, [AgeIdentity.FromPassphrase("correct horse")]));

        using var secure = new System.Security.SecureString();
        foreach (var c in "correct horse")
            secure.AppendChar(c);
        Assert.Equal(plaintext, Decrypt(ciphertext, [AgeIdentity.FromPassphrase(secure)]));
    }

    [Fact]
    public void Passphrase_recipients_default_to_age_work_factor()
    {
        var recipient = Assert.IsType<AgePassphraseRecipient>(AgeRecipient.FromPassphrase("x"));
        Assert.Equal(18, recipient.WorkFactor);
        Assert.Equal(22, Assert.IsType<AgePassphraseIdentity>(AgeIdentity.FromPassphrase("x")).MaxWorkFactor);
    }

    [Fact]
    public void Two_recipients_each_decrypt()
    {
        var other = AgeKeys.Generate();
        var plaintext = RandomBytes(100_000, seed: 3);
        var ciphertext = Encrypt(plaintext, [AgeRecipient.Parse(_key.Recipient), AgeRecipient.Parse(other.Recipient)]);

        Assert.Equal(plaintext, Decrypt(ciphertext, [AgeIdentity.Parse(_key.Identity)]));
        Assert.Equal(plaintext, Decrypt(ciphertext, [AgeIdentity.Parse(other.Identity)]));

        // And so does the real age, with either key file.
        var file = _temp.Combine("two.age");
        File.WriteAllBytes(file, ciphertext);
        foreach (var pair in new[] { _key, other })
        {
            var keyFile = _temp.Combine($"key-{pair.Recipient[^6..]}.txt");
            AgeKeys.WriteIdentityFile(keyFile, pair);
            Assert.Equal(plaintext, AgeCli.Check("-d", "-i", keyFile, file));
        }
    }

    [Fact]
    public void Memory_stays_bounded_while_streaming()
    {
        const long size = 600L * 81920; // about 47 MiB
        var path = _temp.Combine("big.age");
        var piece = new byte[81920];
        new Random(20).NextBytes(piece);

        long before = GC.GetAllocatedBytesForCurrentThread();
        using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1))
        using (var age = AgeEncryptStream.Create(file, Recipient))
        {
            for (long written = 0; written < size; written += piece.Length)
                age.Write(piece);
        }

        long encryptAllocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(encryptAllocated < 1024 * 1024, $"encrypting 47 MiB allocated {encryptAllocated:N0} bytes");

        long decrypted = 0;
        before = GC.GetAllocatedBytesForCurrentThread();
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1))
        using (var age = AgeDecryptStream.Open(file, Identity))
        {
            int n;
            while ((n = age.Read(piece)) > 0)
                decrypted += n;
        }

        long decryptAllocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(size, decrypted);
        Assert.True(decryptAllocated < 1024 * 1024, $"decrypting 47 MiB allocated {decryptAllocated:N0} bytes");
    }

    // ---- Interoperability with the age CLI ----

    [Theory]
    [InlineData(0)]
    [InlineData(Chunk)]
    [InlineData(3 * Chunk + 1)]
    [InlineData(5 * 1024 * 1024)]
    public void Our_files_decrypt_with_age_and_an_age_keygen_key(int size)
    {
        var keyFile = _temp.Combine("key.txt");
        var recipient = AgeCli.KeyGen(keyFile);
        var plaintext = RandomBytes(size, seed: 4);
        var file = _temp.Combine("ours.age");
        File.WriteAllBytes(file, Encrypt(plaintext, [AgeRecipient.Parse(recipient)]));

        Assert.Equal(plaintext, AgeCli.Check("-d", "-i", keyFile, file));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(Chunk)]
    [InlineData(Chunk + 1)]
    [InlineData(5 * 1024 * 1024 + 7)]
    public void Files_from_age_decrypt_with_ours(int size)
    {
        var keyFile = _temp.Combine("key.txt");
        var recipient = AgeCli.KeyGen(keyFile);
        var plaintext = RandomBytes(size, seed: 5);
        var input = _temp.Combine("plain.bin");
        var file = _temp.Combine("theirs.age");
        File.WriteAllBytes(input, plaintext);
        AgeCli.Check("-r", recipient, "-o", file, input);

        Assert.Equal(plaintext, Decrypt(File.ReadAllBytes(file), AgeIdentity.ParseFile(keyFile)));
    }

    [Fact]
    public void Files_from_age_with_two_recipients_decrypt_with_either_key()
    {
        var first = _temp.Combine("k1.txt");
        var second = _temp.Combine("k2.txt");
        var r1 = AgeCli.KeyGen(first);
        var r2 = AgeCli.KeyGen(second);
        var plaintext = RandomBytes(70_000, seed: 6);
        var input = _temp.Combine("plain.bin");
        var file = _temp.Combine("theirs.age");
        File.WriteAllBytes(input, plaintext);
        AgeCli.Check("-r", r1, "-r", r2, "-o", file, input);

        Assert.Equal(plaintext, Decrypt(File.ReadAllBytes(file), AgeIdentity.ParseFile(first)));
        Assert.Equal(plaintext, Decrypt(File.ReadAllBytes(file), AgeIdentity.ParseFile(second)));
    }

    [Fact]
    public void Files_from_age_passphrase_decrypt_with_ours()
    {
        var plaintext = RandomBytes(Chunk + 99, seed: 7);
        var input = _temp.Combine("plain.bin");
        var file = _temp.Combine("theirs-p.age");
        File.WriteAllBytes(input, plaintext);

        var (exit, terminal) = AgeCli.RunWithPassphrase(["tr0ub4dor & 3 ünïcode", "tr0ub4dor & 3 ünïcode"], "-p", "-o", file, input);
        Assert.True(exit == 0, terminal);

        var ciphertext = File.ReadAllBytes(file);
        Assert.Contains("-> scrypt ", Encoding.ASCII.GetString(ciphertext, 0, HeaderLength(ciphertext)));
        Assert.Equal(plaintext, Decrypt(ciphertext, [AgeIdentity.FromPassphrase("tr0ub4dor & 3 ünïcode")]));
    }

    [Fact]
    public void Our_passphrase_files_decrypt_with_age()
    {
        var plaintext = RandomBytes(2 * Chunk, seed: 8);
        var file = _temp.Combine("ours-p.age");
        var output = _temp.Combine("ours-p.out");
        File.WriteAllBytes(file, Encrypt(plaintext, [AgeRecipient.FromPassphrase("pässword with spaces", workFactor: 12)]));

        var (exit, terminal) = AgeCli.RunWithPassphrase(["pässword with spaces"], "-d", "-o", output, file);
        Assert.True(exit == 0, terminal);
        Assert.Equal(plaintext, File.ReadAllBytes(output));

        File.Delete(output);
        var (wrongExit, wrongTerminal) = AgeCli.RunWithPassphrase(["not it"], "-d", "-o", output, file);
        Assert.NotEqual(0, wrongExit);
        Assert.Contains("incorrect passphrase", wrongTerminal);
    }

    [Fact]
    public void Encrypted_zstd_tar_from_our_streams_lists_and_extracts_with_age_and_tar()
    {
        var keyFile = _temp.Combine("key.txt");
        var recipient = AgeCli.KeyGen(keyFile);
        var big = RandomBytes(300_000, seed: 9);
        var archive = _temp.Combine("site.tar.zst.age");

        using (var file = File.Create(archive))
        using (var age = AgeEncryptStream.Create(file, [AgeRecipient.Parse(recipient)]))
        {
            using (var zstd = ZstdStreams.Compress(age, ZstdStreams.DefaultLevel, 2))
            using (var tar = new TarWriter(zstd, TarEntryFormat.Pax, leaveOpen: true))
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "files/"));
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "files/wp-config.php") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes("<?php define('DB_NAME', 'wp');\n")) });
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "files/big.bin") { DataStream = new MemoryStream(big) });
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "database.sql") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes("CREATE TABLE wp_posts (id int);\n")) });
            }
        }

        var list = ExternalTool.Run("bash", "-o", "pipefail", "-c", $"age -d -i '{keyFile}' '{archive}' | tar --zstd -t");
        Assert.True(list.ExitCode == 0, list.StandardError);
        Assert.Equal(["files/", "files/wp-config.php", "files/big.bin", "database.sql"], list.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        var extracted = ExternalTool.Run("bash", "-o", "pipefail", "-c", $"age -d -i '{keyFile}' '{archive}' | tar --zstd -xO files/big.bin");
        Assert.Equal(0, extracted.ExitCode);
        Assert.Equal(big, extracted.StandardOutputBytes);
    }

    [Fact]
    public void Encrypted_zstd_tar_from_tar_and_age_reads_with_our_streams()
    {
        var tree = Directory.CreateDirectory(_temp.Combine("tree")).FullName;
        File.WriteAllText(Path.Combine(tree, "index.php"), "<?php // Silence is golden.\n");
        File.WriteAllBytes(Path.Combine(tree, "upload.bin"), RandomBytes(200_000, seed: 10));
        var archive = _temp.Combine("theirs.tar.zst.age");

        var made = ExternalTool.Run("bash", "-o", "pipefail", "-c", $"tar --zstd -C '{tree}' -cf - index.php upload.bin | age -r {_key.Recipient} > '{archive}'");
        Assert.True(made.ExitCode == 0, made.StandardError);

        using var age = AgeDecryptStream.Open(File.OpenRead(archive), Identity);
        using var zstd = ZstdStreams.Decompress(age);
        using var tar = new TarReader(zstd);
        var contents = new Dictionary<string, byte[]>();
        while (tar.GetNextEntry() is { } entry)
        {
            var data = new MemoryStream();
            entry.DataStream?.CopyTo(data);
            contents[entry.Name] = data.ToArray();
        }

        Assert.Equal(File.ReadAllBytes(Path.Combine(tree, "upload.bin")), contents["upload.bin"]);
        Assert.Equal("<?php // Silence is golden.\n", Encoding.UTF8.GetString(contents["index.php"]));
    }

    // ---- Wrong keys fail before any plaintext ----

    [Fact]
    public void A_wrong_identity_fails_in_open_before_any_output()
    {
        var ciphertext = Encrypt(RandomBytes(1000), Recipient);
        var stranger = AgeKeys.Generate();
        var input = new MemoryStream(ciphertext);

        var error = Assert.Throws<AgeDecryptionException>(() => AgeDecryptStream.Open(input, [AgeIdentity.Parse(stranger.Identity)]));
        Assert.Equal(AgeFailure.NoMatchingIdentity, error.Reason);
        Assert.Equal("AgeNoMatchingIdentity", error.ErrorId);
        Assert.Equal(FailureKind.InvalidArgument, error.Kind);
        Assert.Contains(stranger.Recipient, error.Message);
        Assert.DoesNotContain(stranger.Identity, error.Message);

        var passphrase = Assert.Throws<AgeDecryptionException>(() => AgeDecryptStream.Open(new MemoryStream(ciphertext), [AgeIdentity.FromPassphrase("guess")]));
        Assert.Equal(AgeFailure.NoMatchingIdentity, passphrase.Reason);
        Assert.Contains("not with a passphrase", passphrase.Message);
    }

    [Fact]
    public void Several_identities_are_tried_in_turn()
    {
        var ciphertext = Encrypt(RandomBytes(10), Recipient);
        Assert.Equal(RandomBytes(10), Decrypt(ciphertext, [AgeIdentity.Parse(AgeKeys.Generate().Identity), AgeIdentity.FromPassphrase("no"), AgeIdentity.Parse(_key.Identity)]));
    }

    [Fact]
    public void A_wrong_passphrase_fails_in_open_before_any_output()
    {
        var ciphertext = Encrypt(RandomBytes(1000), [AgeRecipient.FromPassphrase("right", workFactor: 10)]);

        var error = Assert.Throws<AgeDecryptionException>(() => AgeDecryptStream.Open(new MemoryStream(ciphertext), [AgeIdentity.FromPassphrase("wrong")]));
        Assert.Equal(AgeFailure.WrongPassphrase, error.Reason);

        var noPassphrase = Assert.Throws<AgeDecryptionException>(() => AgeDecryptStream.Open(new MemoryStream(ciphertext), Identity));
        Assert.Equal(AgeFailure.NoMatchingIdentity, noPassphrase.Reason);
        Assert.Contains("passphrase", noPassphrase.Message);
    }

    [Fact]
    public void A_work_factor_above_the_limit_is_refused_without_computing_it()
    {
        var ciphertext = Encrypt(RandomBytes(10), [AgeRecipient.FromPassphrase("pw", workFactor: 12)]);
        var error = Assert.Throws<AgeDecryptionException>(() => AgeDecryptStream.Open(new MemoryStream(ciphertext), [AgeIdentity.FromPassphrase("pw", maxWorkFactor: 11)]));
        Assert.Equal(AgeFailure.WorkFactorTooHigh, error.Reason);
        Assert.Contains("2^12", error.Message);

        // A hostile header asking for 2^23 (8 GiB) or 2^40 is refused at once with age's default limit of 22.
        foreach (var factor in new[] { "23", "40", "99999999999" })
        {
            var crafted = CraftHeader(new AgeStanza("scrypt", [AgeBase64Encode(new byte[16]), factor], new byte[32]));
            var refused = Assert.Throws<AgeDecryptionException>(() => AgeDecryptStream.Open(new MemoryStream(crafted), [AgeIdentity.FromPassphrase("pw")]));
            Assert.Equal(AgeFailure.WorkFactorTooHigh, refused.Reason);
        }

        foreach (var factor in new[] { "018", "0", "-1", "1e1" })
        {
            var crafted = CraftHeader(new AgeStanza("scrypt", [AgeBase64Encode(new byte[16]), factor], new byte[32]));
            var refused = Assert.Throws<AgeDecryptionException>(() => AgeDecryptStream.Open(new MemoryStream(crafted), [AgeIdentity.FromPassphrase("pw")]));
            Assert.Equal(AgeFailure.MalformedHeader, refused.Reason);
        }
    }

    // ---- Passphrases must be alone ----

    [Fact]
    public void A_passphrase_with_another_recipient_is_refused()
    {
        var error = Assert.Throws<AgeKeyException>(() => AgeEncryptStream.Create(new MemoryStream(), [AgeRecipient.FromPassphrase("pw", 10), AgeRecipient.Parse(_key.Recipient)]));
        Assert.Equal("AgePassphraseNotAlone", error.ErrorId);
        Assert.Contains("only one", error.Message);

        var two = Assert.Throws<AgeKeyException>(() => AgeEncryptStream.Create(new MemoryStream(), [AgeRecipient.FromPassphrase("a", 10), AgeRecipient.FromPassphrase("b", 10)]));
        Assert.Equal("AgePassphraseNotAlone", two.ErrorId);
    }

    [Fact]
    public void A_file_mixing_scrypt_with_other_stanzas_is_refused_for_a_passphrase()
    {
        var fileKey = RandomNumberGenerator.GetBytes(16);
        var scrypt = ((AgeRecipient)AgeRecipient.FromPassphrase("pw", 10)).Wrap(fileKey);
        var x25519 = AgeRecipient.Parse(_key.Recipient).Wrap(fileKey);
        var header = AgeHeader.Write([scrypt, x25519], fileKey);

        var error = Assert.Throws<AgeDecryptionException>(() => AgeDecryptStream.Open(new MemoryStream([.. header, .. new byte[40]]), [AgeIdentity.FromPassphrase("pw")]));
        Assert.Equal(AgeFailure.PassphraseNotAlone, error.Reason);
    }

    // ---- Damage and tampering ----

    [Fact]
    public void Any_flipped_header_or_nonce_byte_is_refused_before_output()
    {
        var plaintext = RandomBytes(2 * Chunk + 10, seed: 11);
        var ciphertext = Encrypt(plaintext, Recipient);
        int headerLength = HeaderLength(ciphertext);
        for (int i = 0; i < headerLength + 16; i++)
        {
            var damaged = (byte[])ciphertext.Clone();
            damaged[i] ^= 0x01;
            var (error, delivered) = DecryptExpectingFailure(damaged, Identity);
            Assert.Empty(delivered);
            if (i >= headerLength)
                Assert.Equal(AgeFailure.PayloadAuthenticationFailed, error.Reason); // the payload nonce: every chunk key changes
        }
    }

    [Fact]
    public void A_changed_header_line_fails_the_header_mac()
    {
        var ciphertext = Encrypt(RandomBytes(100), Recipient);
        int headerLength = HeaderLength(ciphertext);
        var text = Encoding.ASCII.GetString(ciphertext, 0, headerLength);

        // An extra stanza that no identity uses: only the MAC can notice it.
        var extended = text.Replace("\n---", "\n-> grease x\n\n---");
        var (error, delivered) = DecryptExpectingFailure([.. Encoding.ASCII.GetBytes(extended), .. ciphertext[headerLength..]], Identity);
        Assert.Equal(AgeFailure.HeaderMacMismatch, error.Reason);
        Assert.Empty(delivered);

        // A flipped MAC character.
        int mac = text.LastIndexOf("--- ", StringComparison.Ordinal) + 4;
        var damaged = (byte[])ciphertext.Clone();
        damaged[mac] = (byte)(damaged[mac] == (byte)'A' ? 'B' : 'A');
        Assert.Equal(AgeFailure.HeaderMacMismatch, DecryptExpectingFailure(damaged, Identity).Error.Reason);
    }

    [Fact]
    public void A_stanza_for_someone_else_altered_fails_the_mac_for_us()
    {
        var other = AgeKeys.Generate();
        var ciphertext = Encrypt(RandomBytes(100), [AgeRecipient.Parse(other.Recipient), AgeRecipient.Parse(_key.Recipient)]);
        var text = Encoding.ASCII.GetString(ciphertext, 0, HeaderLength(ciphertext));
        int firstBody = text.IndexOf('\n', text.IndexOf("-> X25519", StringComparison.Ordinal)) + 1;
        var damaged = (byte[])ciphertext.Clone();
        damaged[firstBody + 5] = (byte)(damaged[firstBody + 5] == (byte)'A' ? 'B' : 'A');

        Assert.Equal(AgeFailure.HeaderMacMismatch, DecryptExpectingFailure(damaged, Identity).Error.Reason);
    }

    [Fact]
    public void A_flipped_payload_byte_is_refused_and_nothing_of_its_chunk_is_returned()
    {
        var plaintext = RandomBytes(3 * Chunk + 500, seed: 12);
        var ciphertext = Encrypt(plaintext, Recipient);
        int payload = PayloadStart(ciphertext);
        int encryptedChunk = Chunk + 16;
        var random = new Random(13);
        var positions = new List<int>();
        for (int c = 0; c < 4; c++)
        {
            int start = payload + c * encryptedChunk;
            int end = Math.Min(start + encryptedChunk, ciphertext.Length);
            positions.AddRange([start, end - 17, end - 16, end - 1, random.Next(start, end)]);
        }

        foreach (var position in positions)
        {
            var damaged = (byte[])ciphertext.Clone();
            damaged[position] ^= (byte)(1 << random.Next(8));
            var (error, delivered) = DecryptExpectingFailure(damaged, Identity, readSize: 1000);
            int chunk = (position - payload) / encryptedChunk;
            Assert.Equal(AgeFailure.PayloadAuthenticationFailed, error.Reason);
            Assert.Equal(FailureKind.Verification, error.Kind);
            Assert.Equal(chunk * Chunk, delivered.Length);                       // everything before the damaged chunk, nothing of it
            Assert.Equal(plaintext[..delivered.Length], delivered);
        }
    }

    [Fact]
    public void Swapped_chunks_are_refused()
    {
        var ciphertext = Encrypt(RandomBytes(3 * Chunk + 1, seed: 14), Recipient);
        int a = PayloadStart(ciphertext), b = a + Chunk + 16;
        var swapped = (byte[])ciphertext.Clone();
        ciphertext.AsSpan(a, Chunk + 16).CopyTo(swapped.AsSpan(b));
        ciphertext.AsSpan(b, Chunk + 16).CopyTo(swapped.AsSpan(a));

        var (error, delivered) = DecryptExpectingFailure(swapped, Identity);
        Assert.Equal(AgeFailure.PayloadAuthenticationFailed, error.Reason);
        Assert.Empty(delivered);
    }

    [Theory]
    [InlineData(3 * Chunk + 100, 2)]   // cut after two full chunks of four
    [InlineData(3 * Chunk + 100, 3)]   // cut after three: the last full chunk is there, the final short one is not
    [InlineData(2 * Chunk, 1)]         // the final chunk is full-size; cut after the first
    [InlineData(Chunk + 1, 0)]         // cut right after the nonce
    public void A_file_cut_at_a_chunk_boundary_is_truncated(int size, int chunksKept)
    {
        var plaintext = RandomBytes(size, seed: 15);
        var ciphertext = Encrypt(plaintext, Recipient);
        var cut = ciphertext[..(PayloadStart(ciphertext) + chunksKept * (Chunk + 16))];

        foreach (var readSize in new[] { 1000, 4 * Chunk })
        {
            var (error, delivered) = DecryptExpectingFailure(cut, Identity, readSize);
            Assert.Equal(AgeFailure.Truncated, error.Reason);
            Assert.Equal(plaintext[..(chunksKept * Chunk)], delivered);
        }

        // age agrees that it is broken.
        var file = _temp.Combine("cut.age");
        var keyFile = _temp.Combine("k.txt");
        File.WriteAllBytes(file, cut);
        AgeKeys.WriteIdentityFile(keyFile, _key);
        Assert.NotEqual(0, AgeCli.Run("-d", "-i", keyFile, "-o", _temp.Combine("cut.out"), file).ExitCode);
    }

    [Theory]
    [InlineData(3 * Chunk + 100, 2, 1000)]    // inside a full chunk
    [InlineData(3 * Chunk + 100, 3, 50)]      // inside the short final chunk
    [InlineData(Chunk, 0, Chunk)]             // the full-size final chunk without its 16-byte tag
    [InlineData(100, 0, 10)]                  // shorter than a tag
    public void A_file_cut_inside_a_chunk_is_refused(int size, int fullChunks, int extra)
    {
        var plaintext = RandomBytes(size, seed: 16);
        var ciphertext = Encrypt(plaintext, Recipient);
        var cut = ciphertext[..(PayloadStart(ciphertext) + fullChunks * (Chunk + 16) + extra)];

        var (error, delivered) = DecryptExpectingFailure(cut, Identity);
        // Cut inside a chunk, the remaining bytes cannot be told from an altered final chunk:
        // below a tag's length it is certainly truncation; otherwise authentication fails.
        Assert.Equal(extra < 16 ? AgeFailure.Truncated : AgeFailure.PayloadAuthenticationFailed, error.Reason);
        Assert.Contains("cut short", error.Message);
        Assert.Equal(plaintext[..(fullChunks * Chunk)], delivered);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1000, 1)]
    [InlineData(1000, 300)]
    [InlineData(Chunk, 1)]              // full-size final chunk followed by data
    [InlineData(Chunk, 5000)]
    [InlineData(3 * Chunk + 5, 1)]
    [InlineData(3 * Chunk + 5, 4000)]
    public void Data_after_the_final_chunk_is_refused(int size, int trailing)
    {
        var plaintext = RandomBytes(size, seed: 17);
        var ciphertext = Encrypt(plaintext, Recipient);
        var extended = ciphertext.Concat(RandomBytes(trailing, seed: 18)).ToArray();

        var (error, delivered) = DecryptExpectingFailure(extended, Identity);
        Assert.Equal(AgeFailure.TrailingData, error.Reason);
        Assert.Equal(plaintext[..(size / Chunk * Chunk == size && size > 0 ? size - Chunk : size / Chunk * Chunk)], delivered);
    }

    [Fact]
    public void Trailing_data_after_a_file_made_by_age_is_refused()
    {
        var keyFile = _temp.Combine("key.txt");
        var recipient = AgeCli.KeyGen(keyFile);
        var input = _temp.Combine("plain.bin");
        var file = _temp.Combine("theirs.age");
        File.WriteAllBytes(input, RandomBytes(5000, seed: 19));
        AgeCli.Check("-r", recipient, "-o", file, input);

        var (error, _) = DecryptExpectingFailure([.. File.ReadAllBytes(file), (byte)'\n'], AgeIdentity.ParseFile(keyFile));
        Assert.Equal(AgeFailure.TrailingData, error.Reason);
    }

    [Fact]
    public void Other_inputs_are_named_for_what_they_are()
    {
        Assert.Equal(AgeFailure.NotAgeFile, OpenFails([]));
        Assert.Equal(AgeFailure.NotAgeFile, OpenFails([0x28, 0xb5, 0x2f, 0xfd, 1, 2, 3]));
        Assert.Equal(AgeFailure.Truncated, OpenFails("age-encr"u8.ToArray()));
        Assert.Equal(AgeFailure.UnsupportedFormat, OpenFails("age-encryption.org/v2\n-> X 1\n\n--- x\n"u8.ToArray()));
        Assert.Equal(AgeFailure.MalformedHeader, OpenFails("age-encryption.org/v1\n--- AAAA\n"u8.ToArray()));
        Assert.Equal(AgeFailure.MalformedHeader, OpenFails("age-encryption.org/v1\n-> X25519 abc\n====\n--- x\n"u8.ToArray()));
        Assert.Equal(AgeFailure.Truncated, OpenFails(Encrypt([], Recipient)[..40]));

        var keyFile = _temp.Combine("key.txt");
        var recipient = AgeCli.KeyGen(keyFile);
        var input = _temp.Combine("plain.txt");
        var armored = _temp.Combine("armored.age");
        File.WriteAllText(input, "hello");
        AgeCli.Check("-a", "-r", recipient, "-o", armored, input);
        Assert.Equal(AgeFailure.UnsupportedFormat, OpenFails(File.ReadAllBytes(armored)));
    }

    private AgeFailure OpenFails(byte[] data) =>
        Assert.Throws<AgeDecryptionException>(() => AgeDecryptStream.Open(new MemoryStream(data), Identity)).Reason;

    [Fact]
    public void IsAgeFile_checks_the_magic_and_leaves_the_stream_where_it_was()
    {
        var ciphertext = Encrypt([1, 2, 3], Recipient);
        var stream = new MemoryStream(ciphertext);
        Assert.True(AgeFormat.IsAgeFile(stream));
        Assert.Equal(0, stream.Position);
        Assert.False(AgeFormat.IsAgeFile("age-encryption.org/v2\n"u8));
        Assert.False(AgeFormat.IsAgeFile([0x28, 0xb5, 0x2f, 0xfd]));
        Assert.False(AgeFormat.IsAgeFile(new MemoryStream()));

        var path = _temp.Combine("x.age");
        File.WriteAllBytes(path, ciphertext);
        Assert.True(AgeFormat.IsAgeFile(path));
    }

    [Fact]
    public void The_encrypt_stream_finishes_once_and_then_refuses_writes()
    {
        var output = new MemoryStream();
        var age = AgeEncryptStream.Create(output, Recipient, leaveOpen: true);
        age.Write([1, 2, 3]);
        age.FlushFinalBlock();
        long length = output.Length;
        Assert.Throws<InvalidOperationException>(() => age.Write([4]));
        age.Dispose();
        Assert.Equal(length, output.Length);
        Assert.Equal(new byte[] { 1, 2, 3 }, Decrypt(output.ToArray(), Identity));
        Assert.Throws<ObjectDisposedException>(() => age.Write([4]));
    }

    // ---- helpers ----

    private byte[] CraftHeader(params AgeStanza[] stanzas) => [.. AgeHeader.Write(stanzas, new byte[16]), .. new byte[64]];

    private static string AgeBase64Encode(byte[] data) => Convert.ToBase64String(data).TrimEnd('=');

    /// <summary>A non-seekable stream that hands out at most 7 bytes per read.</summary>
    private sealed class TrickleStream(byte[] data) : Stream
    {
        private int _position;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = Math.Min(Math.Min(count, 7), data.Length - _position);
            Array.Copy(data, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
