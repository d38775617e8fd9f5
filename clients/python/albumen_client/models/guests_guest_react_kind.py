from enum import StrEnum

class GuestsGuestReactKind(StrEnum):
    LAUGH = "laugh"
    LIKE = "like"
    LOVE = "love"
    WOW = "wow"

    def __str__(self) -> str:
        return str(self.value)
