SELECT nextval('billing.invoice_number')
