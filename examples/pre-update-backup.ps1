<#
.SYNOPSIS
    Before a WordPress core, plugin or theme update: a Database backup (-Reason pre-update), then
    (optionally) the update itself, and the exact command that rolls the database back.
.DESCRIPTION
    Updates change the database schema and options; the files they replace come back with the
    update's own rollback (or the nightly backup). A Database backup takes seconds, so take one
    right before every update.

    Runs in pwsh and in the `wpbackup` host. -UpdateCommand is run by /bin/sh (cmd.exe on
    Windows) in the site's folder after the backup; when it fails, the script exits 1 and the
    rollback command is printed again.
.EXAMPLE
    wpbackup -File pre-update-backup.ps1 -Site example.com -UpdateCommand 'wp plugin update --all'
.EXAMPLE
    pwsh -File pre-update-backup.ps1 -Path /var/www/example.com/htdocs -Note 'WooCommerce 9.4'
#>
[CmdletBinding(DefaultParameterSetName = 'Inventory')]
param(
    # A site's name in the inventory (Get-WpSite).
    [Parameter(Mandatory, Position = 0, ParameterSetName = 'Inventory')]
    [string] $Site,
    # Or the WordPress folder on this machine (New-WpBackup -Path).
    [Parameter(Mandatory, ParameterSetName = 'Path')]
    [string] $Path,
    # What is being updated; stored in the backup's metadata.
    [string] $Note = 'update',
    # Where the backup goes (default: the inventory's destination, else $env:WPBACKUP_ROOT).
    [string] $Destination,
    # Run after the backup, e.g. 'wp core update && wp plugin update --all'.
    [string] $UpdateCommand
)
$ErrorActionPreference = 'Stop'

$options = @{ Type = 'Database'; Reason = 'pre-update'; Metadata = @{ update = $Note } }
if ($Destination) { $options.Destination = $Destination }

if ($PSCmdlet.ParameterSetName -eq 'Inventory') {
    $wpSite = Get-WpSite -Name $Site
    $backup = $wpSite | New-WpBackup @options
    $root = $wpSite.Root
} else {
    $backup = New-WpBackup -Path $Path @options
    $root = $backup.Root
}

$rollback = "Restore-WpBackup -Path '$($backup.Path)' -Type Database -Confirm:`$false"
Write-Output "Database of $($backup.Site) saved before '$Note': $($backup.Id) ($([math]::Round($backup.Size / 1KB)) KiB)"
Write-Output "Roll back with: $rollback"
Write-Output ('  from a Unix shell: wpbackup -Command "' + $rollback.Replace('$', '\$') + '"')

if ($UpdateCommand) {
    Write-Output "Running: $UpdateCommand"
    $shell, $flag = if ([System.OperatingSystem]::IsWindows()) { 'cmd.exe', '/c' } else { '/bin/sh', '-c' }
    $start = [System.Diagnostics.ProcessStartInfo]::new($shell)
    $start.ArgumentList.Add($flag)
    $start.ArgumentList.Add($UpdateCommand)
    $start.WorkingDirectory = $root
    $start.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($start)
    $process.WaitForExit()
    if ($process.ExitCode -ne 0) {
        Write-Output "The update failed (exit code $($process.ExitCode)). Roll back with: $rollback"
        exit 1
    }
    Write-Output "The update finished. If the site misbehaves, roll back with: $rollback"
}
exit 0
