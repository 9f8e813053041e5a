"""Every sentence Tandem says, one module per feature, so wording stays
consistent and can be reviewed (or translated) in one place."""
