using System.Security.Cryptography;

namespace WpBackup.Sandbox;

/// <summary>Random passwords, salts and name suffixes for sandbox sites.</summary>
public static class SecretGenerator
{
    private const string Alphanumeric = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    /// <summary>
    /// Characters that break naive quoting somewhere along the way: PHP single-quoted strings
    /// (quote, backslash), shells (space, $, quotes, backtick), option files (#, quotes) and SQL.
    /// </summary>
    public const string AwkwardCharacters = "'\"\\ $#`";

    // What wp_generate_password(64, true, true) draws from, minus ' and \ (as the salt service does).
    private const string SaltCharacters =
        Alphanumeric + "!@#$%^&*()-_ []{}<>~`+=,.;:/?|";

    /// <summary>
    /// A password of <paramref name="length"/> characters that contains every character of
    /// <see cref="AwkwardCharacters"/>, at random positions strictly inside it.
    /// </summary>
    public static string AwkwardPassword(int length = 24)
    {
        if (length < AwkwardCharacters.Length + 2) throw new ArgumentOutOfRangeException(nameof(length));
        var chars = Random(Alphanumeric, length).ToCharArray();
        var interior = Enumerable.Range(1, length - 2).ToArray();
        RandomNumberGenerator.Shuffle(interior.AsSpan());
        for (var i = 0; i < AwkwardCharacters.Length; i++) chars[interior[i]] = AwkwardCharacters[i];
        return new string(chars);
    }

    public static string Salt() => Random(SaltCharacters, 64);

    /// <summary>Lowercase hex, for unique database and user names.</summary>
    public static string Suffix(int length = 6) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes((length + 1) / 2))[..length];

    private static string Random(string alphabet, int length) => RandomNumberGenerator.GetString(alphabet, length);
}
