# The real local receivers (SMTP server, group robot) as fixtures for every alert test.
from .receivers import mailbox, robot  # noqa: F401
