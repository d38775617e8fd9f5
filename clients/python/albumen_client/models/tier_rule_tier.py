from enum import StrEnum

class TierRuleTier(StrEnum):
    BRONZE = "bronze"
    GOLD = "gold"
    SILVER = "silver"

    def __str__(self) -> str:
        return str(self.value)
