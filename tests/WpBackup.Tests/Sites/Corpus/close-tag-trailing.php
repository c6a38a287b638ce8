<?php
define('DB_NAME', 'tagdb');
define('DB_USER', 'taguser');
define('DB_PASSWORD', 'tag?>pass');
define('DB_HOST', 'localhost');
$table_prefix = 'wp_';
?>
Text after the closing tag is sent to the browser, not run:
define('DB_NAME', 'html_db');
<?xml version="1.0"?> is not an opening tag either: define('DB_USER', 'xml_user');
