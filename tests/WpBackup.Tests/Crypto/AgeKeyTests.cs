using WpBackup.Core.Crypto;
using WpBackup.Tests.Ssh;
using WpBackup.Tests.Support;

namespace WpBackup.Tests.Crypto;

/// <summary>age keys: Bech32 (BIP-173 vectors), key generation and files, against age-keygen.</summary>
public sealed class AgeKeyTests : IDisposable
{
    private readonly TempFolder _temp = new("wpbackup-agekey-");

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("A12UEL5L")]
    [InlineData("a12uel5l")]
    [InlineData("an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs")]
    [InlineData("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw")]
    [InlineData("11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j")]
    [InlineData("split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w")]
    [InlineData("?1ezyfcl")]
    public void Bech32_accepts_the_BIP173_valid_strings_and_reencodes_them(string text)
    {
        var (hrp, groups) = Bech32.DecodeGroups(text);
        Assert.Equal(text, Bech32.EncodeGroups(hrp, groups));
    }

    [Theory]
    [InlineData("\u00201nwldj5")]       // HRP character out of range
    [InlineData("\u007f1axkwrx")]
    [InlineData("\u00801eym55h")]
    [InlineData("pzry9x0s0muk")]        // no separator
    [InlineData("1pzry9x0s0muk")]       // empty HRP
    [InlineData("x1b4n0q5v")]           // invalid data character
    [InlineData("li1dgmt3")]            // checksum too short
    [InlineData("de1lg7wt\u00ff")]      // invalid character in checksum
    [InlineData("A1G7SGD8")]            // checksum computed over the upper-case HRP
    [InlineData("10a06t8")]             // empty HRP
    [InlineData("1qzzfhee")]            // empty HRP
    [InlineData("A12uEL5L")]            // mixed case
    [InlineData("a12uel5m")]            // one character changed
    public void Bech32_rejects_the_BIP173_invalid_strings(string text)
    {
        Assert.Throws<FormatException>(() => Bech32.DecodeGroups(text));
    }

    [Fact]
    public void Bech32_regroups_bits_as_BIP173_segwit_addresses_do()
    {
        var (hrp, groups) = Bech32.DecodeGroups("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4");
        Assert.Equal("BC", hrp);
        Assert.Equal(0, groups[0]);
        Assert.Equal("751e76e8199196d454941c45d1b3a323f1433bd6", Convert.ToHexStringLower(Bech32.FromFiveBitGroups(groups[1..])));
        Assert.Equal(groups[1..], Bech32.ToFiveBitGroups(Bech32.FromFiveBitGroups(groups[1..])));
    }

    [Fact]
    public void The_spec_identity_has_the_spec_recipient()
    {
        const string identity = "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX";
        Assert.Equal("age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj", AgeKeys.RecipientOf(identity));
    }

    [Fact]
    public void Generated_keys_are_what_age_keygen_would_derive()
    {
        var pair = AgeKeys.Generate();
        Assert.StartsWith("AGE-SECRET-KEY-1", pair.Identity);
        Assert.Equal(74, pair.Identity.Length);
        Assert.StartsWith("age1", pair.Recipient);
        Assert.Equal(62, pair.Recipient.Length);
        Assert.Equal(pair.Recipient, AgeKeys.RecipientOf(pair.Identity));
        Assert.Equal(pair.Recipient, pair.ToString());
        Assert.DoesNotContain(pair.Identity, AgeIdentity.Parse(pair.Identity).ToString()!);

        var path = _temp.Combine("ours.txt");
        AgeKeys.WriteIdentityFile(path, pair);
        Assert.Equal(pair.Recipient, ExternalTool.Check("age-keygen", "-y", path).Trim());

        var lines = File.ReadAllLines(path);
        Assert.StartsWith("# created: ", lines[0]);
        Assert.Equal("# public key: " + pair.Recipient, lines[1]);
        Assert.Equal(pair.Identity, lines[2]);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));

        var again = Assert.Throws<AgeKeyException>(() => AgeKeys.WriteIdentityFile(path, AgeKeys.Generate()));
        Assert.Equal("AgeIdentityFileExists", again.ErrorId);
        Assert.Equal(pair.Identity, File.ReadAllLines(path)[2]);
    }

    [Fact]
    public void Identity_files_from_age_keygen_parse_with_their_comments()
    {
        var path = _temp.Combine("key.txt");
        var recipient = AgeCli.KeyGen(path);
        var identity = Assert.IsType<AgeX25519Identity>(Assert.Single(AgeIdentity.ParseFile(path)));
        Assert.Equal(recipient, identity.Recipient.PublicKey);

        // Several keys, CRLF line ends, blank lines and comments.
        var second = AgeKeys.Generate();
        var text = File.ReadAllText(path).Replace("\n", "\r\n") + "\r\n# another\r\n\r\n" + second.Identity + "\r\n";
        var all = AgeIdentity.ParseText(text).Cast<AgeX25519Identity>().Select(i => i.Recipient.PublicKey).ToList();
        Assert.Equal([recipient, second.Recipient], all);
    }

    [Fact]
    public void Bad_identities_are_refused_without_repeating_the_secret()
    {
        var pair = AgeKeys.Generate();
        var typo = pair.Identity[..20] + (pair.Identity[20] == 'Q' ? 'P' : 'Q') + pair.Identity[21..];
        foreach (var bad in new[] { typo, pair.Identity.ToLowerInvariant()[..10] + pair.Identity[10..], pair.Identity[..^1] })
        {
            var error = Assert.Throws<AgeKeyException>(() => AgeIdentity.Parse(bad));
            Assert.Equal("AgeInvalidIdentity", error.ErrorId);
            Assert.DoesNotContain(bad, error.Message);
            Assert.DoesNotContain(pair.Identity[16..40], error.Message);
        }

        Assert.Equal("AgePublicKeyAsIdentity", Assert.Throws<AgeKeyException>(() => AgeIdentity.Parse(pair.Recipient)).ErrorId);
        Assert.Equal("AgeNoIdentities", Assert.Throws<AgeKeyException>(() => AgeIdentity.ParseText("# nothing here\n\n")).ErrorId);

        var ssh = _temp.Combine("id_ed25519");
        File.WriteAllText(ssh, "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n");
        Assert.Equal("AgeUnsupportedIdentity", Assert.Throws<AgeKeyException>(() => AgeIdentity.ParseFile(ssh)).ErrorId);
        Assert.Equal("AgeIdentityFileUnreadable", Assert.Throws<AgeKeyException>(() => AgeIdentity.ParseFile(_temp.Combine("missing.txt"))).ErrorId);
    }

    [Fact]
    public void A_passphrase_protected_identity_file_is_named_as_such()
    {
        var path = _temp.Combine("key.txt.age");
        var pair = AgeKeys.Generate();
        using (var file = File.Create(path))
        using (var age = AgeEncryptStream.Create(file, [AgeRecipient.FromPassphrase("pw", 8)]))
            age.Write(System.Text.Encoding.UTF8.GetBytes(pair.ToIdentityFileText()));

        Assert.Equal("AgeEncryptedIdentityFile", Assert.Throws<AgeKeyException>(() => AgeIdentity.ParseFile(path)).ErrorId);
    }

    [Fact]
    public void Bad_recipients_are_refused_with_a_reason()
    {
        var pair = AgeKeys.Generate();
        var secret = Assert.Throws<AgeKeyException>(() => AgeRecipient.Parse(pair.Identity));
        Assert.Equal("AgeSecretKeyAsRecipient", secret.ErrorId);
        Assert.DoesNotContain(pair.Identity, secret.Message);

        Assert.Equal("AgeInvalidRecipient", Assert.Throws<AgeKeyException>(() => AgeRecipient.Parse(pair.Recipient.ToUpperInvariant())).ErrorId);
        Assert.Equal("AgeInvalidRecipient", Assert.Throws<AgeKeyException>(() => AgeRecipient.Parse(pair.Recipient[..^1] + (pair.Recipient[^1] == 'q' ? 'p' : 'q'))).ErrorId);
        Assert.Equal("AgeInvalidRecipient", Assert.Throws<AgeKeyException>(() => AgeRecipient.Parse("age1")).ErrorId);
        Assert.Equal("AgeUnsupportedRecipient", Assert.Throws<AgeKeyException>(() => AgeRecipient.Parse("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB user@host")).ErrorId);
        Assert.Equal("AgeUnsupportedRecipient", Assert.Throws<AgeKeyException>(() => AgeRecipient.Parse("age1yubikey1qwt50d05nh5vutpdzmlg5wn80xq5negm4uj9ghv0snvdd3yysf5yw3rhl3t")).ErrorId);

        // The same key in a recipients file, with comments; a secret key line is refused.
        var recipients = AgeRecipient.ParseText($"# backups\n{pair.Recipient}\n\n# second\n{AgeKeys.Generate().Recipient}\n");
        Assert.Equal(2, recipients.Count);
        Assert.Equal(pair.Recipient, recipients[0].ToString());
        var identityFile = Assert.Throws<AgeKeyException>(() => AgeRecipient.ParseText(pair.ToIdentityFileText()));
        Assert.Equal("AgeSecretKeyAsRecipient", identityFile.ErrorId);
        Assert.DoesNotContain(pair.Identity, identityFile.Message);
    }

    [Fact]
    public void Passphrases_must_not_be_empty_and_work_factors_are_bounded()
    {
        Assert.Equal("AgeEmptyPassphrase", Assert.Throws<AgeKeyException>(() => AgeRecipient.FromPassphrase("")).ErrorId);
        Assert.Equal("AgeEmptyPassphrase", Assert.Throws<AgeKeyException>(() => AgeIdentity.FromPassphrase(new System.Security.SecureString())).ErrorId);
        Assert.Throws<ArgumentOutOfRangeException>(() => AgeRecipient.FromPassphrase("x", 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => AgeRecipient.FromPassphrase("x", 31));
        Assert.Throws<ArgumentOutOfRangeException>(() => AgeIdentity.FromPassphrase("x", 31));
        Assert.Equal("AgeNoRecipients", Assert.Throws<AgeKeyException>(() => AgeEncryptStream.Create(new MemoryStream(), [])).ErrorId);
    }

    [Theory]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAA", true)]    // 16 bytes, canonical
    [InlineData("AAAAAAAAAAAAAAAAAAAAAB", false)]   // non-zero unused bits
    [InlineData("AAAAAAAAAAAAAAAAAAAAAA==", false)] // padding
    [InlineData("AAAA AAAA", false)]
    [InlineData("AAAA\nAAAA", false)]
    [InlineData("AAAAA", false)]
    [InlineData("", true)]
    public void Header_base64_is_strict(string text, bool valid)
    {
        Assert.Equal(valid, AgeBase64.TryDecode(text, out _));
    }
}
