# s3-age-file.ps1 encrypt|decrypt IN OUT KEYFILE: WpBackup's age layer (WpBackup.Core.Crypto,
# the code New-WpBackup -Encrypt and Restore/Test-WpBackup use) on one file, for comparison
# with `age -r` / `age -d -i` on the same file. encrypt: to the public key in KEYFILE (the
# `# public key:` line of age-keygen); decrypt: with the identity in KEYFILE. Run with `wpbackup -File`.
param([ValidateSet('encrypt', 'decrypt')] $Direction, $In, $Out, $KeyFile)
$ErrorActionPreference = 'Stop'
$input_ = [System.IO.File]::OpenRead($In)
$output = [System.IO.File]::Create($Out)
try {
    if ($Direction -eq 'encrypt') {
        $public = [System.IO.File]::ReadAllLines($KeyFile) -match '^# public key: ' -replace '^# public key: '
        $recipients = [WpBackup.Core.Crypto.AgeRecipient[]]@([WpBackup.Core.Crypto.AgeRecipient]::Parse($public))
        $age = [WpBackup.Core.Crypto.AgeEncryptStream]::Create($output, $recipients)
        $input_.CopyTo($age, 1MB)
    } else {
        $age = [WpBackup.Core.Crypto.AgeDecryptStream]::Open($input_, [WpBackup.Core.Crypto.AgeIdentity]::ParseFile($KeyFile))
        $age.CopyTo($output, 1MB)
    }
    $age.Dispose()
} finally {
    $input_.Dispose(); $output.Dispose()
}
