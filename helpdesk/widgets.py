"""A reply box with the canned-reply picker beside it (static/js/canned-replies.js fills the text)."""
from django import forms


class CannedReplyTextarea(forms.Textarea):
    template_name = "helpdesk/widgets/canned_reply_textarea.html"

    class Media:
        js = ["js/canned-replies.js"]

    def __init__(self, attrs=None, replies=()):
        super().__init__(attrs)
        self.replies = list(replies)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["replies"] = self.replies
        return context
