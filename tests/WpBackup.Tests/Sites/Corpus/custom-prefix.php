<?php
define( 'DB_NAME', 'multi' );
define( 'DB_USER', 'multi' );
define( 'DB_PASSWORD', 'multi' );
define( 'DB_HOST', 'localhost' );
$table_prefix = 'wp_';
// The second install in this database; the last assignment wins.
$table_prefix  =  "blog2_";
if ( $table_prefix == 'x' ) { echo 'comparison, not assignment'; }
