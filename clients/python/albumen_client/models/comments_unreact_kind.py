from enum import StrEnum

class CommentsUnreactKind(StrEnum):
    LAUGH = "laugh"
    LIKE = "like"
    LOVE = "love"
    WOW = "wow"

    def __str__(self) -> str:
        return str(self.value)
