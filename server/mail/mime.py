"""The message as sent: an outbox row turned into MIME at delivery time."""

import datetime
from email.message import EmailMessage
from email.utils import formataddr, parseaddr


def build_message(row, mail_from):
    """The MIME message for an outbox row: text, HTML, and the calendar attachment if any."""
    message = EmailMessage()
    message["Message-ID"] = row.message_id
    message["From"] = formataddr((row.sender_name, parseaddr(mail_from)[1])) if row.sender_name else mail_from
    message["To"] = row.to_address
    message["Subject"] = row.subject
    message["Date"] = row.created_at.replace(tzinfo=datetime.timezone.utc)
    if row.reply_to:
        message["Reply-To"] = row.reply_to
    message.set_content(row.text_body)
    message.add_alternative(row.html_body, subtype="html")
    if row.ics:
        message.add_attachment(
            row.ics.encode(),
            maintype="text",
            subtype="calendar",
            filename="invite.ics" if row.ics_method == "REQUEST" else "cancel.ics",
            params={"method": row.ics_method},
        )
    return message
