from django.db import models


class Revision(models.Model):
    """One row: a number the database itself raises whenever a page's data changes.

    Written only by the triggers in `revision.py`, in the same transaction as
    the change, so a page stored under a number can never outlive its data.
    """

    number = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="revision_single_row")]

    def __str__(self):
        return f"Revision {self.number}"
