<?php
// Mark Jaquith's local-config pattern: developers keep their own settings next to this file.
if ( file_exists( dirname( __FILE__ ) . '/local-config.php' ) ) {
	include( dirname( __FILE__ ) . '/local-config.php' );
	define( 'WP_LOCAL_DEV', true );
} else {
	define( 'DB_NAME', 'production_db' );
	define( 'DB_USER', 'production_user' );
	define( 'DB_PASSWORD', 'production_password' );
	define( 'DB_HOST', 'mysql.example.com' );
}
defined( 'WP_DEBUG' ) or define( 'WP_DEBUG', false );
if ( !defined('WP_CACHE') ) define( 'WP_CACHE', true );
define( 'DB_CHARSET', 'utf8mb4' );
$table_prefix = 'env_';
