<?php
define( 'DB_NAME', 'portdb' );
define( 'DB_USER', 'portuser' );
define( 'DB_PASSWORD', 'portpass' );
define( 'DB_HOST', '127.0.0.1:3307' );
$table_prefix = 'wp_';
