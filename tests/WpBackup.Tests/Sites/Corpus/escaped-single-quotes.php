<?php
define( 'DB_NAME', 'o\'brien_db' );
define( 'DB_USER', 'obrien' );
define( 'DB_PASSWORD', 'it\'s a \\ back\slash\n' );
define( 'DB_HOST', 'localhost' );
define( 'AUTH_KEY', 'x]\'Y;>qB|z\\' );
$table_prefix = 'wp_';
