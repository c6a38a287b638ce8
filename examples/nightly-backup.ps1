<#
.SYNOPSIS
    The nightly job: back up every site in the inventory, apply each site's retention policy,
    check the new backups, and exit 1 when anything failed (so cron, systemd or Task Scheduler
    report the failure).
.DESCRIPTION
    Runs in pwsh (Import-Module WpBackup first, or let module auto-loading find it) and in the
    `wpbackup` host (`wpbackup -File nightly-backup.ps1`). The wpbackup host has only
    PowerShell's core cmdlets (ForEach-Object, Where-Object, Write-*), so this script uses .NET
    APIs where pwsh scripts would use Get-Date, Select-Object or Measure-Object.

    The inventory is $env:WPBACKUP_CONFIG, else the per-user inventory.yml (docs/inventory.md).
    Sites whose inventory entry (or defaults) has no `retention:` block are backed up but not
    pruned; a warning names them.
.PARAMETER FullEvery
    Passed to New-WpBackup -FullEvery: a new Full backup when the incremental chain would grow
    past this many backups or its Full backup is older than this many days.
.PARAMETER Tag
    Only the sites with any of these inventory tags.
.PARAMETER Deep
    Test-WpBackup -Deep needs a scratch database server; off by default.
.EXAMPLE
    wpbackup -File /opt/wpbackup/examples/nightly-backup.ps1
.EXAMPLE
    pwsh -NoProfile -File examples/nightly-backup.ps1 -Tag production -FullEvery 14
#>
[CmdletBinding()]
param(
    [ValidateRange(1, 3650)]
    [int] $FullEvery = 7,
    [string[]] $Tag,
    [string] $ConfigPath
)
$ErrorActionPreference = 'Continue'
$started = [DateTime]::UtcNow
$failures = [System.Collections.Generic.List[string]]::new()

function Add-Failure([object[]] $Records) {
    foreach ($record in $Records) { $failures.Add("$record") }
}

$inventory = @{}
if ($ConfigPath) { $inventory.ConfigPath = $ConfigPath }
if ($Tag) { $inventory.Tag = $Tag }

# 1. The sites. A site that cannot be read (server down, not WordPress) is a non-terminating
#    error: the others still come. A broken inventory file is a terminating error.
$errs = $null
try {
    $sites = @(Get-WpSite @inventory -ErrorVariable errs)
} catch {
    Write-Error "The inventory could not be read: $($_.Exception.Message)"
    exit 2
}
Add-Failure $errs
Write-Output "[$([DateTime]::UtcNow.ToString('u'))] $($sites.Count) site(s) from the inventory"

# 2. Back up: incremental, a Full one every -FullEvery backups/days.
$errs = $null
$backups = @($sites | New-WpBackup -Type Incremental -FullEvery $FullEvery -Reason nightly -ErrorVariable errs)
Add-Failure $errs
foreach ($backup in $backups) {
    Write-Output ("backed up {0}: {1} {2} ({3:N1} MiB, {4} of {5} files stored)" -f $backup.Site, $backup.Type, $backup.Id,
        ($backup.Size / 1MB), $backup.StoredFileCount, $backup.FileCount)
}

# 3. Retention: each site's own policy from the inventory. Chains and each site's newest backup stay.
$withPolicy = @($sites | Where-Object { $null -ne $_.Settings -and $null -ne $_.Settings.Retention })
foreach ($site in $sites | Where-Object { $withPolicy -notcontains $_ }) {
    Write-Warning "$($site.Name): no retention policy in the inventory; its backups are not pruned."
}
if ($withPolicy.Count -gt 0) {
    $errs = $null
    $withPolicy | Remove-WpBackup -InventoryPolicy -Confirm:$false -ErrorVariable errs
    Add-Failure $errs
}

# 4. Verify what was just written: every file's hash against the manifest, the dump readable.
$errs = $null
$results = @($backups | Test-WpBackup -ErrorVariable errs)
Add-Failure $errs
foreach ($result in $results) {
    Write-Output "verified $result"
    if (-not $result.Passed) { $failures.Add("$($result.Site)/$($result.BackupId) failed its test: $($result.Problems -join '; ')") }
}

$elapsed = [DateTime]::UtcNow - $started
if ($failures.Count -gt 0) {
    Write-Output "FAILED: $($failures.Count) problem(s) after $([int]$elapsed.TotalSeconds) s:"
    foreach ($failure in $failures) { Write-Output "  $failure" }
    exit 1
}
Write-Output "OK: $($backups.Count) backup(s) made and verified in $([int]$elapsed.TotalSeconds) s"
exit 0
