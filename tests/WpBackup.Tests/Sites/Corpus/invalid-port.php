<?php
define( 'DB_NAME', 'db' );
define( 'DB_USER', 'user' );
define( 'DB_PASSWORD', '' );
define( 'DB_HOST', 'localhost:mysql' );
