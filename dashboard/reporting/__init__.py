"""The reporting form (issue 20): its fields and checks, its secrets, the way submissions reach the database, and the receipt."""
