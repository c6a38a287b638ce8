namespace WpBackup.Sandbox;

/// <summary>Quoting for values written into PHP source such as wp-config.php.</summary>
public static class PhpText
{
    /// <summary>
    /// A single-quoted PHP string literal. Inside single quotes PHP knows exactly two
    /// escapes, <c>\\</c> and <c>\'</c>; <c>$</c> and everything else stay literal.
    /// </summary>
    public static string SingleQuoted(string value) =>
        "'" + value.Replace("\\", "\\\\").Replace("'", "\\'") + "'";
}
