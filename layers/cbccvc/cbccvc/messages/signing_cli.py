"""Messages of the signing, approver-registry and evidence commands."""

from cbccvc.messages.catalog import Message

SIGNING_CLI_MESSAGES: dict[str, Message] = {}
