<?php
define( 'DB_NAME', 'sockdb' );
define( 'DB_USER', 'sockuser' );
define( 'DB_PASSWORD', 'sockpass' );
define( 'DB_HOST', 'localhost:/var/run/mysqld/mysqld.sock' );
$table_prefix = 'wp_';
