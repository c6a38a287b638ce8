#!/usr/bin/perl
# rb-summary.pl RESULTS.tsv [A/B ...]: a markdown table of every measured name (median of
# its rounds >= 1; round 0 is a warm-up and skipped when there are others), then the ratios
# A/B of the median times asked for (B may be x+y, the sum of two medians). results.tsv: name round seconds peak_rss_kb load1.
use strict; use warnings; use List::Util qw(min max);
my ($file, @pairs) = @ARGV;
my (%r, @order);
open my $f, '<', $file or die "$file: $!";
while (<$f>) { chomp; my ($n, $round, $s, $rss, $load) = split /\t/; push @order, $n unless $r{$n}; push @{ $r{$n} }, [$round, $s, $rss, $load]; }
sub median { my @v = sort { $a <=> $b } @_; my $n = @v; $n % 2 ? $v[$n / 2] : ($v[$n / 2 - 1] + $v[$n / 2]) / 2 }
my %m;
print "| Measurement | Runs | Median s | Range s | Peak RSS MB (median) | load1 before (median) |\n|---|---:|---:|---:|---:|---:|\n";
for my $n (@order) {
    my @rows = grep { $_->[0] != 0 } @{ $r{$n} }; @rows = @{ $r{$n} } unless @rows;
    my @s = map { $_->[1] } @rows;
    $m{$n} = median(@s);
    printf "| %s | %d | %.2f | %.2f–%.2f | %.0f | %.1f |\n", $n, scalar @rows, $m{$n}, min(@s), max(@s),
        median(map { $_->[2] } @rows) * 1024 / 1e6, median(map { $_->[3] } @rows);
}
if (@pairs) {
    print "\n| Ratio | Value |\n|---|---:|\n";
    # B may be a sum of medians, "x+y": one tool's work done by two peer commands.
    for my $p (@pairs) {
        my ($a, $b) = split m{/}, $p, 2; my @parts = split /\+/, $b;
        next if !$m{$a} || grep { !$m{$_} } @parts;
        my $sum = 0; $sum += $m{$_} for @parts;
        printf "| %s / %s | %.2f× |\n", $a, $b, $m{$a} / $sum;
    }
}
