<#
.SYNOPSIS
    Restores the newest backup of a site into a staging folder and another database, and points
    the staging copy's wp-config.php at that database. -WhatIf shows what would happen.
.DESCRIPTION
    Restore-WpBackup -Target / -DatabaseName puts the files and the dump elsewhere; it does not
    edit wp-config.php, so the staging copy would still talk to the production database. This
    script rewrites DB_NAME (and DB_USER / DB_PASSWORD / DB_HOST when given) in the staging copy.
    The database keeps the production URLs (siteurl, home): change them for a staging host name,
    e.g. `wp search-replace https://example.com https://staging.example.com`.

    Runs in pwsh and in the `wpbackup` host.
.EXAMPLE
    ./restore-to-staging.ps1 -Site example.com -Target /srv/staging/example.com -DatabaseName staging_example -WhatIf
.EXAMPLE
    ./restore-to-staging.ps1 example.com /srv/staging/example.com staging_example -DatabaseCredential (Get-Credential staging)
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory, Position = 0)]
    [string] $Site,
    # The staging folder (created; existing files in it are replaced).
    [Parameter(Mandatory, Position = 1)]
    [string] $Target,
    # The staging database (created when missing).
    [Parameter(Mandatory, Position = 2)]
    [string] $DatabaseName,
    # Login for the staging database; default: the one in the backup's wp-config.php.
    [pscredential] $DatabaseCredential,
    # The staging database server (DB_HOST form); default: the site's.
    [string] $DatabaseHost,
    # Where the backups are (default: $env:WPBACKUP_ROOT, else the per-user folder).
    [string] $Destination
)
$ErrorActionPreference = 'Stop'

$list = @{ Site = $Site; Newest = 1 }
if ($Destination) { $list.Destination = $Destination }
$backup = Get-WpBackup @list
if (-not $backup) { throw "No backup of '$Site' was found." }
Write-Output "Newest backup of ${Site}: $($backup.Id) ($($backup.Type), $($backup.Created.ToString('u')))"

$restore = @{ Target = $Target; DatabaseName = $DatabaseName }
if ($DatabaseCredential) { $restore.DatabaseCredential = $DatabaseCredential }
if ($DatabaseHost) { $restore.DatabaseHost = $DatabaseHost }
# -WhatIf reaches Restore-WpBackup through $WhatIfPreference and prints its plan; -Confirm asks
# once here instead of Restore-WpBackup's own high-impact prompt.
if (-not $WhatIfPreference -and -not $PSCmdlet.ShouldProcess("$Site -> $Target, database $DatabaseName", 'Restore to staging')) { return }
$result = $backup | Restore-WpBackup @restore -Confirm:$false
if ($result) {
    Write-Output "Restored $($result.FilesRestored) files into $($result.Target) and the database into $($result.Database) on $($result.DatabaseServer)"
}

# Point the staging wp-config.php at the staging database.
$config = [System.IO.Path]::Combine($Target, 'wp-config.php')
if ($PSCmdlet.ShouldProcess($config, "Set DB_NAME to '$DatabaseName'")) {
    if (-not [System.IO.File]::Exists($config)) {
        Write-Warning "$config does not exist (a Database-only backup?); set DB_NAME there yourself."
        return
    }
    function Set-Define([string] $Text, [string] $Name, [string] $Value) {
        # define( 'NAME', '...' ); -> the new value as a PHP single-quoted string.
        $literal = "'" + $Value.Replace('\', '\\').Replace("'", "\'") + "'"
        $pattern = "(define\s*\(\s*['""]$Name['""]\s*,\s*)('(?:[^'\\]|\\.)*'|""(?:[^""\\]|\\.)*"")"
        $regex = [System.Text.RegularExpressions.Regex]::new($pattern)
        if (-not $regex.IsMatch($Text)) { Write-Warning "No literal define('$Name', ...) in $config; set it yourself."; return $Text }
        return $regex.Replace($Text, [System.Text.RegularExpressions.MatchEvaluator] { param($m) $m.Groups[1].Value + $literal }, 1)
    }
    $text = [System.IO.File]::ReadAllText($config)
    $text = Set-Define $text 'DB_NAME' $DatabaseName
    if ($DatabaseCredential) {
        $text = Set-Define $text 'DB_USER' $DatabaseCredential.UserName
        $text = Set-Define $text 'DB_PASSWORD' $DatabaseCredential.GetNetworkCredential().Password
    }
    if ($DatabaseHost) { $text = Set-Define $text 'DB_HOST' $DatabaseHost }
    [System.IO.File]::WriteAllText($config, $text)   # keeps the file's mode (0640)
    Write-Output "Pointed $config at database $DatabaseName"
}
