from django.core.mail.backends import console


class ConsoleEmailBackend(console.EmailBackend):
    """Development mail: each message's plain text between rulers, ready to read and click.

    Django's console backend prints the raw MIME message, where quoted-printable breaks a
    verification link over two lines ("confirm-=") and the HTML part follows it.
    """

    def write_message(self, message):
        ruler = "=" * 79
        self.stream.write(
            f"{ruler}\nE-mail to {', '.join(message.to)}\nSubject: {message.subject}\n\n"
            f"{message.body}\n{ruler}\n"
        )
