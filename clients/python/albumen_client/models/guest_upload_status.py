from enum import StrEnum

class GuestUploadStatus(StrEnum):
    CREATED = "created"
    DUPLICATE = "duplicate"

    def __str__(self) -> str:
        return str(self.value)
