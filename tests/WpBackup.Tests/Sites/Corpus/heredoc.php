<?php
$notice = <<<EOT
  This heredoc is text: define('DB_NAME', 'heredoc_db'); // not a define
  EOT;
$raw = <<<'NOW'
define('DB_USER', 'nowdoc_user');
NOW;
define( 'DB_NAME', 'after_heredoc' );
define( 'DB_USER', 'user' );
define( 'DB_PASSWORD', <<<'PASS'
nowdoc-secret
PASS );
define( 'DB_HOST', 'localhost' );
