from enum import StrEnum

class ShareInfoKind(StrEnum):
    ALBUM = "album"
    EVENT = "event"

    def __str__(self) -> str:
        return str(self.value)
