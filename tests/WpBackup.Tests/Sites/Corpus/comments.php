<?php
/**
 * define('DB_NAME', 'docblock_db');
 */
// define('DB_PASSWORD', 'old-password');
# define('DB_PASSWORD', 'older-password');
/* define('DB_PASSWORD', 'oldest-password'); */
define( /* the name */ 'DB_NAME', 'real_db' ); // define('DB_NAME', 'trailing');
define( 'DB_USER', 'real_user' ); # define('DB_USER', 'hash');
define( 'DB_PASSWORD', 'pa//ss#wo/*rd*/' );
define( 'DB_HOST', 'localhost' ); /* multi-line comment
define('DB_HOST', 'commented.example');
*/
// A line comment ends at ?> : the rest of this line is outside PHP ?> define('DB_CHARSET', 'latin1');
<?php
$table_prefix = 'c_'; // $table_prefix = 'commented_';
