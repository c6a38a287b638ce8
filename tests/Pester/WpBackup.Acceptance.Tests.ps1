<#
    Acceptance suite for machines with pwsh 7.4+ and Pester 5: the main scenarios end to end,
    against real WordPress sites on a real MariaDB, through the module as users import it
    (out/WpBackup, staged by the build).

        ./build.ps1 -Task Pester        # builds, starts a throwaway sandbox, runs this, cleans up

    It needs these environment variables (the sandbox sets them:
    dotnet src/WpBackup.Sandbox/bin/Release/net10.0/WpBackup.Sandbox.dll run --sites 2 -- pwsh ...):
      WPBACKUP_DEMO_SITES   a folder holding WordPress sites as <host>/htdocs (at least two)
      WPBACKUP_ROOT         an empty folder for the backups
    Optional: WPBACKUP_MODULE (the WpBackup.psd1 to import; default out/WpBackup/WpBackup.psd1).
    php-cli must be on PATH (to ask WordPress itself how many posts it has).
    The sites are changed (files deleted, posts wiped) and restored: use throwaway sites only.
#>

BeforeAll {
    foreach ($name in 'WPBACKUP_DEMO_SITES', 'WPBACKUP_ROOT') {
        if (-not [Environment]::GetEnvironmentVariable($name)) {
            throw "`$env:$name is not set: run this suite through ./build.ps1 -Task Pester (it starts a sandbox), or see the comment at the top of $PSCommandPath."
        }
    }
    $repository = Resolve-Path (Join-Path $PSScriptRoot '../..')
    $module = if ($env:WPBACKUP_MODULE) { $env:WPBACKUP_MODULE } else { Join-Path $repository 'out/WpBackup/WpBackup.psd1' }
    Import-Module $module -Force
    $examples = Join-Path $repository 'examples'
    $destination = $env:WPBACKUP_ROOT

    function Get-PostCount([string] $Root) {
        & php -r 'chdir($argv[1]); define("WP_USE_THEMES", false); require "wp-load.php"; echo wp_count_posts()->publish;' -- $Root
    }
    function Clear-Posts([string] $Root) {
        & php -r 'chdir($argv[1]); define("WP_USE_THEMES", false); require "wp-load.php"; global $wpdb; $wpdb->query("DELETE FROM $wpdb->posts");' -- $Root
    }
}

Describe 'Find-WpSite' {
    It 'finds every sandbox site with its database settings' {
        $sites = @(Find-WpSite -Path $env:WPBACKUP_DEMO_SITES -Depth 3)
        $sites.Count | Should -BeGreaterOrEqual 2
        $sites | ForEach-Object { $_.DatabaseName | Should -Not -BeNullOrEmpty }
    }
}

Describe 'Full backup, disaster, restore' {
    BeforeAll {
        $site = Find-WpSite -Path $env:WPBACKUP_DEMO_SITES | Select-Object -First 1
        $posts = Get-PostCount $site.Root
    }

    It 'makes a Full backup that lists and passes Test-WpBackup' {
        $backup = $site | New-WpBackup -Type Full -Destination $destination -Reason acceptance
        $backup.Type | Should -Be 'Full'
        (Get-WpBackup -Destination $destination -Site $site.Name -Newest 1).Id | Should -Be $backup.Id
        ($backup | Test-WpBackup).Passed | Should -BeTrue
    }

    It 'restores files and posts after both are lost' {
        Clear-Posts $site.Root
        Get-PostCount $site.Root | Should -Be 0
        Remove-Item -LiteralPath $site.Root -Recurse -Force

        $result = Get-WpBackup -Destination $destination -Site $site.Name -Newest 1 | Restore-WpBackup -Confirm:$false
        $result.FilesRestored | Should -BeGreaterThan 0
        Join-Path $site.Root 'wp-config.php' | Should -Exist
        Get-PostCount $site.Root | Should -Be $posts
    }
}

Describe 'Incremental chain and retention' {
    BeforeAll {
        $site = Find-WpSite -Path $env:WPBACKUP_DEMO_SITES | Select-Object -Last 1
        $chainRoot = Join-Path $TestDrive 'chain'
    }

    It 'stores only changed files and restores the whole tree' {
        $full = $site | New-WpBackup -Type Incremental -Destination $chainRoot
        $full.Type | Should -Be 'Full'
        Set-Content -LiteralPath (Join-Path $site.Root 'wp-content/uploads/acceptance.txt') -Value 'changed'
        Start-Sleep -Seconds 1
        $incremental = $site | New-WpBackup -Type Incremental -Destination $chainRoot
        $incremental.Type | Should -Be 'Incremental'
        $incremental.Parent | Should -Be $full.Id
        $incremental.StoredFileCount | Should -BeLessThan $full.StoredFileCount

        $target = Join-Path $TestDrive 'restored'
        $result = $incremental | Restore-WpBackup -Target $target -Type Files -Confirm:$false
        $result.Archives.Count | Should -Be 2
        Get-Content -LiteralPath (Join-Path $target 'wp-content/uploads/acceptance.txt') | Should -Be 'changed'
    }

    It 'keeps a kept incremental''s parent and removes nothing it needs' {
        Get-WpBackup -Destination $chainRoot | Remove-WpBackup -KeepLast 1 -Confirm:$false
        @(Get-WpBackup -Destination $chainRoot -Site $site.Name).Count | Should -Be 2
    }
}

Describe 'Inventory and the example scripts' {
    BeforeAll {
        $inventory = Join-Path $TestDrive 'inventory.yml'
        $nightlyRoot = Join-Path $TestDrive 'nightly'
        Set-Content -LiteralPath $inventory -Value "defaults:`n  destination: '$nightlyRoot'`n  retention:`n    keepLast: 2`nsites: []"
        if (-not $IsWindows) { chmod 600 $inventory }
        $env:WPBACKUP_CONFIG = $inventory
    }
    AfterAll {
        Remove-Item Env:WPBACKUP_CONFIG -ErrorAction SilentlyContinue
    }

    It 'Register-WpSite writes the sites Get-WpSite reads back' {
        Find-WpSite -Path $env:WPBACKUP_DEMO_SITES | Register-WpSite -Tag acceptance -ConfigPath $inventory
        $sites = @(Get-WpSite -Tag acceptance)
        $sites.Count | Should -BeGreaterOrEqual 2
        $sites[0].Settings.Retention | Should -Not -BeNullOrEmpty
    }

    It 'examples/nightly-backup.ps1 backs up every site and exits 0' {
        & pwsh -NoProfile -File (Join-Path $examples 'nightly-backup.ps1') | Out-Host
        $LASTEXITCODE | Should -Be 0
        foreach ($site in Get-WpSite) {
            $newest = Get-WpBackup -Destination $nightlyRoot -Site $site.Name -Newest 1
            ([DateTime]::UtcNow - $newest.Created).TotalHours | Should -BeLessThan 1
            ($newest | Test-WpBackup).Passed | Should -BeTrue
        }
    }

    It 'examples/verify-backups.Tests.ps1 passes after the nightly job' {
        $container = New-PesterContainer -Path (Join-Path $examples 'verify-backups.Tests.ps1') -Data @{ MaxAgeHours = 1 }
        $env:WPBACKUP_MODULE = $module
        $result = Invoke-Pester -Container $container -PassThru -Output None
        $result.FailedCount | Should -Be 0
        $result.PassedCount | Should -BeGreaterThan 0
    }

    It 'examples/restore-to-staging.ps1 -WhatIf changes nothing' {
        $site = @(Get-WpSite)[0]
        $target = Join-Path $TestDrive 'staging'
        & (Join-Path $examples 'restore-to-staging.ps1') -Site $site.Name -Target $target -DatabaseName 'acceptance_staging' -Destination $nightlyRoot -WhatIf
        $target | Should -Not -Exist
    }
}
