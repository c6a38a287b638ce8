namespace WpBackup.Core.Sites;

/// <summary>What <see cref="WpConfigParser"/> found in a wp-config.php.</summary>
public sealed class WpConfig
{
    internal WpConfig(
        IReadOnlyDictionary<string, PhpValue> constants, PhpValue? tablePrefix, IReadOnlyList<string> includes,
        IReadOnlyList<string> computedIncludes, IReadOnlyList<string> definedMoreThanOnce)
    {
        Constants = constants;
        TablePrefix = tablePrefix;
        Includes = includes;
        ComputedIncludes = computedIncludes;
        DefinedMoreThanOnce = definedMoreThanOnce;
    }

    /// <summary>Each constant's first define or const (the one PHP keeps). Names are case-sensitive.</summary>
    public IReadOnlyDictionary<string, PhpValue> Constants { get; }

    /// <summary>The last assignment to <c>$table_prefix</c>, or null when there is none.</summary>
    public PhpValue? TablePrefix { get; }

    /// <summary>Files pulled in by require/include(_once) with a literal path, in source order.</summary>
    public IReadOnlyList<string> Includes { get; }

    /// <summary>The source text of require/include(_once) paths that are computed, e.g. <c>$debian_file</c>.</summary>
    /// <remarks>WordPress's own bootstrap (<c>require_once ABSPATH . 'wp-settings.php'</c>) is left out of both lists.</remarks>
    public IReadOnlyList<string> ComputedIncludes { get; }

    /// <summary>Constants with more than one define or const; when all of them run, PHP keeps the first value and warns.</summary>
    public IReadOnlyList<string> DefinedMoreThanOnce { get; }

    public PhpValue? GetConstant(string name) => Constants.GetValueOrDefault(name);

    /// <summary>
    /// The database settings this config gives. Constants that are missing, computed or only
    /// conditionally defined are listed in <see cref="DatabaseSettings.Unresolved"/>, each with
    /// the parameter that overrides it.
    /// </summary>
    /// <param name="configPath">The file this config was read from, named in the messages.</param>
    public DatabaseSettings ToDatabaseSettings(string configPath) => DatabaseSettingsReader.Read(this, configPath);
}
