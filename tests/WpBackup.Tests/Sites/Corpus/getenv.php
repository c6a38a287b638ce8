<?php
define( 'DB_NAME', 'envdb' );
define( 'DB_USER', $_ENV['WP_DB_USER'] ?? 'fallback_user' );
define( 'DB_PASSWORD', getenv('WP_DB_PASS') );
define( 'DB_HOST', getenv( 'WP_DB_HOST' ) ?: 'localhost' );
$table_prefix = 'wp_';
