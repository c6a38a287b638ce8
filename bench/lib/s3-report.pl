#!/usr/bin/perl
# s3-report.pl RESULTS_DIR: the "Offsite and encryption" section of docs/benchmarks.md from one
# bench/s3.sh run (results.tsv, cpu.tsv, facts.env, machine.env, logs/timeline-*.log). Round 0 is the warm-up
# and is left out. A row that sums several steps (backup to disk, then upload) sums them per
# round before taking the median; its peak RSS is the largest of the steps' (they run one
# after the other). Ratio = WpBackup time / peer time: above 1 WpBackup is slower.
use strict; use warnings; use List::Util qw(sum max min);
my ($dir) = @ARGV or die "usage: s3-report.pl RESULTS_DIR\n";

my %f;  # facts.env and machine.env hold NAME=VALUE written with printf %q: unquote through bash
open my $env, '-|', 'bash', '-c', 'set -a; source "$1/facts.env"; source "$1/machine.env"; set +a; env -0', '_', $dir or die $!;
{ local $/ = "\0"; while (my $kv = <$env>) { chomp $kv; my ($k, $v) = split /=/, $kv, 2; $f{$k} = $v; } }
close $env;

my (%run, %cpu, %server, @loads);  # $run{name}{round} = [seconds, rss_kb]
open my $t, '<', "$dir/results.tsv" or die "$dir/results.tsv: $!";
while (<$t>) { chomp; my ($n, $r, $s, $rss, $load) = split /\t/; next unless $r; $run{$n}{$r} = [$s, $rss]; push @loads, $load; }
open my $c, '<', "$dir/cpu.tsv" or die "$dir/cpu.tsv: $!";
while (<$c>) { chomp; my ($n, $r, $cpu, $srv) = split /\t/; next unless $r; $cpu{$n}{$r} = $cpu; $server{$n}{$r} = $srv; }
sub median { my @v = sort { $a <=> $b } @_; my $n = @v; $n % 2 ? $v[$n / 2] : ($v[$n / 2 - 1] + $v[$n / 2]) / 2 }
sub rounds { my @names = @_; my %r; for my $n (@names) { die "no runs of $n\n" unless $run{$n}; $r{$_}++ for keys %{ $run{$n} } } grep { $r{$_} == @names } sort { $a <=> $b } keys %r }
sub steps { # "a+b": median of per-round sums, largest median peak RSS (MB), range, median CPU s (sum)
    my @names = split /\+/, shift;
    my @r = rounds(@names);
    my $s = median(map { my $r = $_; sum(map { $run{$_}{$r}[0] } @names) } @r);
    my $rss = max(map { my $n = $_; median(map { $run{$n}{$_}[1] } @r) } @names) * 1024 / 1e6;
    my @all = map { my $r = $_; sum(map { $run{$_}{$r}[0] } @names) } @r;
    my $cpu = median(map { my $r = $_; sum(map { $cpu{$_}{$r} } @names) } @r);
    return ($s, $rss, min(@all), max(@all), $cpu);
}
my $mb = sub { sprintf '%.0f MB', $_[0] / 1e6 };
my $reps = scalar rounds('wp_full_s3');

print "## Offsite and encryption\n\n";
print "Produced by `$f{command}` on $f{run_date_utc} UTC at commit $f{git_commit} ($f{machine}), ";
print "every figure from that one run: each round runs every WpBackup command and its peer one after the other ";
print "(interleaved), one warm-up round then $reps measured rounds; medians, with the range over the rounds. ";
printf "The machine is shared with other sessions' builds and tests: the 1-minute load average before the runs was %.2f–%.2f (median %.2f; %s at the start, %s at the end), ",
    min(@loads), max(@loads), median(@loads), $f{load_start}, $f{load_end};
print "so single timings wobble; the ratios compare runs made seconds apart.\n\n";
printf "Data: the sandbox site, %s in %d files, and a database whose dump is %s; WpBackup's full archive is %s ",
    $mb->($f{files_bytes}), $f{files_count}, $mb->($f{dump_bytes}), $mb->($f{size_plain});
printf "(%s encrypted to a recipient, %s with a passphrase), the peer's two archives %s. ", $mb->($f{size_age}), $mb->($f{size_pass}), $mb->($f{size_peer});
print "Server: $f{s3rver_version} on 127.0.0.1 writing to the same disk, path-style, key S3RVER; peer client: $f{rclone_version}, configured only by ";
print "`RCLONE_CONFIG_S3B_*` variables (no config file); $f{age_version}. Uploaded objects were read back (rclone) and compared byte for byte with the local archives, ";
print "the archive WpBackup wrote into the bucket was listed with `zstd -dc | tar -t`, the encrypted one opened with `age -d`, and every decryption below was compared with the plaintext.\n\n";
print "CPU s: user + system seconds of the command and every process it started (s3rver's not included): on a busy machine a steadier measure of the work than the elapsed time. ";
print "Peak RSS: of the `wpbackup` process; of `rclone`; for a pipeline the sum of its processes; for steps run one after the other the largest. ";
printf "Every WpBackup figure includes starting the host (`wpbackup -Command '\$null'`: %.2f s, %.0f MB).\n\n", (steps('wp_startup'))[0], (steps('wp_startup'))[1];

my @rows = (
    ['Full backup into the bucket', 'wp_full_s3', '`New-WpBackup -Type Full -Destination s3://bench/wp -S3Endpoint …`', 'wp_full_disk+rclone_upload_wp', 'the same `New-WpBackup` to disk, then `rclone copy` of the folder'],
    ['', 'wp_full_s3', '(same)', 'peer_files_disk+peer_db_disk+rclone_upload_peer', '`tar -cf - . \\| zstd -3 -T0`, `mariadb-dump … \\| zstd -3 -T0` to disk, then `rclone copy`'],
    ['Upload of one existing backup', 'wp_copy_s3', '`Get-WpBackup -Destination DIR \\| Copy-WpBackup -Destination s3://…`', 'rclone_upload_wp', '`rclone copy DIR s3b:bench/…`'],
    ['Encrypt the plaintext archive (file to file)', 'wp_age_encrypt_file', 'WpBackup\'s age layer (`bench/lib/s3-age-file.ps1 encrypt`, in `wpbackup`)', 'age_cli_encrypt_file', '`age -r age1… -o OUT ARCHIVE`'],
    ['Decrypt it (file to file)', 'wp_age_decrypt_file', '`s3-age-file.ps1 decrypt` (age CLI\'s ciphertext)', 'age_cli_decrypt_file', '`age -d -i key.txt -o OUT IN`'],
    ['Read back a plain archive', 'wp_test_plain', '`Test-WpBackup -Path ARCHIVE`', 'zstd_d_plain', '`zstd -dc ARCHIVE > /dev/null`'],
    ['Read back an encrypted archive', 'wp_test_age', '`Test-WpBackup -Path ARCHIVE.age -IdentityFile key.txt`', 'age_d_zstd_d', '`age -d -i key.txt ARCHIVE.age \\| zstd -dc > /dev/null`'],
    ['', 'wp_test_pass', '`Test-WpBackup -Passphrase …` (scrypt 2^18)', 'age_d_zstd_d', '(same, recipient key)'],
    ['Restore the files of an encrypted archive', 'wp_restore_files_age', '`Restore-WpBackup -Type Files -Target DIR -IdentityFile key.txt`', 'age_d_tar_x', '`age -d -i key.txt ARCHIVE.age \\| tar --zstd -xf - -C DIR`'],
);
print "| Operation | WpBackup | s (range) | CPU s | Peak RSS MB | Peer | s (range) | CPU s | Peak RSS MB | WpBackup / peer: time | CPU |\n|---|---|---:|---:|---:|---|---:|---:|---:|---:|---:|\n";
for my $row (@rows) {
    my ($op, $a, $adesc, $b, $bdesc) = @$row;
    my ($as, $arss, $amin, $amax, $acpu) = steps($a); my ($bs, $brss, $bmin, $bmax, $bcpu) = steps($b);
    printf "| %s | %s | %.2f (%.2f–%.2f) | %.1f | %.0f | %s | %.2f (%.2f–%.2f) | %.1f | %.0f | **%.2f×** | %.2f× |\n",
        $op, $adesc, $as, $amin, $amax, $acpu, $arss, $bdesc, $bs, $bmin, $bmax, $bcpu, $brss, $as / $bs, $acpu / $bcpu;
}

print "\nEncryption overhead: the same `New-WpBackup -Type Full`, encrypted and not.\n\n";
print "| Backup | Plain s | Encrypted s | Time overhead | Plain CPU s | Encrypted CPU s | CPU overhead | Peak RSS MB plain / encrypted |\n|---|---:|---:|---:|---:|---:|---:|---:|\n";
for my $o (['to disk, `-Encrypt -Recipient age1…`', 'wp_full_disk', 'wp_full_disk_age'],
           ['to disk, `-Encrypt -Passphrase …` (scrypt 2^18)', 'wp_full_disk', 'wp_full_disk_pass'],
           ['into the bucket, `-Encrypt -Recipient age1…`', 'wp_full_s3', 'wp_full_s3_age']) {
    my ($label, $p, $e) = @$o; my ($ps, $prss, undef, undef, $pcpu) = steps($p); my ($es, $erss, undef, undef, $ecpu) = steps($e);
    printf "| %s | %.2f | %.2f | %+.0f%% | %.1f | %.1f | %+.0f%% | %.0f / %.0f |\n", $label, $ps, $es, 100 * ($es / $ps - 1), $pcpu, $ecpu, 100 * ($ecpu / $pcpu - 1), $prss, $erss;
}

print "\nThe server: s3rver is one Node.js process; its CPU time during each upload, as a share of one core, says whether it is the limit (near 100%: it is).\n\n";
print "| Upload | Bytes | Median s | MB/s | s3rver CPU (share of one core) |\n|---|---:|---:|---:|---:|\n";
for my $u (['`rclone copy` of the WpBackup archive', 'rclone_upload_wp', $f{size_plain}], ['`rclone copy` of the peer\'s two archives', 'rclone_upload_peer', $f{size_peer}],
           ['`Copy-WpBackup` of the WpBackup archive', 'wp_copy_s3', $f{size_plain}], ['`New-WpBackup` into the bucket (backup and upload at once)', 'wp_full_s3', $f{size_plain}],
           ['`New-WpBackup -Encrypt` into the bucket', 'wp_full_s3_age', $f{size_age}]) {
    my ($label, $n, $bytes) = @$u; my @r = rounds($n); my ($s) = steps($n);
    my $cpu = median(map { $server{$n}{$_} / $run{$n}{$_}[0] } @r);
    printf "| %s | %s | %.2f | %.0f | %.0f%% |\n", $label, $mb->($bytes), $s, $bytes / 1e6 / $s, 100 * $cpu;
}

print "\nEvery measurement (median of $reps rounds):\n\n| Name | Median s | Range s | CPU s | Peak RSS MB |\n|---|---:|---:|---:|---:|\n";
for my $n (sort keys %run) { my ($s, $rss, $lo, $hi, $cpu) = steps($n); printf "| %s | %.2f | %.2f–%.2f | %.1f | %.0f |\n", $n, $s, $lo, $hi, $cpu, $rss; }

print "\nOne more backup each way with `-Verbose`, each line stamped with seconds since the start, and s3rver's CPU each second (not part of the figures above):\n\n";
for my $t ('backup-disk', 'backup-s3') {
    open my $log, '<', "$dir/logs/timeline-$t.log" or die "timeline-$t.log: $!";
    print "```\n# $t\n", <$log>, "```\n\n";
}
