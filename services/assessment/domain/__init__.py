"""The assessment's rules that need no database: the indicator registry, what each event
counts for, the scheme and its checks, and the scoring of a scheme against actual values."""
