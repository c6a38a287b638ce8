<?php
use const Some\Library\VERSION;
const DB_NAME = 'const_db', DB_USER = 'const_user';
const DB_PASSWORD = 'const_pass';
class Settings
{
    const DB_HOST = 'class-constant.example';
}
const DB_HOST = 'localhost:3306';
$table_prefix = 'k_';
