from enum import StrEnum

class AnalyticsAssetsExportFmt(StrEnum):
    CSV = "csv"
    PARQUET = "parquet"
    XLSX = "xlsx"

    def __str__(self) -> str:
        return str(self.value)
