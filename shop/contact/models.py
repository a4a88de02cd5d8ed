from django.db import models


class ContactMessage(models.Model):
    """A message sent through the contact form; kept SHOP_CONTACT_RETENTION_DAYS."""

    name = models.CharField(max_length=100)
    email = models.EmailField()
    order_number = models.CharField(max_length=32, blank=True)
    message = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Message from {self.name} ({self.created_at:%Y-%m-%d})"
