from enum import StrEnum

class AnalyticsEventSeriesMetric(StrEnum):
    COMMENTS = "comments"
    DOWNLOADS = "downloads"
    REACTIONS = "reactions"
    UPLOADS = "uploads"
    VIEWS = "views"

    def __str__(self) -> str:
        return str(self.value)
