<?php
define( 'DB_NAME', 'first_db' );
define( 'DB_USER', 'first_user' );
define( 'DB_PASSWORD', 'first_pass' );
define( 'DB_HOST', 'localhost' );
/* Pasted again further down by a well-meaning admin: PHP keeps the first values and warns. */
define( 'DB_NAME', 'second_db' );
define( 'DB_PASSWORD', 'second_pass' );
define( 'DB_NAME', 'third_db' );
