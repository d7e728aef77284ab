INSERT INTO accounts (id, email) VALUES (1, 'a@example.com') RETURNING id
