from enum import StrEnum

class AnalyticsEventChartName(StrEnum):
    CONTRIBUTORS = "contributors"
    PEAK_HOURS = "peak-hours"
    UPLOADS = "uploads"
    VIEWS = "views"

    def __str__(self) -> str:
        return str(self.value)
