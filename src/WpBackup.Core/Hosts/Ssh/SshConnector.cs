using System.Net.Sockets;
using Renci.SshNet;
using Renci.SshNet.Common;
using Renci.SshNet.Messages.Transport;
using WpBackup.Core.Errors;

namespace WpBackup.Core.Hosts.Ssh;

/// <summary>
/// Opens an SSH connection: keys and passwords from the target, the host key checked against
/// known_hosts (or recorded once when it matches -TrustHostKey), ciphers and MACs in
/// <see cref="SshAlgorithmPreference"/>'s order, keepalives on, and every
/// failure turned into a <see cref="TransportException"/> that names the host and says what to do.
/// </summary>
public static class SshConnector
{
    public static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(20);

    public static SshClient Connect(SshTarget target, Action<string> warn)
    {
        var methods = AuthenticationMethods(target, warn);
        var info = new ConnectionInfo(target.HostName, target.Port, target.UserName, [.. methods]) { Timeout = target.ConnectTimeout };
        var knownHosts = target.KnownHostsFiles.Count > 0 ? KnownHosts.Load(target.KnownHostsFiles) : KnownHosts.LoadDefault();
        HostKeyAlgorithmPreference.Apply(info, knownHosts.KeyTypesFor(target.KnownHostsName, target.Port));
        SshAlgorithmPreference.Apply(info);
        var verifier = new HostKeyVerifier(knownHosts, target.KnownHostsName, target.Port);
        var client = new SshClient(info) { KeepAliveInterval = KeepAlive };
        // The key arrives on SSH.NET's thread; what it says is passed on from the caller's thread once connected.
        var trustedNote = (string?)null;
        client.HostKeyReceived += (sender, e) =>
        {
            verifier.OnHostKeyReceived(sender, e);
            if (!e.CanTrust && verifier.Result?.Status == HostKeyCheck.Unknown && verifier.Result.OtherTypeEntries.Count == 0 &&
                target.TrustHostKey is { } trusted && string.Equals(trusted, verifier.PresentedFingerprint, StringComparison.Ordinal))
            {
                var file = target.KnownHostsFiles.Count > 0 ? target.KnownHostsFiles[0] : KnownHosts.DefaultUserPath(Home());
                KnownHosts.AppendEntry(file, target.KnownHostsName, target.Port, e.HostKeyName, e.HostKey);
                trustedNote = $"Trusted the SSH host key of {target.KnownHostsName} ({verifier.PresentedFingerprint}) as -TrustHostKey said, and recorded it in {file}.";
                e.CanTrust = true;
            }
        };
        try
        {
            client.Connect();
            if (trustedNote is not null)
                warn(trustedNote);
            return client;
        }
        catch (Exception e) when (e is SshConnectionException or SshAuthenticationException or SocketException or SshOperationTimeoutException or ProxyException)
        {
            client.Dispose();
            throw Failure(target, verifier, e);
        }
    }

    private static TransportException Failure(SshTarget target, HostKeyVerifier verifier, Exception e)
    {
        if (verifier.DescribeRefusal() is { } refusal)
        {
            var changed = verifier.Result!.Status is HostKeyCheck.Changed or HostKeyCheck.Revoked || verifier.Result.OtherTypeEntries.Count > 0;
            return changed
                ? new TransportException("SshHostKeyChanged", refusal + " The connection was refused.", e)
                : new TransportException("SshHostKeyUnknown",
                    refusal + $" Or, once you have checked it, pass -TrustHostKey '{verifier.PresentedFingerprint}' to record it.", e);
        }
        return e switch
        {
            SshConnectionException { DisconnectReason: DisconnectReason.KeyExchangeFailed } when e.Message.Contains("encryption algorithm", StringComparison.OrdinalIgnoreCase) =>
                new TransportException("SshNoCommonCipher",
                    $"{target} allows none of the ciphers WpBackup offers ({string.Join(", ", SshAlgorithmPreference.Ciphers)}): {e.Message}. Allow one of them in the server's sshd_config 'Ciphers' line.", e),
            SshConnectionException { DisconnectReason: DisconnectReason.KeyExchangeFailed } when e.Message.Contains("MAC algorithm", StringComparison.Ordinal) =>
                new TransportException("SshNoCommonMac",
                    $"{target} allows none of the MACs WpBackup offers ({string.Join(", ", SshAlgorithmPreference.Macs)}): {e.Message}. Allow one of them in the server's sshd_config 'MACs' line, or an AEAD cipher (aes128-gcm@openssh.com).", e),
            SshAuthenticationException => new TransportException("SshAuthenticationFailed",
                $"{target} refused the login ({e.Message}) with {Offered(target)}. Check -UserName, that the public half of the key (-KeyFile) is in that user's " +
                $"authorized_keys on {target.HostName} (~{target.UserName}/.ssh/authorized_keys by default), or the password (-Credential).", e),
            SocketException socket => new TransportException("SshHostUnreachable",
                $"Cannot connect to {target.HostName} port {target.Port} for {target.ComputerName}: {socket.Message}. Check the host name, -Port and that sshd runs there.", e),
            SshOperationTimeoutException => new TransportException("SshHostUnreachable",
                $"Connecting to {target.HostName} port {target.Port} timed out after {target.ConnectTimeout.TotalSeconds:0} s. Check the host, -Port and firewalls, or raise -ConnectTimeout.", e),
            _ => new TransportException("SshConnectionFailed", $"The SSH connection to {target} failed: {e.Message}", e),
        };
    }

    /// <summary>What was offered to log in, without any secret: "the key '/home/me/.ssh/id_ed25519' and a password".</summary>
    private static string Offered(SshTarget target)
    {
        var offered = target.KeyFiles.Select(k => $"the key '{k}'").ToList();
        if (target.HasPassword)
            offered.Add("a password");
        return offered.Count == 0 ? "nothing" : string.Join(" and ", offered);
    }

    private static List<AuthenticationMethod> AuthenticationMethods(SshTarget target, Action<string> warn)
    {
        var methods = new List<AuthenticationMethod>();
        var keys = new List<IPrivateKeySource>();
        foreach (var path in target.KeyFiles)
        {
            if (PrivateKeyPermissions.Check(path) is { } warning)
                warn(warning);
            if (LoadKey(target, path) is { } key)
                keys.Add(key);
        }
        if (keys.Count > 0)
            methods.Add(new PrivateKeyAuthenticationMethod(target.UserName, [.. keys]));
        if (SshTarget.Reveal(target.Password) is { } password)
            methods.Add(new PasswordAuthenticationMethod(target.UserName, password));
        if (methods.Count == 0)
            throw new TransportException("SshNoCredentials",
                $"No way to log in to {target}: no usable private key (~/.ssh/id_ed25519, id_ecdsa, id_rsa or ssh_config IdentityFile) and no -Credential. Pass -KeyFile or -Credential.");
        return methods;
    }

    private static PrivateKeyFile? LoadKey(SshTarget target, string path)
    {
        try
        {
            var passphrase = SshTarget.Reveal(target.KeyPassphrase);
            return passphrase is null ? new PrivateKeyFile(path) : new PrivateKeyFile(path, passphrase);
        }
        catch (Exception e) when (!target.KeyFilesExplicit && e is SshException or IOException or UnauthorizedAccessException
                                      or System.Security.Cryptography.CryptographicException or System.Formats.Asn1.AsnContentException)
        {
            return null; // a default key that cannot be used; ssh skips it too
        }
        catch (SshPassPhraseNullOrEmptyException e)
        {
            throw new TransportException("SshKeyPassphraseNeeded", $"The private key '{path}' is protected by a passphrase. Pass it with -KeyPassphrase.", e);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or System.Formats.Asn1.AsnContentException
                                      || (e is SshException && e.Message.Contains("check bytes", StringComparison.OrdinalIgnoreCase)))
        {
            throw new TransportException("SshKeyPassphraseWrong", $"The passphrase given with -KeyPassphrase does not open the private key '{path}'.", e);
        }
        catch (Exception e) when (e is SshException or IOException or UnauthorizedAccessException)
        {
            throw new TransportException("SshKeyUnusable", $"Cannot use '{path}' as a private key: {e.Message}", e);
        }
    }

    private static string Home() => Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
}
