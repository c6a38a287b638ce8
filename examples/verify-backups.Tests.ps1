<#
    Pester 5: every site in the inventory has a backup younger than 26 hours that passes
    Test-WpBackup. Run it after the nightly job (or from monitoring):

        Invoke-Pester ./verify-backups.Tests.ps1 -Output Detailed
        Invoke-Pester -Container (New-PesterContainer -Path ./verify-backups.Tests.ps1 -Data @{ MaxAgeHours = 50 })

    Needs pwsh 7.4+, Pester 5 and the WpBackup module (Import-Module or $env:WPBACKUP_MODULE =
    the path of WpBackup.psd1). The inventory is $env:WPBACKUP_CONFIG or the per-user one.
    Only the sites' inventory entries are read (Get-WpSite reads each wp-config.php, so a site
    whose server is unreachable fails discovery loudly instead of passing silently).
#>
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
param(
    [double] $MaxAgeHours = 26,
    [switch] $Deep
)

BeforeDiscovery {
    Import-Module ($env:WPBACKUP_MODULE ? $env:WPBACKUP_MODULE : 'WpBackup')
    # Data for -ForEach: one hashtable per site, its keys become variables inside It.
    $sites = Get-WpSite -ErrorAction Stop | ForEach-Object {
        @{ Name = $_.Name; Destination = $_.Settings.Destination }
    }
}

BeforeAll {
    Import-Module ($env:WPBACKUP_MODULE ? $env:WPBACKUP_MODULE : 'WpBackup')
    function Get-NewestBackup([string] $Name, [string] $Destination) {
        $list = @{ Site = $Name; Newest = 1 }
        if ($Destination) { $list.Destination = $Destination }
        Get-WpBackup @list
    }
}

Describe 'Nightly backups' {
    It 'the inventory lists at least one site' -ForEach @{ Count = @($sites).Count } {
        $Count | Should -BeGreaterThan 0
    }

    Context '<Name>' -ForEach $sites {
        BeforeAll {
            $newest = Get-NewestBackup -Name $Name -Destination $Destination
        }

        It 'has a backup' {
            $newest | Should -Not -BeNullOrEmpty
        }

        It "has a backup younger than $MaxAgeHours hours" {
            ([DateTime]::UtcNow - $newest.Created).TotalHours | Should -BeLessThan $MaxAgeHours
        }

        It 'whose newest backup passes Test-WpBackup' {
            $result = $newest | Test-WpBackup -Deep:$Deep
            $result.Problems | Should -BeNullOrEmpty
            $result.Passed | Should -BeTrue
        }
    }
}
