#requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests and stages the WpBackup module.
.DESCRIPTION
    Build   dotnet build in Release; stages a loadable module folder in out/WpBackup.
    Test    the xunit suite (needs the Debian packages from .ci/install-deps.sh).
    Pester  the acceptance suite in tests/Pester (needs Pester 5).
    Demo    examples/demo.sh: a real backup and restore on a throwaway site.
.EXAMPLE
    ./build.ps1; Import-Module ./out/WpBackup/WpBackup.psd1
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Pester', 'Demo')]
    [string[]] $Task = 'Build'
)
$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot

function Invoke-Native([string] $Command, [string[]] $Arguments) {
    & $Command @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Command $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

switch ($Task) {
    'Build' {
        Invoke-Native dotnet @('build', 'WpBackup.sln', '-c', 'Release')
        Write-Host "Module staged in $(Join-Path $PSScriptRoot 'out/WpBackup')"
    }
    'Test' { Invoke-Native dotnet @('test', 'tests/WpBackup.Tests', '-c', 'Release') }
    'Pester' {
        Invoke-Native dotnet @('build', 'WpBackup.sln', '-c', 'Release')
        if (-not (Get-Module -ListAvailable Pester | Where-Object Version -ge '5.0')) {
            throw 'The Pester task needs Pester 5: Install-Module Pester -MinimumVersion 5.0 -Scope CurrentUser'
        }
        # tests/Pester needs real WordPress sites and a MariaDB: run it inside a throwaway
        # sandbox (WPBACKUP_DEMO_SITES, WPBACKUP_ROOT), unless one is already given.
        $suite = "Import-Module Pester -MinimumVersion 5.0; `$r = Invoke-Pester -Path '$(Join-Path $PSScriptRoot 'tests/Pester')' -PassThru -Output Detailed; exit `$r.FailedCount"
        if ($env:WPBACKUP_DEMO_SITES -and $env:WPBACKUP_ROOT) {
            Invoke-Native pwsh @('-NoProfile', '-Command', $suite)
        } else {
            Invoke-Native dotnet @('src/WpBackup.Sandbox/bin/Release/net10.0/WpBackup.Sandbox.dll', 'run', '--sites', '2', '--posts', '20', '--uploads-mb', '1', '--', 'pwsh', '-NoProfile', '-Command', $suite)
        }
    }
    'Demo' { Invoke-Native bash @('examples/demo.sh') }
}
