from enum import StrEnum

class GuestRecommendationSource(StrEnum):
    COLLABORATIVE = "collaborative"
    CONTENT = "content"
    POPULAR = "popular"

    def __str__(self) -> str:
        return str(self.value)
