<?php
define( 'DB_NAME', 'v6db' );
define( 'DB_USER', 'v6user' );
define( 'DB_PASSWORD', 'v6pass' );
define( 'DB_HOST', '[::1]:3307' );
$table_prefix = 'wp_';
