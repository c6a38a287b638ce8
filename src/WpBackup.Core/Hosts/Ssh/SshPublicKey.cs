using System.Buffers.Binary;
using System.Text;

namespace WpBackup.Core.Hosts.Ssh;

/// <summary>
/// A public key in OpenSSH's one-line form (<c>type base64 [comment]</c>, as in .pub files,
/// authorized_keys and the key part of known_hosts), and helpers for raw key blobs.
/// </summary>
public sealed class SshPublicKey
{
    public SshPublicKey(string keyType, byte[] blob, string? comment = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyType);
        ArgumentNullException.ThrowIfNull(blob);
        KeyType = keyType;
        Blob = blob;
        Comment = comment;
    }

    /// <summary>Key type name as written on file, e.g. <c>ssh-ed25519</c>, <c>ssh-rsa</c>, <c>ecdsa-sha2-nistp256</c>.</summary>
    public string KeyType { get; }

    /// <summary>The SSH wire form of the key (what is base64-encoded on file).</summary>
    public byte[] Blob { get; }

    public string? Comment { get; }

    /// <summary><c>SHA256:...</c> as ssh-keygen -l prints it.</summary>
    public string Fingerprint => Ssh.Fingerprint.Sha256(Blob);

    /// <summary><c>type base64</c>, the form known_hosts and authorized_keys hold.</summary>
    public string ToOpenSshString() => KeyType + " " + Convert.ToBase64String(Blob);

    /// <summary>Parses <c>type base64 [comment]</c>; the blob's own type must equal the written type.</summary>
    public static SshPublicKey Parse(string text)
    {
        if (!TryParse(text, out var key, out var error))
        {
            throw new FormatException(error);
        }

        return key;
    }

    public static bool TryParse(string text, out SshPublicKey key) => TryParse(text, out key, out _);

    private static bool TryParse(string text, out SshPublicKey key, out string error)
    {
        key = null!;
        var parts = (text ?? string.Empty).Trim().Split([' ', '\t'], 3, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2)
        {
            error = "Expected 'key-type base64-key [comment]'.";
            return false;
        }

        byte[] blob;
        try
        {
            blob = Convert.FromBase64String(parts[1]);
        }
        catch (FormatException)
        {
            error = "The key is not valid base64.";
            return false;
        }

        if (!TryReadKeyType(blob, out var blobType) || blobType != parts[0])
        {
            error = $"The key data does not hold a '{parts[0]}' key.";
            return false;
        }

        key = new SshPublicKey(parts[0], blob, parts.Length > 2 ? parts[2].Trim() : null);
        error = string.Empty;
        return true;
    }

    /// <summary>The key type a blob declares (its first SSH string), e.g. <c>ssh-ed25519</c>.</summary>
    public static string ReadKeyType(byte[] blob) =>
        TryReadKeyType(blob, out var type) ? type : throw new FormatException("Not an SSH public key blob.");

    public static bool TryReadKeyType(ReadOnlySpan<byte> blob, out string keyType)
    {
        keyType = string.Empty;
        if (blob.Length < 4)
        {
            return false;
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(blob);
        if (length == 0 || length > 256 || length > (uint)(blob.Length - 4))
        {
            return false;
        }

        var name = blob.Slice(4, (int)length);
        foreach (var b in name)
        {
            if (b <= 0x20 || b >= 0x7f)
            {
                return false;
            }
        }

        keyType = Encoding.ASCII.GetString(name);
        return true;
    }

    /// <summary>
    /// Maps a signature/host-key algorithm name to the key type written on file:
    /// <c>rsa-sha2-256</c> and <c>rsa-sha2-512</c> are RSA keys stored as <c>ssh-rsa</c>
    /// (and likewise their certificate forms). Other names are returned unchanged.
    /// </summary>
    public static string NormalizeKeyType(string algorithm) => algorithm switch
    {
        "rsa-sha2-256" or "rsa-sha2-512" => "ssh-rsa",
        "rsa-sha2-256-cert-v01@openssh.com" or "rsa-sha2-512-cert-v01@openssh.com" => "ssh-rsa-cert-v01@openssh.com",
        _ => algorithm,
    };

    /// <summary>The short name OpenSSH uses in messages: ED25519, RSA, ECDSA, DSA, ED25519-SK, ECDSA-SK.</summary>
    public static string DisplayName(string keyType)
    {
        var type = NormalizeKeyType(keyType);
        var cert = type.EndsWith("-cert-v01@openssh.com", StringComparison.Ordinal);
        if (cert)
        {
            type = type[..^"-cert-v01@openssh.com".Length];
        }

        var name = type switch
        {
            "ssh-ed25519" => "ED25519",
            "ssh-rsa" => "RSA",
            "ssh-dss" => "DSA",
            "sk-ssh-ed25519@openssh.com" => "ED25519-SK",
            "sk-ecdsa-sha2-nistp256@openssh.com" => "ECDSA-SK",
            _ when type.StartsWith("ecdsa-sha2-", StringComparison.Ordinal) => "ECDSA",
            _ => type,
        };
        return cert ? name + "-CERT" : name;
    }
}
