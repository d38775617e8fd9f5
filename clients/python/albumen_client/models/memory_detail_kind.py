from enum import StrEnum

class MemoryDetailKind(StrEnum):
    ANNIVERSARY = "anniversary"
    ON_THIS_DAY = "on_this_day"
    PERSON_YEARS = "person_years"
    TRIP = "trip"

    def __str__(self) -> str:
        return str(self.value)
