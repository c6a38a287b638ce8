<?php
// php peer-option-file.php WP_CONFIG OUT_CNF
// Writes the [client] option file (mode 0600) a sysadmin's peer pipeline would use: the
// site's own DB_USER / DB_PASSWORD / DB_HOST from wp-config.php. The password goes from
// the file to the file, never through a command line. Only literal define()s are read
// (the benchmark site's wp-config is written by the sandbox with literals).
// Prints the database name on stdout.
[$self, $config, $out] = $argv;
$text = file_get_contents($config);
$values = [];
foreach (['DB_NAME', 'DB_USER', 'DB_PASSWORD', 'DB_HOST'] as $name) {
    if (!preg_match("/define\\(\\s*'$name'\\s*,\\s*('(?:[^'\\\\]|\\\\.)*')\\s*\\)/", $text, $m)) {
        fwrite(STDERR, "peer-option-file: no literal $name in $config\n");
        exit(2);
    }
    $values[$name] = eval("return $m[1];"); // a PHP single-quoted literal, nothing else
}
$host = $values['DB_HOST'];
$port = null;
$socket = null;
if (preg_match('/^(.*):(\d+)$/', $host, $m)) { $host = $m[1]; $port = $m[2]; }
elseif (preg_match('/^(.*):(\/.*)$/', $host, $m)) { $host = $m[1]; $socket = $m[2]; }
$quote = fn(string $v): string => '"' . strtr($v, ['\\' => '\\\\', '"' => '\\"', "\n" => '\\n', "\r" => '\\r', "\t" => '\\t']) . '"';
$cnf = "[client]\nuser=" . $quote($values['DB_USER']) . "\npassword=" . $quote($values['DB_PASSWORD']) . "\nhost=" . $quote($host) . "\n";
if ($port !== null) $cnf .= "port=$port\n";
if ($socket !== null) $cnf .= "socket=" . $quote($socket) . "\n";
$cnf .= "default-character-set=utf8mb4\n";
umask(077);
if (file_exists($out)) unlink($out);
file_put_contents($out, $cnf);
chmod($out, 0600);
echo $values['DB_NAME'], "\n";
