namespace WpBackup.Core.Hosts.Ssh;

/// <summary>
/// The few POSIX sh scripts run on servers. Every value reaches them as a positional
/// argument ("$1"…), quoted by <see cref="ShellQuote"/>; nothing user-supplied is pasted into
/// script text. Only standard tools: sh, find, tar, mktemp, mv, rm.
/// </summary>
internal static class RemoteScripts
{
    /// <summary>
    /// $1 depth, then path patterns (globs expand here). Prints NUL-separated records:
    /// "site" root config version-line, or "missing" pattern.
    /// </summary>
    public const string FindSites = """
        depth=$1; shift
        IFS='
        '
        for pattern in "$@"; do
          matched=
          for dir in $pattern; do
            [ -d "$dir" ] || continue
            matched=1
            find "$dir" -maxdepth "$((depth + 2))" -type f -path '*/wp-includes/version.php' -exec sh -c '
              for v do
                r=${v%/wp-includes/version.php}
                [ -n "$r" ] || r=/
                [ -d "$r/wp-content" ] || continue
                p=${r%/*}
                if [ -f "$r/wp-config.php" ]; then c=$r/wp-config.php
                elif [ -f "$p/wp-config.php" ] && [ ! -f "$p/wp-settings.php" ]; then c=$p/wp-config.php
                else continue
                fi
                printf "site\0%s\0%s\0%s\0" "$r" "$c" "$(grep -m 1 "wp_version *=" "$v")"
              done' sh {} +
          done
          [ -n "$matched" ] || printf 'missing\0%s\0' "$pattern"
        done
        """;

    /// <summary>$1 path, $2 byte limit. Exit 3 when the file does not exist.</summary>
    public const string ReadFile = """[ -f "$1" ] || exit 3; head -c "$2" -- "$1" """;

    /// <summary>Creates an empty 0600 file, fills it from stdin and prints its path.</summary>
    public const string PrivateFile = """umask 077 && f=$(mktemp "${TMPDIR:-/tmp}/wpbackup.XXXXXXXXXX") && cat > "$f" && printf '%s' "$f" """;

    /// <summary>$1 root. One NUL-separated record per entry: type, size, mode, mtime, link target, relative path.</summary>
    public const string ScanTree = """cd -- "$1" && find -H . -printf '%y\0%s\0%m\0%T@\0%l\0%P\0'""";

    /// <summary>$1 root, then extra tar options (a compressor); reads NUL-separated names on stdin and streams the tar to stdout.</summary>
    public const string ArchiveTree = """
        root=$1; shift
        LC_ALL=C exec tar -cf - -C "$root" --format=posix --no-recursion --hard-dereference --null --verbatim-files-from --no-unquote "$@" -T -
        """;

    /// <summary>$1 root; reads NUL-separated relative names on stdin, prints "sha256  name" NUL-terminated records.</summary>
    public const string HashFiles = """cd -- "$1" && xargs -0 -r sha256sum -z -- 2>/dev/null; exit 0""";

    /// <summary>
    /// $1 target, $2 staging name. Puts back a target an interrupted restore moved aside (when the
    /// target is missing), removes its other leftovers, printing "back" or "gone" and the path of
    /// each, NUL-separated, and creates the staging folder (0700) beside the target.
    /// </summary>
    public const string CreateStaging = """
        mkdir -p -- "${1%/*}" || exit 1
        if [ ! -e "$1" ] && [ ! -L "$1" ]; then
          for old in "${1%/*}/.${1##*/}".wpbackup-old-*; do
            [ -d "$old" ] || continue
            mv -- "$old" "$1" && printf 'back\0%s\0' "$old"
            break
          done
        fi
        for old in "${1%/*}/.${1##*/}".wpbackup-*; do
          [ -d "$old" ] || continue
          rm -rf -- "$old" && printf 'gone\0%s\0' "$old"
        done
        mkdir -m 700 -- "$2"
        """;

    /// <summary>$1 staging folder. Extracts the tar on stdin into it, modes and times as archived.</summary>
    public const string Extract = """exec tar -xf - -C "$1" --no-same-owner --preserve-permissions --delay-directory-restore""";

    /// <summary>$1 staging, $2 target, $3 name for the old target. Swaps, or replaces contents when the target cannot be moved.</summary>
    public const string Replace = """
        staging=$1 target=$2 old=$3
        if [ ! -e "$target" ]; then exec mv -- "$staging" "$target"; fi
        if mv -- "$target" "$old" 2>/dev/null; then
          if mv -- "$staging" "$target"; then rm -rf -- "$old"; exit 0; fi
          mv -- "$old" "$target"; exit 1
        fi
        find "$target" -mindepth 1 -maxdepth 1 -exec rm -rf -- {} + &&
        find "$staging" -mindepth 1 -maxdepth 1 -exec mv -- {} "$target/" \; &&
        chmod --reference="$staging" -- "$target" && touch --reference="$staging" -- "$target" && rmdir -- "$staging"
        """;

    /// <summary>$1 folder. Exit 0 when it exists and has entries.</summary>
    public const string HasContent = """[ -d "$1" ] && [ -n "$(ls -A -- "$1")" ]""";

    /// <summary>Names to look for; prints the first found on PATH.</summary>
    public const string FindProgram = """for n do command -v "$n" && exit 0; done; exit 1""";
}
