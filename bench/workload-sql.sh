#!/bin/sh
# bench/workload-sql.sh — prints the SQL script of side-by-side.sh's sqlite
# workload, for `sqlite3 :memory:`: ROWS single-row inserts of orders with
# text fields, an index, then grouped, joined, sorted and LIKE queries.
# Output goes to /dev/null; the time is the figure. Deterministic.
# Usage: bench/workload-sql.sh ROWS > script.sql
set -eu
ROWS=${1:-100000}
awk -v rows="$ROWS" 'BEGIN {
	print ".output /dev/null"
	print "CREATE TABLE customer(id INTEGER PRIMARY KEY, name TEXT, city TEXT);"
	print "CREATE TABLE orders(id INTEGER PRIMARY KEY, customer INTEGER, item TEXT, qty INTEGER, note TEXT);"
	print "BEGIN;"
	for (c = 0; c < 1000; c++)
		printf "INSERT INTO customer VALUES(%d, %ccustomer-%d%c, %ccity-%d%c);\n", c, 39, c, 39, 39, c % 37, 39
	x = 12345
	for (i = 0; i < rows; i++) {
		x = (x * 1103515245 + 12345) % 2147483648
		printf "INSERT INTO orders VALUES(%d, %d, %citem-%d%c, %d, %c%s-%d%c);\n", i, x % 1000, 39, x % 5000, 39, x % 17 + 1, 39, "note", x, 39
	}
	print "COMMIT;"
	print "CREATE INDEX orders_customer ON orders(customer);"
	print "CREATE INDEX orders_item ON orders(item, qty);"
	for (q = 0; q < 20; q++) {
		print "SELECT city, count(*), sum(qty) FROM orders JOIN customer ON customer.id = orders.customer GROUP BY city ORDER BY 3 DESC;"
		printf "SELECT item, avg(qty) FROM orders WHERE item LIKE %citem-%d%%%c GROUP BY item;\n", 39, q, 39
		print "SELECT note, group_concat(item) FROM orders WHERE customer BETWEEN " q * 40 " AND " q * 40 + 39 " GROUP BY note ORDER BY note DESC LIMIT 500;"
	}
	print "UPDATE orders SET note = upper(note) || note WHERE qty > 8;"
	print "DELETE FROM orders WHERE qty < 4;"
	print "VACUUM;"
}'
