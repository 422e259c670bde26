"""Accounts and memberships are administered in zimao/audit/admin.py, where their changes
are audited like every other (the audit app sits above accounts)."""
