from enum import StrEnum

class AnalyticsInstanceForecastMetric(StrEnum):
    UPLOADS = "uploads"
    VIEWS = "views"

    def __str__(self) -> str:
        return str(self.value)
