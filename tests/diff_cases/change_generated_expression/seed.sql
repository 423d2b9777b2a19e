INSERT INTO products (id, name, price_cents) VALUES (1, 'mug', 250), (2, 'cup', 100)
