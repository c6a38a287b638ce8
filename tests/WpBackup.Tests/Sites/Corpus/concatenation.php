<?php
$site = 'shop';
define( 'DB_NAME', 'wp_' . $site );
define( 'DB_USER', 'user_'.'shop' );
define( 'DB_PASSWORD', 'Secret' . 'Tail' . 42 );
define( 'DB_SERVER', 'db1.example.net' );
define( 'DB_HOST', DB_SERVER . ':3306' );
$table_prefix = $site . '_';
