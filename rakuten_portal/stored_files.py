"""What a claim's attachment and a help-desk request's attachment have in common: one abstract model.

Each app keeps its own file fields (their `upload_to` names its folder, and its migrations refer to it).
"""
from django.db import models
from django.utils.translation import gettext_lazy as _


class StoredFile(models.Model):
    """A re-encoded photo or a PDF, kept under a random name and served only through an authorised view."""

    kind = models.CharField(max_length=8, default="image")
    content_type = models.CharField(max_length=40)
    original_name = models.CharField(_("nom du fichier"), max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.original_name

    @property
    def is_image(self):
        return self.kind == "image"
