<?php
DEFINE
(
	'DB_NAME'
	,
	"spaced_db"
)
;
define('DB_USER','tight');define  (  'DB_PASSWORD'  ,  'sp ace'  )  ;
\define( 'DB_HOST' , 'localhost' );
	Define(	'DB_CHARSET',	'utf8'	);
$table_prefix
	=
	'sp_'
	;
