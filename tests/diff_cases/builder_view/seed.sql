INSERT INTO books (id, title, published) VALUES ('b1', 'one', 1), ('b2', 'two', 0)
