SELECT accounts FROM account_totals
