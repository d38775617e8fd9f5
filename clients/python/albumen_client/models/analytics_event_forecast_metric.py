from enum import StrEnum

class AnalyticsEventForecastMetric(StrEnum):
    UPLOADS = "uploads"
    VIEWS = "views"

    def __str__(self) -> str:
        return str(self.value)
