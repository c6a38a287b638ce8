<?php
# Created by setup-mysql
define('DB_NAME', 'blog_example_org');
define('DB_USER', 'blog_example_org');
define('DB_PASSWORD', 'Kx7pQ2vLw9');
define('DB_HOST', 'localhost');
define('WP_CONTENT_DIR', '/srv/www/wp-content/blog.example.org');
?>
