using System.Security.Cryptography;

namespace WpBackup.Core.Hosts.Ssh;

/// <summary>Key fingerprints in the format OpenSSH prints them.</summary>
public static class Fingerprint
{
    /// <summary>
    /// <c>SHA256:</c> followed by the unpadded base64 SHA-256 of the key blob (the SSH wire
    /// form of the public key), exactly as <c>ssh-keygen -lf</c> and <c>ssh</c> show it.
    /// </summary>
    public static string Sha256(byte[] keyBlob)
    {
        ArgumentNullException.ThrowIfNull(keyBlob);
        return "SHA256:" + Convert.ToBase64String(SHA256.HashData(keyBlob)).TrimEnd('=');
    }
}
