from enum import StrEnum

class AssetsExportCopyFormat(StrEnum):
    JPEG = "jpeg"
    ORIGINAL = "original"

    def __str__(self) -> str:
        return str(self.value)
