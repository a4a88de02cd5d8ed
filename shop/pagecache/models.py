from django.db import models


class Revision(models.Model):
    """A scope's number, which the database itself raises whenever data in that scope changes.

    Written only by the triggers in `revision.py`, in the same transaction as
    the change, so a page stored under a number can never outlive its data.
    """

    scope = models.CharField(max_length=100, unique=True)
    number = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"{self.scope}: {self.number}"
