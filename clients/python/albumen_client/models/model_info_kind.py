from enum import StrEnum

class ModelInfoKind(StrEnum):
    ON_DEVICE = "on-device"
    REMOTE = "remote"

    def __str__(self) -> str:
        return str(self.value)
