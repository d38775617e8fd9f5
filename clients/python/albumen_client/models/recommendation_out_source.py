from enum import StrEnum

class RecommendationOutSource(StrEnum):
    COLLABORATIVE = "collaborative"
    CONTENT = "content"
    POPULAR = "popular"

    def __str__(self) -> str:
        return str(self.value)
