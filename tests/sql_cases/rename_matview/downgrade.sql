SELECT accounts FROM account_counts
