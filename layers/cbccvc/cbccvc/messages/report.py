"""Messages of the validation report outputs, the annotated workbook and the Excel template command."""

from cbccvc.messages.catalog import Message

REPORT_MESSAGES: dict[str, Message] = {}
