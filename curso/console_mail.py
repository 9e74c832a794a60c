"""Development mail backend: each email printed as people read it, links whole.

Django's console backend prints the MIME message; non-ASCII bodies are quoted-printable, so a
long link is broken across "="-terminated lines and cannot be copied. This prints the headers that
matter and the decoded text body (and HTML alternative) instead. Never used in production: the
accounts.E001 deploy check refuses it.
"""

from django.core.mail.backends.console import EmailBackend as DjangoConsoleBackend

RULE = "-" * 79


class EmailBackend(DjangoConsoleBackend):
    def write_message(self, message):
        lines = [
            f"From: {message.from_email}",
            f"To: {', '.join(message.to)}",
            f"Subject: {message.subject}",
        ]
        lines += [f"{name}: {value}" for name, value in (message.extra_headers or {}).items()]
        lines += ["", message.body]
        for content, mimetype in getattr(message, "alternatives", []):
            lines += ["", f"[{mimetype}]", str(content)]
        self.stream.write("\n".join(lines) + "\n" + RULE + "\n")
