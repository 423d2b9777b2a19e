INSERT INTO memberships (user_id, group_id) VALUES ('u1', 'g1'), ('u2', 'g1')
