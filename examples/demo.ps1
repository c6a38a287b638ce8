# The README's main job: find a WordPress site, back it up, list the backup, break the
# site (files deleted, posts wiped), restore it and show it is whole again.
# Run by examples/demo.sh inside a throwaway MariaDB + WordPress sandbox; it needs
# $env:WPBACKUP_DEMO_SITES (where the sandbox put the site) and $env:WPBACKUP_ROOT.
$ErrorActionPreference = 'Stop'

function Get-PostCount([string] $Root) {
    # WordPress's own code answers: the site really works against its database.
    & php -r 'chdir($argv[1]); define("WP_USE_THEMES", false); require "wp-load.php"; echo wp_count_posts()->publish;' -- $Root
}

"== Find-WpSite -Path $env:WPBACKUP_DEMO_SITES"
$site = Find-WpSite -Path $env:WPBACKUP_DEMO_SITES
$site | Out-Default
"published posts: $(Get-PostCount $site.Root)"

"== New-WpBackup -Type Full (files + database, into $env:WPBACKUP_ROOT)"
$backup = $site | New-WpBackup -Type Full -Reason 'demo' -Metadata @{ ticket = 'DEMO-1' } -Verbose
$backup | Out-Default

"== Get-WpBackup"
Get-WpBackup | Out-Default

"== tar --zstd -tf $($backup.Path) (the archive opens without WpBackup)"
& tar --zstd -tf $backup.Path | Where-Object { $_ -notlike 'files/wp-*/*' } | Out-Default

"== Disaster: the site's files are deleted and every post is wiped"
& php -r 'chdir($argv[1]); define("WP_USE_THEMES", false); require "wp-load.php"; global $wpdb; $wpdb->query("DELETE FROM $wpdb->posts");' -- $site.Root
"published posts: $(Get-PostCount $site.Root)"
[System.IO.Directory]::Delete($site.Root, $true)
"site folder exists: $([System.IO.Directory]::Exists($site.Root))"

"== Get-WpBackup -Site $($site.Name) -Newest 1 | Restore-WpBackup -Confirm:`$false"
Get-WpBackup -Site $site.Name -Newest 1 | Restore-WpBackup -Confirm:$false | Out-Default
"published posts: $(Get-PostCount $site.Root)"
"wp-config.php restored: $([System.IO.File]::Exists([System.IO.Path]::Combine($site.Root, "wp-config.php")))"
