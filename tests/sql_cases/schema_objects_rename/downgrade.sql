SELECT nextval('billing.invoice_no')
