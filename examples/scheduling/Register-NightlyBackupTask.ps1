<#
.SYNOPSIS
    Registers a Windows Task Scheduler task that runs examples/nightly-backup.ps1 every night.
.DESCRIPTION
    Run once, elevated, in Windows PowerShell 5.1 or pwsh on Windows (the ScheduledTasks module).
    The task runs pwsh (or the wpbackup host with -UseWpBackupHost) as -User; a failed night is
    the task's "Last Run Result" 0x1.
.EXAMPLE
    ./Register-NightlyBackupTask.ps1 -ScriptPath C:\WpBackup\nightly-backup.ps1 -User 'BACKUP\wpbackup' -At 02:30
.EXAMPLE
    ./Register-NightlyBackupTask.ps1 -ScriptPath C:\WpBackup\nightly-backup.ps1 -UseWpBackupHost -HostPath C:\WpBackup\bin\wpbackup.exe -WhatIf
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)]
    [string] $ScriptPath,
    [string] $TaskName = 'WpBackup nightly',
    [datetime] $At = '02:30',
    # The account the task runs as; default SYSTEM. A domain/local user is asked for its password.
    [string] $User,
    [switch] $UseWpBackupHost,
    [string] $HostPath = 'C:\Program Files\WpBackup\wpbackup.exe',
    [string] $InventoryPath
)
$ErrorActionPreference = 'Stop'

$scriptArguments = "-NonInteractive -File `"$ScriptPath`" -FullEvery 7"
if ($InventoryPath) { $scriptArguments += " -ConfigPath `"$InventoryPath`"" }
$action = if ($UseWpBackupHost) {
    New-ScheduledTaskAction -Execute $HostPath -Argument $scriptArguments -WorkingDirectory (Split-Path $ScriptPath)
} else {
    New-ScheduledTaskAction -Execute 'pwsh.exe' -Argument "-NoProfile $scriptArguments" -WorkingDirectory (Split-Path $ScriptPath)
}
$trigger = New-ScheduledTaskTrigger -Daily -At $At -RandomDelay (New-TimeSpan -Minutes 15)
$settings = New-ScheduledTaskSettingsSet -StartWhenAvailable -ExecutionTimeLimit (New-TimeSpan -Hours 6) -MultipleInstances IgnoreNew

$task = @{ TaskName = $TaskName; Action = $action; Trigger = $trigger; Settings = $settings; Description = 'Backs up every WordPress site in the WpBackup inventory' }
if ($User) {
    $credential = Get-Credential -UserName $User -Message "Password for $User (the task runs as this account)"
    $task.User = $credential.UserName
    $task.Password = $credential.GetNetworkCredential().Password
    $task.RunLevel = 'Limited'
} else {
    $task.Principal = New-ScheduledTaskPrincipal -UserId 'SYSTEM' -LogonType ServiceAccount -RunLevel Highest
}

if ($PSCmdlet.ShouldProcess($TaskName, "Register a daily task at $($At.ToString('HH:mm'))")) {
    Register-ScheduledTask @task -Force | Out-Null
    Get-ScheduledTask -TaskName $TaskName | Get-ScheduledTaskInfo
}
