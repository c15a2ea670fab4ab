"""Messages of reading agency exports: encodings, headers, sheets and Excel damage."""

from cbccvc.messages.catalog import Message

INTAKE_MESSAGES: dict[str, Message] = {}
