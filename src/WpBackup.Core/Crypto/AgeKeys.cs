using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace WpBackup.Core.Crypto;

/// <summary>
/// A new X25519 key pair in age's text forms. <see cref="ToString"/> shows the public key only.
/// </summary>
public sealed class AgeKeyPair
{
    internal AgeKeyPair(string identity, string recipient, DateTimeOffset created)
    {
        Identity = identity;
        Recipient = recipient;
        Created = created;
    }

    /// <summary>The secret key, "AGE-SECRET-KEY-1..." (keep it where backups are restored, not where they are made).</summary>
    public string Identity { get; }

    /// <summary>The public key, "age1...", to encrypt to.</summary>
    public string Recipient { get; }

    public DateTimeOffset Created { get; }

    /// <summary>The identity file text exactly as age-keygen writes it: two comments, then the secret key.</summary>
    public string ToIdentityFileText() =>
        $"# created: {Created.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture)}\n# public key: {Recipient}\n{Identity}\n";

    public override string ToString() => Recipient;
}

/// <summary>Generates and converts age X25519 keys.</summary>
public static class AgeKeys
{
    /// <summary>A new random key pair, as age-keygen makes.</summary>
    public static AgeKeyPair Generate()
    {
        var secret = RandomNumberGenerator.GetBytes(AgeX25519Recipient.KeySize);
        var identity = new AgeX25519Identity(secret);
        var now = DateTimeOffset.UtcNow;
        return new AgeKeyPair(identity.Encode(), identity.Recipient.PublicKey, new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero));
    }

    /// <summary>The public key "age1..." of a secret key "AGE-SECRET-KEY-1..." (age-keygen -y).</summary>
    public static string RecipientOf(string identity) => AgeIdentity.Parse(identity) is AgeX25519Identity x25519
        ? x25519.Recipient.PublicKey
        : throw new AgeKeyException("AgeInvalidIdentity", "Only X25519 secret keys have a public key.");

    /// <summary>
    /// Writes a new identity file as age-keygen -o does. The file must not exist; on Unix it is
    /// created with mode 0600 so the secret is never readable by others, not even briefly.
    /// </summary>
    public static void WriteIdentityFile(string path, AgeKeyPair keyPair)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(keyPair);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        FileStream file;
        try
        {
            file = new FileStream(path, options);
        }
        catch (IOException e) when (File.Exists(path))
        {
            throw new AgeKeyException("AgeIdentityFileExists", $"'{path}' already exists; an identity file is never overwritten (that would lose the key to existing backups).", e);
        }

        using (file)
        {
            file.Write(Encoding.UTF8.GetBytes(keyPair.ToIdentityFileText()));
            file.Flush(flushToDisk: true);
        }
    }
}
