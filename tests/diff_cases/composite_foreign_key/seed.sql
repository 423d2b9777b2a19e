INSERT INTO orders (region, number) VALUES ('eu', 1), ('eu', 2)
--> statement-breakpoint
INSERT INTO order_lines (region, number, line) VALUES ('eu', 1, 1), ('eu', 1, 2), ('eu', 2, 1)
