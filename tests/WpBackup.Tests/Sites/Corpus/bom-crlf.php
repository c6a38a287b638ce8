<?php
// Saved by a Windows editor: UTF-8 with a byte order mark and CRLF line endings.
define( 'DB_NAME', 'windows_db' );
define( 'DB_USER', 'windows_user' );
define( 'DB_PASSWORD', 'line1
line2' );
define( 'DB_HOST', 'localhost' );
$table_prefix = 'win_';
