<?php
define("DB_NAME", "shop");
define("DB_USER", "shop_admin");
// Escapes: \" \\ \$ \t, hex \x41, octal \101, Unicode \u{e9}, an unknown escape \q stays as written.
define("DB_PASSWORD", "q\"u\\o\$te\tA\x41\101\u{e9}\q");
define("DB_HOST", "db.internal");
define("DB_CHARSET", "utf8mb4");
$table_prefix = "shop_";
require_once ABSPATH . 'wp-settings.php';
