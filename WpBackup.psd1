@{
    RootModule           = 'WpBackup.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5f0f7a52-3c1e-4c57-9a55-2f1f6c0f7d41'
    Author               = 'WpBackup contributors'
    Copyright            = '(c) WpBackup contributors. MIT License.'
    Description          = 'Back up and restore WordPress sites (files and MySQL/MariaDB databases), locally or over SSH, into zstd tar archives.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('WpBackup.format.ps1xml')
    TypesToProcess       = @('WpBackup.types.ps1xml')
    CmdletsToExport      = @('Get-WpSite', 'Register-WpSite', 'Find-WpSite', 'New-WpBackup', 'Get-WpBackup', 'Restore-WpBackup', 'Remove-WpBackup', 'Test-WpBackup', 'Copy-WpBackup')
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('WordPress', 'Backup', 'MariaDB', 'MySQL', 'zstd', 'SSH')
            LicenseUri = 'https://opensource.org/licenses/MIT'
        }
    }
}
