SET TIME ZONE 'Asia/Kolkata'
