from enum import StrEnum

class DecisionDecision(StrEnum):
    APPROVE = "approve"
    PENDING = "pending"
    REJECT = "reject"

    def __str__(self) -> str:
        return str(self.value)
