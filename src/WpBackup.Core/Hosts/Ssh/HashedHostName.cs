using System.Security.Cryptography;
using System.Text;

namespace WpBackup.Core.Hosts.Ssh;

/// <summary>
/// OpenSSH's hashed known_hosts names (<c>HashKnownHosts yes</c>):
/// <c>|1|base64(salt)|base64(HMAC-SHA1(key: salt, data: host))</c> with a 20-byte salt,
/// where host is <c>name</c> or <c>[name]:port</c>, lowercased.
/// </summary>
public static class HashedHostName
{
    private const string Magic = "|1|";
    private const int SaltLength = 20; // HMAC-SHA1 output size, as OpenSSH uses

    public static bool IsHashed(string hostField) => hostField.StartsWith('|');

    /// <summary>Hashes <paramref name="hostString"/> with a fresh random salt.</summary>
    public static string Create(string hostString) => Create(hostString, RandomNumberGenerator.GetBytes(SaltLength));

    public static string Create(string hostString, byte[] salt)
    {
        var hash = HMACSHA1.HashData(salt, Encoding.UTF8.GetBytes(hostString));
        return Magic + Convert.ToBase64String(salt) + "|" + Convert.ToBase64String(hash);
    }

    /// <summary>Whether a hashed host field was made from <paramref name="hostString"/>; false for malformed fields.</summary>
    public static bool Matches(string hashedField, string hostString)
    {
        if (!hashedField.StartsWith(Magic, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = hashedField.AsSpan(Magic.Length);
        var bar = rest.IndexOf('|');
        if (bar <= 0)
        {
            return false;
        }

        byte[] salt, expected;
        try
        {
            salt = Convert.FromBase64String(rest[..bar].ToString());
            expected = Convert.FromBase64String(rest[(bar + 1)..].ToString());
        }
        catch (FormatException)
        {
            return false;
        }

        if (salt.Length != SaltLength || expected.Length != SaltLength)
        {
            return false;
        }

        var actual = HMACSHA1.HashData(salt, Encoding.UTF8.GetBytes(hostString));
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}
