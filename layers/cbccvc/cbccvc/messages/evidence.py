"""Messages of evidence bundles and their offline verification."""

from cbccvc.messages.catalog import Message

EVIDENCE_MESSAGES: dict[str, Message] = {}
