from enum import StrEnum

class AnalyticsEventChartName(StrEnum):
    CONTRIBUTORS = "contributors"
    FORECAST_UPLOADS = "forecast-uploads"
    FORECAST_VIEWS = "forecast-views"
    PEAK_HOURS = "peak-hours"
    UPLOADS = "uploads"
    VIEWS = "views"

    def __str__(self) -> str:
        return str(self.value)
