from enum import StrEnum

class CommentsReactKind(StrEnum):
    LAUGH = "laugh"
    LIKE = "like"
    LOVE = "love"
    WOW = "wow"

    def __str__(self) -> str:
        return str(self.value)
