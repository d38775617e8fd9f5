from enum import StrEnum

class ReportInKind(StrEnum):
    CONTACT_SHEET = "contact_sheet"
    EVENT = "event"

    def __str__(self) -> str:
        return str(self.value)
