"""Clinical risk management records (DCB0129 style): the hazard log, kept as data and checked by tests."""
